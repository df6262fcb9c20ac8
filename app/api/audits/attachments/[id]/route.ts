import { principalOf, withScope } from "@/lib/auth/route";
import { recordAudit } from "@/lib/audit/trail";
import { readFindingAttachment } from "@/domain/audits/workflow";

export const runtime = "nodejs";

/** GET — an evidence file of a finding, for those who may see the finding. */
export const GET = withScope<{ params: Promise<{ id: string }> }>(async (_req, scope, { params }) => {
  const { id } = await params;
  const actor = principalOf(scope);
  const att = await readFindingAttachment(actor, id);
  await recordAudit({
    actorId: actor.id,
    actorLogin: actor.login,
    action: "audit_attachment_download",
    target: id,
    details: { finding: att.findingId, sha256: att.sha256 },
  });
  return new Response(new Uint8Array(att.bytes), {
    headers: {
      "content-type": att.mimeType,
      "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(att.fileName)}`,
      "x-content-type-options": "nosniff",
      "cache-control": "no-store",
    },
  });
});

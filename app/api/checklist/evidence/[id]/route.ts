import { principalOf, withScope } from "@/lib/auth/route";
import { recordAudit } from "@/lib/audit/trail";
import { readEvidence } from "@/domain/checklist/workflow";

export const runtime = "nodejs";

/** GET — an evidence file, for those whose scope covers its assessment. */
export const GET = withScope<{ params: Promise<{ id: string }> }>(async (_req, scope, { params }) => {
  const { id } = await params;
  const actor = principalOf(scope);
  const ev = await readEvidence(actor, id);
  await recordAudit({
    actorId: actor.id,
    actorLogin: actor.login,
    action: "checklist_evidence_download",
    target: id,
    details: { assessment: ev.assessmentId, sha256: ev.sha256 },
  });
  return new Response(new Uint8Array(ev.bytes), {
    headers: {
      "content-type": ev.mimeType,
      "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(ev.fileName)}`,
      "x-content-type-options": "nosniff",
      "x-evidence-sha256": ev.sha256,
      "cache-control": "no-store",
    },
  });
});

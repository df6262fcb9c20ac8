import { investigationAttachment } from "@/domain/incidents";
import { recordAudit } from "@/lib/audit/trail";
import { principalOf, withScope } from "@/lib/auth/route";

export const runtime = "nodejs";

/** GET — an attachment of an investigation answer, for anyone who sees the request (404 otherwise); the stored hash is re-checked. */
export const GET = withScope<{ params: Promise<{ id: string }> }>(async (_req, scope, { params }) => {
  const { id } = await params;
  const actor = principalOf(scope);
  const a = await investigationAttachment(actor, id);
  await recordAudit({ actorId: actor.id, actorLogin: actor.login, action: "investigation_attachment_download", target: id, details: { sha256: a.sha256 } });
  return new Response(new Uint8Array(a.bytes), {
    headers: {
      "content-type": a.mimeType,
      "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(a.fileName)}`,
      "cache-control": "no-store",
    },
  });
});

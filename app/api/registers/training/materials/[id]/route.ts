import { readMaterial } from "@/domain/registers/training";
import { recordAudit } from "@/lib/audit/trail";
import { principalOf, withScope } from "@/lib/auth/route";

export const runtime = "nodejs";

/** GET — a material of a training session, for those who see the session (404 otherwise); the SHA-256 is re-checked. */
export const GET = withScope<{ params: Promise<{ id: string }> }>(async (_req, scope, { params }) => {
  const { id } = await params;
  const actor = principalOf(scope);
  const m = await readMaterial(actor, id);
  await recordAudit({
    actorId: actor.id,
    actorLogin: actor.login,
    action: "training_material_download",
    target: id,
    organizationId: m.organizationId,
    details: { session: m.sessionId, sha256: m.sha256 },
  });
  return new Response(new Uint8Array(m.bytes), {
    headers: {
      "content-type": m.mimeType,
      "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(m.fileName)}`,
      "x-content-type-options": "nosniff",
      "cache-control": "no-store",
    },
  });
});

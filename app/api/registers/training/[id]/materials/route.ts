import { receiveMaterialUpload, TrainingError } from "@/domain/registers/training";
import { recordAudit } from "@/lib/audit/trail";
import { principalOf, withScope } from "@/lib/auth/route";
import { t, type MessageKey } from "@/lib/i18n";

export const runtime = "nodejs";

/**
 * POST multipart (`file`) — adds a material to a session in scope (404 outside
 * it, checked before the body is read; 413 over the size limit). Browsers go
 * back to the session (303).
 */
export const POST = withScope<{ params: Promise<{ id: string }> }>(async (req, scope, { params }) => {
  const { id } = await params;
  const actor = principalOf(scope);
  const wantsJson = (req.headers.get("accept") ?? "").includes("application/json");
  const sessionId = /^\d{1,9}$/.test(id) ? Number(id) : 0;
  const back = (key: "ok" | "error", text: string) => {
    const url = new URL(`/registers/training/${sessionId}`, req.url);
    url.searchParams.set(key, text);
    return Response.redirect(url, 303);
  };
  try {
    const m = await receiveMaterialUpload(actor, sessionId, req);
    await recordAudit({
      actorId: actor.id,
      actorLogin: actor.login,
      action: "training_material_added",
      target: m.id,
      organizationId: m.organizationId,
      details: { session: sessionId, sha256: m.sha256 },
    });
    return wantsJson ? Response.json({ id: m.id }, { status: 201 }) : back("ok", t("registers.training.recorded"));
  } catch (e) {
    if (!(e instanceof TrainingError)) throw e;
    if (e.code === "not_found") return Response.json({ error: e.message }, { status: 404 });
    const error = `${t(`registers.training.error.${e.code}` as MessageKey)}（${e.message}）`;
    const status = e.code === "too_large" ? 413 : 400;
    return wantsJson || status === 413 ? Response.json({ error }, { status }) : back("error", error);
  }
});

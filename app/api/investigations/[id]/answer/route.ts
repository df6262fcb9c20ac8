import { IncidentError, receiveAnswerUpload } from "@/domain/incidents";
import { recordAudit } from "@/lib/audit/trail";
import { principalOf, withScope } from "@/lib/auth/route";
import { t, type MessageKey } from "@/lib/i18n";

export const runtime = "nodejs";

const STATUS: Partial<Record<IncidentError["code"], number>> = { not_found: 404, not_answerer: 403, answered: 409, file: 400, bad_input: 400 };

/**
 * POST multipart (findings, cause, legitimate yes|no|unknown, measures, an
 * optional `file`) — the municipality's answer to an investigation request.
 * Browsers (the answer form) go back to the request with 303; JSON callers
 * get the status.
 */
export const POST = withScope<{ params: Promise<{ id: string }> }>(async (req, scope, { params }) => {
  const { id } = await params;
  const wantsJson = (req.headers.get("accept") ?? "").includes("application/json");
  const back = (key: "ok" | "error", text: string) => {
    const url = new URL(`/investigations/${encodeURIComponent(id)}`, req.url);
    url.searchParams.set(key, text);
    return Response.redirect(url, 303);
  };
  const actor = principalOf(scope);
  try {
    await receiveAnswerUpload(actor, Number(id), req);
  } catch (e) {
    if (!(e instanceof IncidentError)) throw e;
    const error = `${t(`incident.error.${e.code}` as MessageKey)}（${e.message}）`;
    return wantsJson ? Response.json({ error }, { status: STATUS[e.code] ?? 400 }) : back("error", error);
  }
  await recordAudit({ actorId: actor.id, actorLogin: actor.login, action: "investigation_answered", target: id, organizationId: actor.organizationId });
  return wantsJson ? Response.json({ id: Number(id) }, { status: 200 }) : back("ok", t("investigation.answeredOk"));
});

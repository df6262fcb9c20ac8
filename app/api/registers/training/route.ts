import { receiveSessionUpload, TrainingError } from "@/domain/registers/training";
import { recordAudit } from "@/lib/audit/trail";
import { principalOf, withScope } from "@/lib/auth/route";
import { t, type MessageKey } from "@/lib/i18n";

export const runtime = "nodejs";

const STATUS: Partial<Record<TrainingError["code"], number>> = { not_found: 404, not_recorder: 403 };

/**
 * POST multipart to `?organization=<code>` (kind, title, heldOn, participantCount,
 * operators, outcome, lessons, incidentId, an optional `file`) — records a
 * training session or drill. The role and the organisation are checked before
 * the body is read (403), the file's size while it streams (413). Browsers (the
 * form) go to the new session (303), or back to the form with the error; JSON
 * callers get the status.
 */
export const POST = withScope(async (req, scope) => {
  const actor = principalOf(scope);
  const wantsJson = (req.headers.get("accept") ?? "").includes("application/json");
  const organization = new URL(req.url).searchParams.get("organization") ?? "";
  try {
    const { id, organizationId } = await receiveSessionUpload(actor, req);
    await recordAudit({ actorId: actor.id, actorLogin: actor.login, action: "training_session_recorded", target: String(id), organizationId });
    if (wantsJson) return Response.json({ id }, { status: 201 });
    const url = new URL(`/registers/training/${id}`, req.url);
    url.searchParams.set("ok", t("registers.training.recorded"));
    return Response.redirect(url, 303);
  } catch (e) {
    if (!(e instanceof TrainingError)) throw e;
    const error = `${t(`registers.training.error.${e.code}` as MessageKey)}（${e.message}）`;
    const status = e.code === "too_large" ? 413 : (STATUS[e.code] ?? 400);
    if (wantsJson || status === 413) return Response.json({ error }, { status });
    const url = new URL("/registers/training/new", req.url);
    if (/^\d{6}$/.test(organization)) url.searchParams.set("organization", organization);
    url.searchParams.set("error", error);
    return Response.redirect(url, 303);
  }
});

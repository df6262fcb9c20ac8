import { recordAudit } from "@/lib/audit/trail";
import { principalOf, withScope } from "@/lib/auth/route";
import { t, type MessageKey } from "@/lib/i18n";
import { ChecklistError, receiveEvidenceUpload } from "@/domain/checklist/workflow";

export const runtime = "nodejs";

/** HTTP status of a refused evidence upload. */
export const evidenceErrorStatus = (code: ChecklistError["code"]): number =>
  code === "file_too_large" ? 413 : code === "locked" || code === "not_editor" ? 403 : 400;

/**
 * POST multipart (itemId, file) — attaches an evidence file to one item.
 * Permission first, then the size limit on the declared length and while the
 * body streams (receiveEvidenceUpload; the body is never buffered whole).
 * Browsers (a plain form) are sent back to the item with 303; API callers
 * asking for JSON get the stored record or the error.
 */
export const POST = withScope<{ params: Promise<{ id: string }> }>(async (req, scope, { params }) => {
  const { id } = await params;
  const wantsJson = (req.headers.get("accept") ?? "").includes("application/json");
  const back = (itemId: string, error?: string) => {
    const url = new URL(`/checklist/assessments/${id}`, req.url);
    if (error) url.searchParams.set("error", error);
    url.hash = `item-${itemId}`;
    return Response.redirect(url, 303);
  };
  const actor = principalOf(scope);
  try {
    const { itemId, evidence: ev } = await receiveEvidenceUpload(actor, id, req);
    await recordAudit({
      actorId: actor.id,
      actorLogin: actor.login,
      action: "checklist_evidence_add",
      target: ev.id,
      details: { assessment: id, itemId, sha256: ev.sha256, size: ev.size },
    });
    return wantsJson ? Response.json({ id: ev.id, sha256: ev.sha256, size: ev.size }, { status: 201 }) : back(itemId);
  } catch (e) {
    if (!(e instanceof ChecklistError)) throw e;
    const error = `${t(`checklist.error.${e.code}` as MessageKey)}（${e.message}）`;
    // The body may be unread (refused before or part-way): a JSON caller gets the status; a browser goes back.
    return wantsJson ? Response.json({ error }, { status: evidenceErrorStatus(e.code) }) : back("", error);
  }
});

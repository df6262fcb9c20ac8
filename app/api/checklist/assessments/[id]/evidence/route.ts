import { actorOf, withPrincipal } from "@/lib/auth/principal";
import { recordAudit } from "@/lib/audit/trail";
import { config } from "@/lib/config";
import { t, type MessageKey } from "@/lib/i18n";
import { addEvidence, ChecklistError } from "@/reports/checklist/workflow";

export const runtime = "nodejs";

/**
 * POST multipart (itemId, file) — attaches an evidence file to one item.
 * Browsers (a plain form) are sent back to the item with 303; API callers
 * asking for JSON get the stored record or the error.
 */
export const POST = withPrincipal<{ params: Promise<{ id: string }> }>(async (req, principal, { params }) => {
  const { id } = await params;
  const wantsJson = (req.headers.get("accept") ?? "").includes("application/json");
  const back = (itemId: string, error?: string) => {
    const url = new URL(`/checklist/assessments/${id}`, req.url);
    if (error) url.searchParams.set("error", error);
    url.hash = `item-${itemId}`;
    return Response.redirect(url, 303);
  };
  const length = Number(req.headers.get("content-length") ?? 0);
  if (length > config().EVIDENCE_MAX_BYTES + 64 * 1024) {
    const error = t("checklist.error.file_too_large");
    return wantsJson ? Response.json({ error }, { status: 413 }) : back("", error);
  }
  const form = await req.formData();
  const itemId = String(form.get("itemId") ?? "");
  const file = form.get("file");
  if (!(file instanceof File) || !file.name) {
    const error = t("checklist.error.file_empty");
    return wantsJson ? Response.json({ error }, { status: 400 }) : back(itemId, error);
  }
  const actor = await actorOf(principal);
  try {
    const ev = await addEvidence(actor, id, itemId, { name: file.name, bytes: Buffer.from(await file.arrayBuffer()) });
    await recordAudit({ actorId: actor.id, actorLogin: actor.login, action: "checklist_evidence_add", target: ev.id, details: { assessment: id, itemId, sha256: ev.sha256, size: ev.size } });
    return wantsJson ? Response.json({ id: ev.id, sha256: ev.sha256, size: ev.size }, { status: 201 }) : back(itemId);
  } catch (e) {
    if (!(e instanceof ChecklistError)) throw e;
    const error = `${t(`checklist.error.${e.code}` as MessageKey)}（${e.message}）`;
    return wantsJson ? Response.json({ error }, { status: e.code === "file_too_large" ? 413 : e.code === "locked" || e.code === "not_editor" ? 403 : 400 }) : back(itemId, error);
  }
});

"use server";
/**
 * Server actions of the alert queue and detail: triage (acknowledge, assign,
 * close, reopen, comment) of chosen alerts or of every alert matching the
 * queue's filter, and saved views. Each validates its input and answers with
 * an inline Japanese message (never a crash page); scoped and audited.
 */
import { revalidatePath } from "next/cache";
import { z } from "zod";
import {
  assigneeCoverage,
  deleteView,
  matchingAlertIds,
  parseQueueParams,
  saveView,
  triageAlerts,
  TriageError,
  viewInput,
  type TriageChange,
} from "../../domain/alerts";
import { recordAudit } from "../../lib/audit/trail";
import { pageScope, requireUser } from "../../lib/auth/pages";
import { t, type MessageKey } from "../../lib/i18n";

export type ActionState = { ok: boolean; message: string } | undefined;

const fail = (key: MessageKey): ActionState => ({ ok: false, message: t(key) });

const schema = z.object({
  ids: z.array(z.string().regex(/^[0-9a-f]{24}$/)).max(500),
  all: z.boolean(),
  filter: z.string().max(2000),
  action: z.enum(["acknowledge", "assign", "assignMe", "close", "reopen", "note"]),
  assignee: z.string().max(100).optional(),
  disposition: z.enum(["true_positive", "false_positive", "benign"]).optional(),
  note: z.string().max(2000).optional(),
});

export async function triageAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const user = await requireUser(["admin", "monitor"]);
  const parsed = schema.safeParse({
    ids: form.getAll("ids").map(String),
    all: form.get("all") === "1",
    filter: String(form.get("filter") ?? ""),
    action: form.get("action"),
    assignee: form.get("assignee") || undefined,
    disposition: form.get("disposition") || undefined,
    note: String(form.get("note") ?? "").trim() || undefined,
  });
  if (!parsed.success) return fail("alert.errorInput");
  const p = parsed.data;
  if (p.action === "close" && !p.disposition) return fail("alert.errorDisposition");
  if (p.action === "note" && !p.note) return fail("alert.errorComment");
  if (p.action === "assign" && !p.assignee) return fail("alert.errorAssignee");
  const scope = await pageScope(user);
  let ids = p.ids;
  let more = false;
  if (p.all) {
    const { query, unknownOrganization } = await parseQueueParams(Object.fromEntries(new URLSearchParams(p.filter)), scope, user.login);
    if (!unknownOrganization && (!query.organization || scope.includes(query.organization))) ({ ids, more } = await matchingAlertIds(query, scope));
    else ids = [];
  }
  if (!ids.length) return fail("alert.errorNoSelection");
  const assignee = p.action === "assignMe" ? user.login : p.assignee;
  const coverage = p.action === "assign" || p.action === "assignMe" ? await assigneeCoverage(assignee!, scope) : undefined;
  if ((p.action === "assign" || p.action === "assignMe") && !coverage) return fail("alert.errorAssigneeScope");
  const change: TriageChange = {
    action: p.action === "assignMe" ? "assign" : p.action,
    assignee,
    disposition: p.action === "close" ? p.disposition : undefined,
    note: p.note,
  };
  let result;
  try {
    result = await triageAlerts(ids, change, user.login, scope, coverage);
  } catch (e) {
    if (e instanceof TriageError) return fail(e.reason === "disposition" ? "alert.errorDisposition" : "alert.errorComment");
    throw e;
  }
  await recordAudit({
    actorId: user.id,
    actorLogin: user.login,
    action: p.action === "note" ? "alert_comment" : p.action === "assign" || p.action === "assignMe" ? "alert_assign" : "alert_triage",
    target: result.changed.join(","),
    scope: scope.recorded,
    details: {
      action: change.action,
      assignee: change.action === "assign" ? assignee : undefined,
      disposition: change.disposition,
      note: p.note,
      all: p.all || undefined,
    },
  });
  revalidatePath("/alerts");
  for (const id of result.changed) revalidatePath(`/alerts/${id}`);
  const parts = [`${result.changed.length}${t("alert.done")}`];
  if (result.invalid.length) parts.push(`${result.invalid.length}${t("alert.skippedInvalid")}`);
  if (result.notCovered.length) parts.push(`${result.notCovered.length}${t("alert.skippedScope")}`);
  if (more) parts.push(`5000${t("alert.moreThanLimit")}`);
  return { ok: result.changed.length > 0, message: parts.join(" ") };
}

/** Saves the queue's current filter and sort as a named view of the user. */
export async function saveViewAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const user = await requireUser();
  const parsed = viewInput.safeParse({ name: form.get("name") ?? "", query: String(form.get("query") ?? "") });
  if (!parsed.success) return fail("alert.errorViewName");
  await saveView(user.id, parsed.data);
  revalidatePath("/alerts");
  return { ok: true, message: t("alert.viewSaved") };
}

/** Removes one of the user's own views (another user's view id changes nothing). */
export async function deleteViewAction(form: FormData): Promise<void> {
  const user = await requireUser();
  const id = Number(form.get("id"));
  if (!Number.isSafeInteger(id)) return;
  await deleteView(user.id, id);
  revalidatePath("/alerts");
}

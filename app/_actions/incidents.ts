"use server";
/**
 * Server actions of incident response: open an incident (by hand or from
 * alerts), record on it (status, level, note, contact, decision, links,
 * organisations, measures), send an investigation request, edit the contact
 * chain. Each calls the domain (which checks scope and role), records the
 * audit trail and redirects back with a Japanese message; the attachment of
 * an answer goes through POST /api/investigations/<id>/answer.
 */
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import {
  addContact,
  addEscalationStep,
  addNote,
  addOrganization,
  changeLevel,
  changeStatus,
  IncidentError,
  linkAlert,
  linkQuery,
  openIncident,
  recordContact,
  recordDecision,
  removeContact,
  removeEscalationStep,
  requestInvestigation,
  updateMeasures,
} from "../../domain/incidents";
import { recordAudit } from "../../lib/audit/trail";
import { AuthError } from "../../lib/auth/principal";
import { requireUser } from "../../lib/auth/pages";
import { jstMidnight, parseDateKey } from "../../lib/calendar";
import { t, type MessageKey } from "../../lib/i18n";
import { formFields } from "./form";

/** A page path the form came from, never another site. */
const backTo = (value: string | undefined, fallback: string) => (value && /^\/[a-z]/.test(value) && !value.startsWith("//") ? value : fallback);

const withMessage = (path: string, key: "ok" | "error", text: string) => `${path}${path.includes("?") ? "&" : "?"}${key}=${encodeURIComponent(text)}`;

/** A refusal as a Japanese message: the domain's code, a scope refusal; other errors propagate. */
function message(e: unknown): string {
  if (e instanceof IncidentError) return `${t(`incident.error.${e.code}` as MessageKey)}（${e.message}）`;
  if (e instanceof AuthError) return t(e.status === 404 ? "incident.error.not_found" : "forbidden.title");
  throw e;
}

/** A datetime-local value (JST) as an instant; undefined when empty. */
function jstDateTime(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(value);
  const key = m && parseDateKey(m[1]);
  if (!m || !key) return new Date(NaN);
  return new Date(jstMidnight(key).getTime() + (Number(m[2]) * 60 + Number(m[3])) * 60_000);
}

export async function openIncidentAction(form: FormData): Promise<void> {
  const user = await requireUser(["admin", "monitor"]);
  const f = formFields(form);
  const back = backTo(f.back, "/incidents");
  let id: number;
  try {
    id = await openIncident(user, {
      title: f.title ?? "",
      kind: f.kind ?? "",
      level: Number(f.level),
      summary: f.summary,
      organizations: form.getAll("organizations").map(String).filter(Boolean),
      organizationId: f.organization || undefined,
      alertIds: form.getAll("alertIds").map(String).filter(Boolean),
      exercise: f.exercise === "1",
    });
  } catch (e) {
    redirect(withMessage(back, "error", message(e)));
  }
  await recordAudit({
    actorId: user.id,
    actorLogin: user.login,
    action: "incident_opened",
    target: String(id),
    details: { level: Number(f.level), kind: f.kind, exercise: f.exercise === "1" },
  });
  revalidatePath("/incidents");
  redirect(withMessage(`/incidents/${id}`, "ok", t("incident.created")));
}

const OPS = ["status", "level", "note", "contact", "decision", "alert", "query", "organization", "measures"] as const;

/** One recording on an incident, chosen by the form's `op`. */
export async function updateIncidentAction(form: FormData): Promise<void> {
  const user = await requireUser(["admin", "monitor", "municipal_officer"]);
  const f = formFields(form);
  const id = Number(f.incidentId);
  const page = Number.isSafeInteger(id) && id > 0 ? `/incidents/${id}` : "/incidents";
  const op = f.op as (typeof OPS)[number];
  try {
    if (!OPS.includes(op)) throw new IncidentError("bad_input", `op: unknown "${f.op}"`);
    if (op === "status") await changeStatus(user, id, f.status ?? "", f.reason);
    else if (op === "level") await changeLevel(user, id, Number(f.level), f.reason);
    else if (op === "note") await addNote(user, id, f.note ?? "");
    else if (op === "contact")
      await recordContact(user, id, { who: f.who ?? "", means: f.means ?? "", note: f.note, upward: f.upward === "1", at: jstDateTime(f.at) });
    else if (op === "decision")
      await recordDecision(user, id, { decision: f.decision ?? "", decidedBy: f.decidedBy ?? "", reason: f.reason ?? "", at: jstDateTime(f.at) });
    else if (op === "alert") await linkAlert(user, id, (f.alertId ?? "").trim());
    else if (op === "query") await linkQuery(user, id, f.label ?? "", f.query ?? "");
    else if (op === "organization") await addOrganization(user, id, f.organization ?? "");
    else await updateMeasures(user, id, f.measures ?? "");
  } catch (e) {
    redirect(withMessage(page, "error", message(e)));
  }
  await recordAudit({
    actorId: user.id,
    actorLogin: user.login,
    action: "incident_updated",
    target: String(id),
    details: { op, status: f.status, level: f.level ? Number(f.level) : undefined, decision: f.decision, alertId: f.alertId, organization: f.organization },
  });
  revalidatePath(page);
  redirect(withMessage(page, "ok", t("incident.saved")));
}

/** 調査依頼 from an alert or an incident page (prefecture staff). */
export async function requestInvestigationAction(form: FormData): Promise<void> {
  const user = await requireUser(["admin", "monitor"]);
  const f = formFields(form);
  const back = backTo(f.back, "/investigations");
  const incidentId = f.incidentId ? Number(f.incidentId) : undefined;
  let id: number;
  try {
    id = await requestInvestigation(user, {
      organizationId: f.organization ?? "",
      question: f.question ?? "",
      due: f.due ?? "",
      incidentId,
      alertId: f.alertId || undefined,
    });
  } catch (e) {
    redirect(withMessage(back, "error", message(e)));
  }
  await recordAudit({
    actorId: user.id,
    actorLogin: user.login,
    action: "investigation_requested",
    target: String(id),
    organizationId: f.organization,
    details: { incidentId, alertId: f.alertId || undefined, due: f.due },
  });
  revalidatePath(back);
  redirect(withMessage(back, "ok", t("investigation.sent")));
}

const CHAIN_OPS = ["add_contact", "remove_contact", "add_step", "remove_step"] as const;

/** The contact chain editor (admins, inside their scope). */
export async function contactChainAction(form: FormData): Promise<void> {
  const user = await requireUser(["admin"]);
  const f = formFields(form);
  const op = f.op as (typeof CHAIN_OPS)[number];
  let organizationId = f.organization ?? "";
  let target = "";
  try {
    if (!CHAIN_OPS.includes(op)) throw new IncidentError("bad_input", `op: unknown "${f.op}"`);
    if (op === "add_contact")
      target = String(await addContact(user, { organizationId, role: f.role ?? "", name: f.name ?? "", email: f.email, phone: f.phone, hours: f.hours }));
    else if (op === "remove_contact") ({ organizationId } = await removeContact(user, Number(f.id)));
    else if (op === "add_step") await addEscalationStep(user, organizationId, Number(f.level), Number(f.contactId));
    else ({ organizationId } = await removeEscalationStep(user, Number(f.id)));
  } catch (e) {
    redirect(withMessage(`/admin/contacts?organization=${encodeURIComponent(organizationId)}`, "error", message(e)));
  }
  await recordAudit({
    actorId: user.id,
    actorLogin: user.login,
    action: "contact_chain_changed",
    target: target || f.id || f.contactId,
    organizationId,
    details: { op, level: f.level ? Number(f.level) : undefined, role: f.role },
  });
  revalidatePath("/admin/contacts");
  redirect(withMessage(`/admin/contacts?organization=${encodeURIComponent(organizationId)}`, "ok", t("contacts.saved")));
}

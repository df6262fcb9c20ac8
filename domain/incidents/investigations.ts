/**
 * Investigation requests (調査依頼): the prefecture asks a municipality to
 * investigate an alert or an incident by a due date; the municipality's
 * officers answer (findings, cause, whether it was a legitimate duty,
 * measures, attachments stored like checklist evidence). Request and answer
 * land in the alert's history and the incident's timeline.
 */
import { AuthError, type Principal } from "../../lib/auth/principal";
import { jstDayEnd, parseDateKey } from "../../lib/calendar";
import { db } from "../../lib/db";
import { formatJstDate, t } from "../../lib/i18n";
import { appendAlertHistory, getAlert } from "../alerts";
import { config } from "../../lib/config";
import { readUpload, UploadError } from "../../lib/upload";
import { EvidenceError, readBlob, storeEvidence } from "../evidence";
import { accessOf, IncidentError, incidentScopeWhere } from "./access";
import { loadIncident, MAX_TEXT } from "./incidents";
import { fill, raise } from "./notifications";

const ALERT_ID = /^[0-9a-f]{24}$/;

export interface NewRequest {
  organizationId: string;
  question: string;
  /** Due date, YYYY-MM-DD (JST; through the end of that day). */
  due: string;
  incidentId?: number;
  alertId?: string;
}

const clean = (v: string | undefined, field: string, required: boolean) => {
  const s = (v ?? "").trim();
  if (required && !s) throw new IncidentError("bad_input", `${field}: required`);
  if (s.length > MAX_TEXT) throw new IncidentError("bad_input", `${field}: longer than ${MAX_TEXT} characters`);
  return s;
};

/** Sends a request (prefecture staff only) to a municipality in scope about an alert and/or an incident concerning it. */
export async function requestInvestigation(actor: Principal, input: NewRequest, now = new Date()): Promise<number> {
  const a = await accessOf(actor);
  if (!a.prefecture) throw new IncidentError("not_prefecture", "only prefecture staff send investigation requests");
  const question = clean(input.question, "question", true);
  const key = parseDateKey(input.due);
  if (!key) throw new IncidentError("bad_due", `due: "${input.due}" is not a date`);
  const dueAt = jstDayEnd(key);
  if (dueAt.getTime() < now.getTime()) throw new IncidentError("bad_due", "due: in the past");
  if (!a.scope.includes(input.organizationId) || input.organizationId === actor.organizationId)
    throw new IncidentError("bad_organization", `organization ${input.organizationId}: not a municipality in your scope`);
  if (!input.incidentId && !input.alertId) throw new IncidentError("bad_input", "an alert or an incident is needed");
  if (input.alertId) {
    const alert = ALERT_ID.test(input.alertId) ? await getAlert(input.alertId, a.scope) : undefined;
    if (!alert) throw new IncidentError("bad_alert", `alert ${input.alertId}: not found`);
    if (alert.organization.id !== input.organizationId) throw new IncidentError("bad_organization", "the alert is of another organisation");
  }
  if (input.incidentId) {
    const incident = await loadIncident(a.scope, input.incidentId);
    if (incident.status === "closed") throw new IncidentError("closed", `incident ${incident.id} is closed`);
  }
  const req = await db().$transaction(async (tx) => {
    const r = await tx.investigationRequest.create({
      data: {
        organizationId: input.organizationId,
        question,
        dueAt,
        requestedBy: actor.login,
        requestedAt: now,
        incidentId: input.incidentId,
        alertId: input.alertId,
      },
    });
    if (input.incidentId) {
      if (
        !(await tx.incidentOrganization.findUnique({
          where: { incidentId_organizationId: { incidentId: input.incidentId, organizationId: input.organizationId } },
        }))
      )
        await tx.incidentOrganization.create({ data: { incidentId: input.incidentId, organizationId: input.organizationId } });
      await tx.incidentEvent.create({
        data: {
          incidentId: input.incidentId,
          at: now,
          by: actor.login,
          kind: "investigation_requested",
          text: question,
          detail: JSON.stringify({ requestId: r.id, organizationId: input.organizationId, dueAt: dueAt.toISOString(), alertId: input.alertId }),
        },
      });
    }
    return r;
  });
  const entry = { at: now.toISOString(), by: actor.login, action: "investigation_requested" as const, note: question, ref: `/investigations/${req.id}` };
  for (const id of await alertsOfRequest(req)) await appendAlertHistory(id, entry, a.scope.narrow(input.organizationId));
  await notifyInvestigation("requested", req);
  return req.id;
}

/**
 * The alerts a request is about: its own alert, and the alerts linked to its
 * incident (the callers append only to those of the requested organisation,
 * by narrowing the scope to it).
 */
async function alertsOfRequest(r: { alertId: string | null; incidentId: number | null }): Promise<string[]> {
  const linked = r.incidentId
    ? (await db().incidentAlert.findMany({ where: { incidentId: r.incidentId }, select: { alertId: true } })).map((x) => x.alertId)
    : [];
  return [...new Set([...(r.alertId ? [r.alertId] : []), ...linked])];
}

export async function notifyInvestigation(
  what: "requested" | "reminder" | "answered",
  r: { id: number; organizationId: string; dueAt: Date; requestedBy: string },
): Promise<void> {
  const title = fill(t(`investigation.notify.${what}`), { due: formatJstDate(r.dueAt) });
  let recipients: { userIds: string[] } | undefined;
  if (what === "answered") {
    const requester = await db().user.findUnique({ where: { loginId: r.requestedBy }, select: { id: true } });
    recipients = requester ? { userIds: [requester.id] } : undefined;
  }
  await raise({
    type: what === "answered" ? "investigation.answered" : "investigation.requested",
    organizationCode: r.organizationId,
    severity: what === "reminder" ? "high" : "medium",
    title,
    path: `/investigations/${r.id}`,
    ref: { kind: "investigation", id: String(r.id) },
    ...(recipients ? { recipients } : {}),
  });
}

export interface Answer {
  findings: string;
  cause?: string;
  /** "yes" | "no" | "unknown" */
  legitimate: string;
  measures?: string;
  files?: { name: string; bytes: Buffer }[];
}

/** The municipality's answer (officers and admins of the requested organisation), once. */
export async function answerInvestigation(actor: Principal, id: number, answer: Answer, now = new Date()): Promise<void> {
  const a = await accessOf(actor);
  const r = await findRequest(a.scope, id);
  if (actor.organizationId !== r.organizationId || (actor.role !== "municipal_officer" && actor.role !== "admin"))
    throw new IncidentError("not_answerer", "only the requested organisation's officers answer");
  if (r.answeredAt) throw new IncidentError("answered", `request ${id} is answered`);
  const findings = clean(answer.findings, "findings", true);
  const cause = clean(answer.cause, "cause", false);
  const measures = clean(answer.measures, "measures", false);
  if (!["yes", "no", "unknown"].includes(answer.legitimate))
    throw new IncidentError("bad_input", `legitimate: "${answer.legitimate}" is not yes, no or unknown`);
  const legitimate = answer.legitimate === "yes" ? true : answer.legitimate === "no" ? false : null;
  const files = (answer.files ?? []).filter((f) => f.name && f.bytes.length);
  if (files.length > 10) throw new IncidentError("file", "attachments: at most 10");
  let stored;
  try {
    stored = files.map((f) => storeEvidence(f));
  } catch (e) {
    if (e instanceof EvidenceError) throw new IncidentError("file", e.message);
    throw e;
  }
  const done = await db().$transaction(async (tx) => {
    const claimed = await tx.investigationRequest.updateMany({
      where: { id, answeredAt: null },
      data: { answeredAt: now, answeredBy: actor.login, findings, cause, measures, legitimate },
    });
    if (!claimed.count) return false;
    for (const s of stored) await tx.investigationAttachment.create({ data: { requestId: id, ...s, uploadedById: actor.id } });
    if (r.incidentId)
      await tx.incidentEvent.create({
        data: {
          incidentId: r.incidentId,
          at: now,
          by: actor.login,
          kind: "investigation_answered",
          text: findings,
          detail: JSON.stringify({ requestId: id, organizationId: r.organizationId, cause, legitimate, measures, attachments: stored.map((s) => s.fileName) }),
        },
      });
    return true;
  });
  if (!done) throw new IncidentError("answered", `request ${id} is answered`);
  // The alerts' history takes the answer (only alerts of the requested organisation, inside the officer's scope).
  const entry = { at: now.toISOString(), by: actor.login, action: "investigation_answered" as const, note: findings, ref: `/investigations/${id}` };
  for (const alertId of await alertsOfRequest(r)) await appendAlertHistory(alertId, entry, a.scope.narrow(r.organizationId));
  await notifyInvestigation("answered", r);
}

/**
 * The answer form posted as multipart (fields and at most one attachment,
 * field `file`): permission is checked before the body is read, the size
 * limit while it streams.
 */
export async function receiveAnswerUpload(actor: Principal, id: number, req: Request, now = new Date()): Promise<void> {
  const a = await accessOf(actor);
  const r = await findRequest(a.scope, id);
  if (actor.organizationId !== r.organizationId || (actor.role !== "municipal_officer" && actor.role !== "admin"))
    throw new IncidentError("not_answerer", "only the requested organisation's officers answer");
  if (r.answeredAt) throw new IncidentError("answered", `request ${id} is answered`);
  let upload;
  try {
    upload = await readUpload(req, config().EVIDENCE_MAX_BYTES, { fileOptional: true });
  } catch (e) {
    if (e instanceof UploadError) throw new IncidentError(e.code === "bad_request" ? "bad_input" : "file", e.message);
    throw e;
  }
  const f = upload.fields;
  await answerInvestigation(
    actor,
    id,
    { findings: f.findings ?? "", cause: f.cause, legitimate: f.legitimate ?? "", measures: f.measures, files: upload.file ? [upload.file] : [] },
    now,
  );
}

async function findRequest(scope: Awaited<ReturnType<typeof accessOf>>["scope"], id: number) {
  if (!Number.isSafeInteger(id) || id < 1) throw new IncidentError("not_found", `no request ${id}`);
  const r = await db().investigationRequest.findFirst({ where: { id, ...scope.where("organizationId") }, include: { attachments: true } });
  if (!r) throw new IncidentError("not_found", `no request ${id}`);
  return r;
}

/** One request in scope (404 otherwise), with its incident's title when the caller sees it. */
export async function getInvestigation(actor: Principal, id: number) {
  const a = await accessOf(actor);
  const r = await findRequest(a.scope, id);
  const incident = r.incidentId
    ? await db().incident.findFirst({ where: { id: r.incidentId, ...incidentScopeWhere(a.scope) }, select: { id: true, title: true, exercise: true } })
    : null;
  const canAnswer = !r.answeredAt && actor.organizationId === r.organizationId && (actor.role === "municipal_officer" || actor.role === "admin");
  return { ...r, incident, canAnswer };
}

/** Requests in scope: unanswered first (by due date), then answered, newest first. */
export async function listInvestigations(actor: Principal, opts: { unanswered?: boolean; alertId?: string } = {}) {
  const a = await accessOf(actor);
  const rows = await db().investigationRequest.findMany({
    where: { ...a.scope.where("organizationId"), ...(opts.unanswered ? { answeredAt: null } : {}), ...(opts.alertId ? { alertId: opts.alertId } : {}) },
    orderBy: [{ dueAt: "asc" }],
    take: 500,
  });
  return [...rows.filter((r) => !r.answeredAt), ...rows.filter((r) => r.answeredAt).sort((x, y) => y.requestedAt.getTime() - x.requestedAt.getTime())];
}

/** An attachment's bytes, for a caller who sees the request (404 otherwise); hash re-checked. */
export async function investigationAttachment(actor: Principal, attachmentId: string) {
  const a = await accessOf(actor);
  const att = await db().investigationAttachment.findUnique({ where: { id: attachmentId }, include: { request: { select: { organizationId: true } } } });
  if (!att || !a.scope.includes(att.request.organizationId)) throw new AuthError(404, `no attachment ${attachmentId}`);
  return { ...att, bytes: readBlob(att.sha256) };
}

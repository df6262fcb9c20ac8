/**
 * Incidents (事案): opened from alerts or by hand, graded by threat level,
 * moved through 受付 → 調査中 → 封じ込め → 復旧 → 終結, with a timeline of
 * every change, note, contact made and decision. Every function takes the
 * acting principal, derives its access once (access.ts) and puts the scope
 * into its queries; pages, actions and routes only translate errors.
 */
import type { Principal } from "../../lib/auth/principal";
import type { Scope } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { appendAlertHistory, getAlert } from "../alerts";
import { accessOf, IncidentError, incidentScopeWhere, type IncidentAccess } from "./access";
import { escalationPath } from "./contacts";
import { levelsInForce, levelsOfVersion, planOwnerOf } from "./levels";
import { notifyIncident } from "./notifications";

export const KINDS = ["failure", "misconduct", "leak_suspected", "other"] as const;
export type IncidentKind = (typeof KINDS)[number];
export const STATUSES = ["received", "investigating", "contained", "recovered", "closed"] as const;
export type IncidentStatus = (typeof STATUSES)[number];
export const DECISIONS = ["disconnect", "reconnect", "other"] as const;
export const MEANS = ["mail", "phone", "fax", "in_person", "other"] as const;

export const MAX_TEXT = 4000;
const ALERT_ID = /^[0-9a-f]{24}$/;

type Tx = Parameters<Parameters<ReturnType<typeof db>["$transaction"]>[0]>[0];

function text(value: string | undefined, field: string, { required = false, max = MAX_TEXT } = {}): string {
  const v = (value ?? "").trim();
  if (required && !v) throw new IncidentError("bad_input", `${field}: required`);
  if (v.length > max) throw new IncidentError("bad_input", `${field}: longer than ${max} characters`);
  return v;
}

function requireManager(a: IncidentAccess): void {
  if (!a.manage) throw new IncidentError("not_manager", "only admins and monitors manage incidents");
}

async function event(tx: Tx, incidentId: number, by: string, kind: string, body = "", detail?: Record<string, unknown>, at?: Date) {
  await tx.incidentEvent.create({ data: { incidentId, by, kind, text: body, detail: detail ? JSON.stringify(detail) : null, ...(at ? { at } : {}) } });
}

/** The upward report deadline for a level graded at `from` (null: none required). */
async function reportDue(organizationId: string, version: number, level: number, from: Date): Promise<Date | null> {
  const def = (await levelsOfVersion(await planOwnerOf(organizationId), version)).find((l) => l.level === level);
  return def?.reportWithinMinutes ? new Date(from.getTime() + def.reportWithinMinutes * 60_000) : null;
}

export interface NewIncident {
  title: string;
  kind: string;
  level: number;
  summary?: string;
  /** Organisations concerned; the alerts' organisations are added. */
  organizations?: string[];
  /** The main organisation (default: the first alert's, else the first listed). */
  organizationId?: string;
  alertIds?: string[];
  exercise?: boolean;
}

/** Opens an incident in the actor's scope; returns its id. Notifies `incident.opened` along the level's escalation path. */
export async function openIncident(actor: Principal, input: NewIncident, now = new Date()): Promise<number> {
  const a = await accessOf(actor);
  requireManager(a);
  const title = text(input.title, "title", { required: true, max: 200 });
  const summary = text(input.summary, "summary");
  if (!KINDS.includes(input.kind as IncidentKind)) throw new IncidentError("bad_input", `kind: unknown kind "${input.kind}"`);
  if (![1, 2, 3, 4].includes(input.level)) throw new IncidentError("bad_input", `level: ${input.level} is not 1–4`);
  const alertIds = [...new Set(input.alertIds ?? [])];
  if (alertIds.length > 100) throw new IncidentError("bad_input", "alerts: at most 100");
  const alerts = [];
  for (const id of alertIds) {
    const alert = ALERT_ID.test(id) ? await getAlert(id, a.scope) : undefined;
    if (!alert) throw new IncidentError("bad_alert", `alert ${id}: not found`);
    alerts.push(alert);
  }
  const orgs = [...new Set([...alerts.map((x) => x.organization.id), ...(input.organizations ?? []).filter(Boolean)])];
  const primary = input.organizationId || orgs[0];
  if (!primary) throw new IncidentError("bad_organization", "organizations: at least one organisation or alert is needed");
  if (!orgs.includes(primary)) orgs.unshift(primary);
  await checkOrganizations(a.scope, orgs);
  const { version } = await levelsInForce(primary);
  const due = await reportDue(primary, version, input.level, now);
  const incident = await db().$transaction(async (tx) => {
    const row = await tx.incident.create({
      data: {
        title,
        kind: input.kind,
        level: input.level,
        levelVersion: version,
        exercise: !!input.exercise,
        organizationId: primary,
        summary,
        openedBy: actor.login,
        openedAt: now,
        reportDueAt: due,
        organizations: { create: orgs.map((organizationId) => ({ organizationId })) },
        alerts: { create: alertIds.map((alertId) => ({ alertId, linkedBy: actor.login })) },
      },
    });
    await event(
      tx,
      row.id,
      actor.login,
      "opened",
      summary,
      { kind: input.kind, level: input.level, levelVersion: version, exercise: !!input.exercise, organizations: orgs },
      now,
    );
    for (const id of alertIds) await event(tx, row.id, actor.login, "alert_linked", "", { alertId: id }, now);
    return row;
  });
  for (const id of alertIds)
    await appendAlertHistory(id, { at: now.toISOString(), by: actor.login, action: "incident_linked", ref: `/incidents/${incident.id}` }, a.scope);
  const path = await escalationPath(primary, input.level);
  await notifyIncident("incident.opened", incident, path);
  return incident.id;
}

async function checkOrganizations(scope: Scope, orgs: string[]): Promise<void> {
  const known = await db().organization.findMany({ where: { id: { in: orgs } }, select: { id: true } });
  for (const org of orgs) {
    if (!known.some((k) => k.id === org) || !scope.includes(org))
      throw new IncidentError("bad_organization", `organization ${org}: unknown or outside your scope`);
  }
}

export interface IncidentFilter {
  status?: "open" | "closed" | "all";
  organization?: string;
  exercise?: boolean;
}

/** Incidents in the actor's scope, newest first, with the overdue flag. */
export async function listIncidents(actor: Principal, f: IncidentFilter = {}, now = new Date()) {
  const a = await accessOf(actor);
  a.scope.require(f.organization);
  const rows = await db().incident.findMany({
    where: {
      ...incidentScopeWhere(a.scope),
      ...(f.organization ? { organizations: { some: { organizationId: f.organization } } } : {}),
      ...(f.status === "open" ? { status: { not: "closed" } } : f.status === "closed" ? { status: "closed" } : {}),
      ...(f.exercise !== undefined ? { exercise: f.exercise } : {}),
    },
    orderBy: { openedAt: "desc" },
    take: 500,
    include: { organizations: true },
  });
  return rows.map((r) => ({ ...r, overdue: isOverdue(r, now) }));
}

export function isOverdue(i: { status: string; reportDueAt: Date | null; reportedAt: Date | null }, now = new Date()): boolean {
  return i.status !== "closed" && !!i.reportDueAt && !i.reportedAt && i.reportDueAt.getTime() < now.getTime();
}

/** One incident in scope with its timeline, links and requests; not found (404) otherwise. */
export async function getIncident(actor: Principal, id: number) {
  const a = await accessOf(actor);
  return { ...(await loadIncident(a.scope, id)), access: { manage: a.manage, prefecture: a.prefecture } };
}

export async function loadIncident(scope: Scope, id: number) {
  if (!Number.isSafeInteger(id) || id < 1) throw new IncidentError("not_found", `no incident ${id}`);
  const row = await db().incident.findFirst({
    where: { id, ...incidentScopeWhere(scope) },
    include: {
      organizations: true,
      alerts: { orderBy: { linkedAt: "asc" } },
      queries: { orderBy: { id: "asc" } },
      timeline: { orderBy: [{ at: "asc" }, { id: "asc" }] },
      investigations: { orderBy: { id: "asc" }, include: { attachments: { select: { id: true, fileName: true, size: true } } } },
    },
  });
  if (!row) throw new IncidentError("not_found", `no incident ${id}`);
  const levels = await levelsOfVersion(await planOwnerOf(row.organizationId), row.levelVersion);
  return { ...row, levelDefinition: levels.find((l) => l.level === row.level), levels };
}

/** Runs a change on an incident the actor may see (404 otherwise) and may change. */
async function change<T>(
  actor: Principal,
  id: number,
  opts: { manager: boolean; whenClosed?: boolean },
  fn: (tx: Tx, incident: Awaited<ReturnType<typeof loadIncident>>, a: IncidentAccess) => Promise<T>,
): Promise<T> {
  const a = await accessOf(actor);
  const incident = await loadIncident(a.scope, id);
  if (opts.manager) requireManager(a);
  if (incident.status === "closed" && !opts.whenClosed) throw new IncidentError("closed", `incident ${id} is closed`);
  return db().$transaction((tx) => fn(tx, incident, a));
}

/** Moves the incident to another status (closing sets the closed time; reopening from 終結 clears it). */
export async function changeStatus(actor: Principal, id: number, to: string, reason = "", now = new Date()): Promise<void> {
  if (!STATUSES.includes(to as IncidentStatus)) throw new IncidentError("bad_input", `status: unknown status "${to}"`);
  const note = text(reason, "reason");
  await change(actor, id, { manager: true, whenClosed: true }, async (tx, incident) => {
    if (incident.status === to) return;
    await tx.incident.update({ where: { id }, data: { status: to, closedAt: to === "closed" ? now : null } });
    await event(tx, id, actor.login, "status", note, { from: incident.status, to }, now);
  });
}

/**
 * Grades the incident anew under the definitions in force. Raising it
 * notifies `incident.raised` and, when the new level requires an upward
 * report, starts a new deadline from now.
 */
export async function changeLevel(actor: Principal, id: number, level: number, reason = "", now = new Date()): Promise<void> {
  if (![1, 2, 3, 4].includes(level)) throw new IncidentError("bad_input", `level: ${level} is not 1–4`);
  const note = text(reason, "reason", { required: true });
  const raised = await change(actor, id, { manager: true }, async (tx, incident) => {
    if (incident.level === level) return undefined;
    const { version } = await levelsInForce(incident.organizationId);
    const up = level > incident.level;
    const due = up ? await reportDue(incident.organizationId, version, level, now) : null;
    await tx.incident.update({
      where: { id },
      data: { level, levelVersion: version, ...(due ? { reportDueAt: due, reportedAt: null, overdueNotifiedAt: null } : {}) },
    });
    await event(
      tx,
      id,
      actor.login,
      "level",
      note,
      { from: incident.level, to: level, levelVersion: version, ...(due ? { reportDueAt: due.toISOString() } : {}) },
      now,
    );
    return up ? { ...incident, level } : undefined;
  });
  if (raised) await notifyIncident("incident.raised", raised, await escalationPath(raised.organizationId, level), [note]);
}

/** A note on the timeline (managers and the municipal officers of a concerned organisation). */
export async function addNote(actor: Principal, id: number, note: string): Promise<void> {
  const body = text(note, "note", { required: true });
  await change(actor, id, { manager: false }, (tx) => event(tx, id, actor.login, "note", body));
}

export interface ContactMade {
  who: string;
  means: string;
  note?: string;
  /** This contact is the upward report the level requires: the deadline is met. */
  upward?: boolean;
  at?: Date;
}

/** Records a contact made (who was told, how); an upward report stops the deadline. */
export async function recordContact(actor: Principal, id: number, c: ContactMade, now = new Date()): Promise<void> {
  const who = text(c.who, "who", { required: true, max: 200 });
  if (!MEANS.includes(c.means as (typeof MEANS)[number])) throw new IncidentError("bad_input", `means: unknown means "${c.means}"`);
  const note = text(c.note, "note");
  const at = c.at ?? now;
  if (Number.isNaN(at.getTime()) || at.getTime() > now.getTime() + 60_000) throw new IncidentError("bad_input", "at: not a past time");
  await change(actor, id, { manager: true }, async (tx, incident) => {
    await event(tx, id, actor.login, "contact", note, { who, means: c.means, upward: !!c.upward }, at);
    if (c.upward && !incident.reportedAt) {
      await tx.incident.update({ where: { id }, data: { reportedAt: at } });
      await event(tx, id, actor.login, "reported", who, { reportDueAt: incident.reportDueAt?.toISOString() ?? null }, at);
    }
  });
}

export interface Decision {
  decision: string;
  decidedBy: string;
  reason: string;
  at?: Date;
}

/** Records a decision (ネットワーク切断 decided / lifted, or another), by whom, when and why. */
export async function recordDecision(actor: Principal, id: number, d: Decision, now = new Date()): Promise<void> {
  if (!DECISIONS.includes(d.decision as (typeof DECISIONS)[number])) throw new IncidentError("bad_input", `decision: unknown decision "${d.decision}"`);
  const decidedBy = text(d.decidedBy, "decidedBy", { required: true, max: 200 });
  const reason = text(d.reason, "reason", { required: true });
  const at = d.at ?? now;
  if (Number.isNaN(at.getTime()) || at.getTime() > now.getTime() + 60_000) throw new IncidentError("bad_input", "at: not a past time");
  await change(actor, id, { manager: true }, async (tx) => {
    if (d.decision !== "other") await tx.incident.update({ where: { id }, data: { disconnected: d.decision === "disconnect" } });
    await event(tx, id, actor.login, "decision", reason, { decision: d.decision, decidedBy }, at);
  });
}

export async function updateMeasures(actor: Principal, id: number, measures: string): Promise<void> {
  const body = text(measures, "measures");
  await change(actor, id, { manager: true, whenClosed: true }, async (tx) => {
    await tx.incident.update({ where: { id }, data: { measures: body } });
    await event(tx, id, actor.login, "measures", body);
  });
}

/** Links an alert in scope (its organisation becomes concerned) and notes the incident in the alert's history. */
export async function linkAlert(actor: Principal, id: number, alertId: string, now = new Date()): Promise<void> {
  const a = await accessOf(actor);
  const alert = ALERT_ID.test(alertId) ? await getAlert(alertId, a.scope) : undefined;
  if (!alert) throw new IncidentError("bad_alert", `alert ${alertId}: not found`);
  const linked = await change(actor, id, { manager: true }, async (tx, incident) => {
    if (incident.alerts.some((x) => x.alertId === alertId)) return false;
    await tx.incidentAlert.create({ data: { incidentId: id, alertId, linkedBy: actor.login } });
    if (!incident.organizations.some((o) => o.organizationId === alert.organization.id))
      await tx.incidentOrganization.create({ data: { incidentId: id, organizationId: alert.organization.id } });
    await event(tx, id, actor.login, "alert_linked", "", { alertId }, now);
    return true;
  });
  if (linked) await appendAlertHistory(alertId, { at: now.toISOString(), by: actor.login, action: "incident_linked", ref: `/incidents/${id}` }, a.scope);
}

/** A resident code (11 digits) or individual number (12 digits) typed into a query: refused, only references are kept. */
const RESIDENT_NUMBER = /(?<!\d)\d{11,12}(?!\d)/;

/** Links a log-explorer query (its /events URL; references only). */
export async function linkQuery(actor: Principal, id: number, label: string, url: string): Promise<void> {
  const name = text(label, "label", { required: true, max: 200 });
  const u = url.trim();
  let parsed: URL;
  try {
    parsed = new URL(u, "http://console.invalid");
  } catch {
    throw new IncidentError("bad_query", "query: not a URL");
  }
  if (parsed.pathname !== "/events" || u.length > 2000 || RESIDENT_NUMBER.test(decodeURIComponent(parsed.search)))
    throw new IncidentError("bad_query", "query: an /events URL with references only");
  await change(actor, id, { manager: true }, async (tx) => {
    await tx.incidentQuery.create({ data: { incidentId: id, label: name, query: parsed.search.replace(/^\?/, ""), linkedBy: actor.login } });
    await event(tx, id, actor.login, "query_linked", name, { query: parsed.search });
  });
}

export async function addOrganization(actor: Principal, id: number, organizationId: string): Promise<void> {
  const a = await accessOf(actor);
  await checkOrganizations(a.scope, [organizationId]);
  await change(actor, id, { manager: true }, async (tx, incident) => {
    if (incident.organizations.some((o) => o.organizationId === organizationId)) return;
    await tx.incidentOrganization.create({ data: { incidentId: id, organizationId } });
    await event(tx, id, actor.login, "organization_added", "", { organizationId });
  });
}

/** Incidents an alert is linked to, in scope (the alert page lists them). */
export async function incidentsOfAlert(scope: Scope, alertId: string) {
  return db().incident.findMany({
    where: { alerts: { some: { alertId } }, ...incidentScopeWhere(scope) },
    select: { id: true, title: true, status: true, level: true, exercise: true },
    orderBy: { id: "asc" },
  });
}

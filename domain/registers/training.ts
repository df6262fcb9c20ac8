/**
 * The training and drills register (研修・訓練, issue 17 item 3): sessions of
 * security training, new-operator training, emergency drills (緊急時対応訓練)
 * and network disconnection drills, with the organisation, the day, the
 * participants (a count and the registry operators who took part), materials
 * stored like checklist evidence (domain/evidence.ts, SHA-256), the outcome and
 * lessons, and for a drill the exercise incident (訓練) it was run as.
 *
 * Every read and write goes through the caller's Scope (`scope.where()`): a
 * session of another municipality is 404 when asked by id, 403 when its
 * organisation is asked for. Admins, monitors and municipal officers read and
 * record; auditors have no pages here (their report reads the providers below
 * through the engagement's scope).
 *
 * The providers at the end (`trainingReminders`, `trainingFigures`,
 * `trainingAuditTables`) are listed in ./sources.ts.
 */
import { AuthError, type Principal } from "../../lib/auth/principal";
import { scopeOf, type Scope } from "../../lib/auth/scope";
import { fiscalYear as fiscalYearOf, jstDayEnd, jstMidnight, parseDateKey } from "../../lib/calendar";
import { config } from "../../lib/config";
import { db } from "../../lib/db";
import { formatDateOnly, t, type MessageKey } from "../../lib/i18n";
import { readUpload, UploadError } from "../../lib/upload";
import { EvidenceError, readBlob, storeEvidence } from "../evidence";
import { fiscalYearPeriod } from "../statistics/period";
import type { RegisterFigure, RegisterReminder, RegisterTable } from "./types";

type TrainingReminder = RegisterReminder & { kind: "operator_untrained" };
type Figure = RegisterFigure;
type Table = RegisterTable;

export const TRAINING_KINDS = ["security_training", "new_operator_training", "emergency_drill", "disconnection_drill"] as const;
export type TrainingKind = (typeof TRAINING_KINDS)[number];
/** Kinds that train operators (count towards "operators trained this fiscal year"). */
export const TRAINING_COURSES: TrainingKind[] = ["security_training", "new_operator_training"];
/** Kinds that are drills (may be linked to an exercise incident). */
export const DRILLS: TrainingKind[] = ["emergency_drill", "disconnection_drill"];

export const MAX_TEXT = 4000;
export const MAX_PARTICIPANTS = 10_000;
export const MAX_MATERIALS = 10;

export type TrainingErrorCode = "not_found" | "not_recorder" | "bad_input" | "bad_operator" | "bad_incident" | "file" | "too_large";

/** An expected refusal; `code` names the catalogue message `registers.training.error.<code>`. */
export class TrainingError extends Error {
  constructor(
    readonly code: TrainingErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const RECORDERS = new Set(["admin", "monitor", "municipal_officer"]);

/** The caller's scope for the register (auditors and API tokens: 403). */
export async function trainingScope(actor: Principal): Promise<Scope> {
  if (actor.kind !== "user" || !RECORDERS.has(actor.role)) throw new AuthError(403, "the training register is kept by admins, monitors and municipal officers");
  return scopeOf(actor);
}

export const kindLabel = (kind: string): string =>
  (TRAINING_KINDS as readonly string[]).includes(kind) ? t(`registers.training.kind.${kind}` as MessageKey) : kind;

export interface NewSession {
  organizationId: string;
  kind: string;
  title: string;
  /** YYYY-MM-DD (JST). */
  heldOn: string;
  /** Total participants; at least the operators listed. */
  participantCount: string | number;
  /** Registry operator ids, separated by commas, spaces or new lines. */
  operators?: string;
  outcome?: string;
  lessons?: string;
  /** An exercise incident (drills only), by id. */
  incidentId?: string;
  files?: { name: string; bytes: Buffer }[];
}

const text = (v: string | undefined, field: string, required: boolean, max = MAX_TEXT) => {
  const s = (v ?? "").trim();
  if (required && !s) throw new TrainingError("bad_input", `${field}: required`);
  if (s.length > max) throw new TrainingError("bad_input", `${field}: longer than ${max} characters`);
  return s;
};

/** Validates a new session against the registry (operators of the organisation, an exercise incident concerning it). */
async function validate(scope: Scope, input: NewSession, now: Date) {
  scope.require(input.organizationId);
  const org = await db().organization.findFirst({ where: { id: input.organizationId, ...scope.where("id") }, select: { id: true } });
  if (!org) throw new TrainingError("bad_input", `organization: "${input.organizationId}" is not an organisation`);
  if (!(TRAINING_KINDS as readonly string[]).includes(input.kind))
    throw new TrainingError("bad_input", `kind: "${input.kind}" is not one of ${TRAINING_KINDS.join(", ")}`);
  const kind = input.kind as TrainingKind;
  const title = text(input.title, "title", true, 200);
  const day = parseDateKey(input.heldOn);
  if (!day) throw new TrainingError("bad_input", `heldOn: "${input.heldOn}" is not a date (YYYY-MM-DD)`);
  if (jstMidnight(day).getTime() > now.getTime()) throw new TrainingError("bad_input", `heldOn: ${day} is in the future`);
  const operators = [
    ...new Set(
      (input.operators ?? "")
        .split(/[\s,、]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  if (operators.length > MAX_PARTICIPANTS) throw new TrainingError("bad_input", `operators: at most ${MAX_PARTICIPANTS}`);
  const known = operators.length
    ? await db().operator.findMany({
        where: { id: { in: operators }, ...scope.where("organizationId"), organizationId: input.organizationId },
        select: { id: true },
      })
    : [];
  const unknown = operators.filter((o) => !known.some((k) => k.id === o));
  if (unknown.length)
    throw new TrainingError("bad_operator", `operators: ${unknown.slice(0, 5).join(", ")} not registered in organisation ${input.organizationId}`);
  const rawCount = String(input.participantCount ?? "").trim();
  const count = rawCount === "" ? operators.length : Number(rawCount);
  if (!Number.isSafeInteger(count) || count < 0 || count > MAX_PARTICIPANTS)
    throw new TrainingError("bad_input", `participantCount: "${rawCount}" is not a whole number from 0 to ${MAX_PARTICIPANTS}`);
  if (count < operators.length) throw new TrainingError("bad_input", `participantCount: ${count} is fewer than the ${operators.length} operators listed`);
  let incidentId: number | null = null;
  const rawIncident = (input.incidentId ?? "").trim();
  if (rawIncident) {
    if (!DRILLS.includes(kind)) throw new TrainingError("bad_incident", "incident: only a drill is linked to an exercise incident");
    const id = /^\d{1,9}$/.test(rawIncident) ? Number(rawIncident) : 0;
    const incident = id
      ? await db().incident.findFirst({
          where: { id, exercise: true, organizations: { some: { organizationId: input.organizationId } } },
          select: { id: true },
        })
      : null;
    if (!incident) throw new TrainingError("bad_incident", `incident: ${rawIncident} is not an exercise incident of organisation ${input.organizationId}`);
    incidentId = incident.id;
  }
  const files = (input.files ?? []).filter((f) => f.name && f.bytes.length);
  if (files.length > MAX_MATERIALS) throw new TrainingError("file", `materials: at most ${MAX_MATERIALS}`);
  return {
    kind,
    title,
    heldOn: jstMidnight(day),
    participantCount: count,
    operators,
    outcome: text(input.outcome, "outcome", false),
    lessons: text(input.lessons, "lessons", false),
    incidentId,
    files,
  };
}

function storeAll(files: { name: string; bytes: Buffer }[]) {
  try {
    return files.map((f) => storeEvidence(f));
  } catch (e) {
    if (e instanceof EvidenceError) throw new TrainingError(e.code === "file_too_large" ? "too_large" : "file", e.message);
    throw e;
  }
}

/** Records a session (with its participants and materials) for an organisation in the actor's scope; returns its id. */
export async function recordSession(actor: Principal, input: NewSession, now = new Date()): Promise<number> {
  const scope = await trainingScope(actor);
  const v = await validate(scope, input, now);
  const stored = storeAll(v.files);
  const s = await db().trainingSession.create({
    data: {
      organizationId: input.organizationId,
      kind: v.kind,
      title: v.title,
      heldOn: v.heldOn,
      participantCount: v.participantCount,
      outcome: v.outcome,
      lessons: v.lessons,
      incidentId: v.incidentId,
      recordedBy: actor.login,
      participants: { create: v.operators.map((operatorId) => ({ operatorId })) },
      materials: { create: stored.map((m) => ({ ...m, uploadedById: actor.id })) },
    },
  });
  return s.id;
}

/**
 * The new-session form posted as multipart (fields and at most one material,
 * field `file`): the permission (role, organisation in scope) is checked
 * before the body is read, the size limit while it streams.
 */
export async function receiveSessionUpload(actor: Principal, req: Request, now = new Date()): Promise<{ id: number; organizationId: string }> {
  const scope = await trainingScope(actor);
  const organizationId = new URL(req.url).searchParams.get("organization") ?? "";
  if (!organizationId) throw new TrainingError("bad_input", "organization: required (?organization=…)");
  scope.require(organizationId); // 403 before the body
  let upload;
  try {
    upload = await readUpload(req, config().EVIDENCE_MAX_BYTES, { fileOptional: true });
  } catch (e) {
    if (e instanceof UploadError)
      throw new TrainingError(e.code === "bad_request" ? "bad_input" : e.code === "file_too_large" ? "too_large" : "file", e.message);
    throw e;
  }
  const f = upload.fields;
  const id = await recordSession(
    actor,
    {
      organizationId,
      kind: f.kind ?? "",
      title: f.title ?? "",
      heldOn: f.heldOn ?? "",
      participantCount: f.participantCount ?? "",
      operators: f.operators,
      outcome: f.outcome,
      lessons: f.lessons,
      incidentId: f.incidentId,
      files: upload.file ? [upload.file] : [],
    },
    now,
  );
  return { id, organizationId };
}

/** Adds a material to a session in scope (404 outside it); the permission is checked before the body is read. */
export async function receiveMaterialUpload(
  actor: Principal,
  sessionId: number,
  req: Request,
): Promise<{ id: string; sha256: string; organizationId: string }> {
  const scope = await trainingScope(actor);
  const s = await findSession(scope, sessionId);
  if (s.materials.length >= MAX_MATERIALS) throw new TrainingError("file", `materials: at most ${MAX_MATERIALS}`);
  let upload;
  try {
    upload = await readUpload(req, config().EVIDENCE_MAX_BYTES);
  } catch (e) {
    if (e instanceof UploadError)
      throw new TrainingError(e.code === "bad_request" ? "bad_input" : e.code === "file_too_large" ? "too_large" : "file", e.message);
    throw e;
  }
  const [stored] = storeAll([upload.file!]);
  const m = await db().trainingMaterial.create({ data: { sessionId: s.id, ...stored, uploadedById: actor.id } });
  return { id: m.id, sha256: m.sha256, organizationId: s.organizationId };
}

async function findSession(scope: Scope, id: number) {
  if (!Number.isSafeInteger(id) || id < 1) throw new TrainingError("not_found", `no session ${id}`);
  const s = await db().trainingSession.findFirst({
    where: { id, ...scope.where("organizationId") },
    include: { participants: { orderBy: { operatorId: "asc" } }, materials: { orderBy: { uploadedAt: "asc" } } },
  });
  if (!s) throw new TrainingError("not_found", `no session ${id}`);
  return s;
}

/** One session in the actor's scope (404 otherwise), with its exercise incident's title when the caller sees it. */
export async function getSession(actor: Principal, id: number) {
  const scope = await trainingScope(actor);
  const s = await findSession(scope, id);
  const orgs = scope.organizations;
  const incident = s.incidentId
    ? await db().incident.findFirst({
        where: { id: s.incidentId, ...(orgs ? { organizations: { some: { organizationId: { in: orgs } } } } : {}) },
        select: { id: true, title: true },
      })
    : null;
  return { ...s, incident };
}

/** Deletes a session in scope (404 otherwise); its stored files stay (content-addressed, maybe shared). */
export async function deleteSession(actor: Principal, id: number): Promise<{ organizationId: string; title: string }> {
  const scope = await trainingScope(actor);
  const s = await findSession(scope, id);
  const res = await db().trainingSession.deleteMany({ where: { id, ...scope.where("organizationId") } });
  if (!res.count) throw new TrainingError("not_found", `no session ${id}`);
  return { organizationId: s.organizationId, title: s.title };
}

export interface SessionFilter {
  organizationId?: string;
  fiscalYear?: number;
  kind?: string;
}

/** Sessions in scope (403 when a requested organisation is outside it), newest first. */
export async function listSessions(actor: Principal, filter: SessionFilter = {}) {
  const scope = (await trainingScope(actor)).narrow(filter.organizationId);
  const period = filter.fiscalYear ? fiscalYearPeriod(filter.fiscalYear) : undefined;
  return db().trainingSession.findMany({
    where: {
      ...scope.where("organizationId"),
      ...(period ? { heldOn: { gte: period.from, lt: period.to } } : {}),
      ...(filter.kind && (TRAINING_KINDS as readonly string[]).includes(filter.kind) ? { kind: filter.kind } : {}),
    },
    include: { _count: { select: { participants: true, materials: true } } },
    orderBy: [{ heldOn: "desc" }, { id: "desc" }],
    take: 1000,
  });
}

/** A material's bytes, for a caller who sees its session (404 otherwise); the hash is re-checked. */
export async function readMaterial(actor: Principal, materialId: string) {
  const scope = await trainingScope(actor);
  const m = await db().trainingMaterial.findFirst({
    where: { id: materialId, session: scope.where("organizationId") },
    include: { session: { select: { organizationId: true } } },
  });
  if (!m) throw new AuthError(404, `no material ${materialId}`);
  return { ...m, organizationId: m.session.organizationId, bytes: readBlob(m.sha256) };
}

/** The exercise incidents concerning the organisations in the actor's scope (for the drill form's link). */
export async function exerciseIncidents(actor: Principal) {
  const scope = await trainingScope(actor);
  const orgs = scope.organizations;
  return db().incident.findMany({
    where: { exercise: true, ...(orgs ? { organizations: { some: { organizationId: { in: orgs } } } } : {}) },
    select: { id: true, title: true, openedAt: true, organizationId: true },
    orderBy: { openedAt: "desc" },
    take: 100,
  });
}

// ---- Providers for ./sources.ts (dashboard, notifications, checklist suggestions, audit report) ----

const registerHref = (organizationId: string, fy?: number, kind?: string) =>
  `/registers/training?organization=${organizationId}${fy ? `&fy=${fy}` : ""}${kind ? `&kind=${kind}` : ""}`;

/** The person operators of each organisation in scope that took part in no training course in the fiscal year. */
export async function untrainedOperators(scope: Scope, fy: number, organizationId?: string): Promise<{ id: string; organizationId: string }[]> {
  const narrowed = scope.narrow(organizationId);
  const period = fiscalYearPeriod(fy);
  const [operators, trained] = await Promise.all([
    db().operator.findMany({
      where: { kind: "person", ...narrowed.where("organizationId") },
      select: { id: true, organizationId: true },
      orderBy: { id: "asc" },
    }),
    db().trainingParticipant.findMany({
      where: { session: { ...narrowed.where("organizationId"), kind: { in: TRAINING_COURSES }, heldOn: { gte: period.from, lt: period.to } } },
      select: { operatorId: true },
      distinct: ["operatorId"],
    }),
  ]);
  const done = new Set(trained.map((p) => p.operatorId));
  return operators.filter((o) => !done.has(o.id));
}

/** Reminders: operators without training in the fiscal year of `now` (due at the year's end). */
export async function trainingReminders(scope: Scope, now: Date): Promise<TrainingReminder[]> {
  const fy = fiscalYearOf(now);
  const due = fiscalYearPeriod(fy).to;
  return (await untrainedOperators(scope, fy)).map((o) => ({
    kind: "operator_untrained" as const,
    organizationId: o.organizationId,
    subject: o.id,
    due,
    href: registerHref(o.organizationId, fy),
  }));
}

/** Figures of one organisation's fiscal year for the checklist signals of the training and drill items. */
export async function trainingFigures(scope: Scope, organizationId: string, fy: number): Promise<Record<string, Figure>> {
  const narrowed = scope.narrow(organizationId);
  const period = fiscalYearPeriod(fy);
  const [byKind, persons, untrained] = await Promise.all([
    db().trainingSession.groupBy({
      by: ["kind"],
      where: { ...narrowed.where("organizationId"), heldOn: { gte: period.from, lt: period.to } },
      _count: { _all: true },
    }),
    db().operator.count({ where: { kind: "person", ...narrowed.where("organizationId") } }),
    untrainedOperators(narrowed, fy, organizationId),
  ]);
  const n = (k: TrainingKind) => byKind.find((r) => r.kind === k)?._count._all ?? 0;
  return {
    training_sessions: { value: n("security_training"), href: registerHref(organizationId, fy, "security_training") },
    new_operator_trainings: { value: n("new_operator_training"), href: registerHref(organizationId, fy, "new_operator_training") },
    operators_trained: { value: persons - untrained.length, of: persons, href: registerHref(organizationId, fy) },
    drills: { value: n("emergency_drill"), href: registerHref(organizationId, fy, "emergency_drill") },
    disconnection_drills: { value: n("disconnection_drill"), href: registerHref(organizationId, fy, "disconnection_drill") },
  };
}

/** The audit report's table of the period's training sessions and drills (the period is a half-open [from, to)). */
export async function trainingAuditTables(scope: Scope, organizationId: string, period: { from: Date; to: Date }): Promise<Table[]> {
  const narrowed = scope.narrow(organizationId);
  const rows = await db().trainingSession.findMany({
    where: { ...narrowed.where("organizationId"), heldOn: { gte: period.from, lt: period.to } },
    include: { _count: { select: { participants: true } } },
    orderBy: [{ heldOn: "asc" }, { id: "asc" }],
  });
  return [
    {
      title: "registers.training.audit.title",
      columns: [
        "registers.training.heldOn",
        "registers.training.kind",
        "registers.training.titleField",
        "registers.training.participantCount",
        "registers.training.outcome",
      ],
      rows: rows.map((s) => [
        formatDateOnly(s.heldOn),
        kindLabel(s.kind),
        s.title,
        String(s.participantCount),
        s.outcome.length > 80 ? `${s.outcome.slice(0, 80)}…` : s.outcome,
      ]),
    },
  ];
}

/** The JST day a session was held, as YYYY-MM-DD (the form's value). */
export const heldOnKey = (d: Date): string => new Date(d.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);

/** The end of a fiscal year's last day, for "due" displays. */
export const fiscalYearDue = (fy: number): Date => jstDayEnd(`${fy + 1}-03-31`);

/**
 * System-work records (連携制御記録): one per piece of system work of an
 * organisation (renewal, repair, upgrade) with the vendor's schedule, when
 * link control (連携制御) between the resident-records system and the CS was
 * set and released, and the two confirmations release requires — all
 * operation tests ended, test data deleted — each by a named person with its
 * time. Seed 000's incident is a release without them.
 *
 * Every function takes the acting user, derives its Scope and puts it into
 * the query's `where`; an organisation outside the scope is 403, a record
 * outside it 404. The maintenance windows of the registry stay as they are:
 * a record is the richer object, read by `maintenance-window-update` beside them.
 */
import { AuthError, prefectureOf, type Principal } from "../../lib/auth/principal";
import { scopeOf } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { parseSteps, PURPOSES, releaseBlockers, serializeSteps, STEPS, type Purpose, type Step, type StepDates } from "./slippage";

export class SystemWorkError extends Error {
  constructor(
    readonly code: "bad_input" | "not_editor" | "not_set" | "already_set" | "already_released" | "release_refused" | "bad_time",
    message: string,
    /** Codes of what is missing (release_refused), translated by the caller. */
    readonly missing: string[] = [],
  ) {
    super(message);
  }
}

export const MAX_TEXT = 200;

const text = (v: string | null | undefined, field: string, required = true): string | null => {
  const s = (v ?? "").trim();
  if (!s) {
    if (required) throw new SystemWorkError("bad_input", `${field} is required`, [field]);
    return null;
  }
  if (s.length > MAX_TEXT) throw new SystemWorkError("bad_input", `${field} longer than ${MAX_TEXT} characters`, [field]);
  return s;
};

/** Admins and officers of the organisation itself, and the prefecture's staff for organisations in their scope, keep its records. */
export async function canEdit(actor: Principal, organizationId: string): Promise<boolean> {
  if (actor.kind !== "user") return false;
  if (actor.organizationId === organizationId && (actor.role === "admin" || actor.role === "municipal_officer")) return true;
  const pref = await prefectureOf(actor);
  return !!pref && (await scopeOf(actor)).includes(organizationId);
}

export interface SystemWorkInput {
  organizationId: string;
  title: string;
  vendor: string;
  purpose: string;
  note?: string | null;
  steps: { step: string; plannedAt?: string | null; actualAt?: string | null }[];
}

function checkedSteps(list: SystemWorkInput["steps"]): StepDates[] {
  const out: StepDates[] = [];
  for (const s of list) {
    if (!(STEPS as readonly string[]).includes(s.step)) throw new SystemWorkError("bad_input", `unknown step ${s.step}`, ["step"]);
    const date = (v: string | null | undefined, field: string) => {
      if (!v) return null;
      const t = Date.parse(v);
      if (Number.isNaN(t)) throw new SystemWorkError("bad_input", `${s.step}.${field}: not a date`, [`${s.step}.${field}`]);
      return new Date(t).toISOString();
    };
    out.push({ step: s.step as Step, plannedAt: date(s.plannedAt, "plannedAt"), actualAt: date(s.actualAt, "actualAt") });
  }
  return parseSteps(serializeSteps(out));
}

/** Creates a record for an organisation in scope (403 outside it; 403 for someone who does not keep its records). */
export async function createSystemWork(actor: Principal, input: SystemWorkInput) {
  const scope = await scopeOf(actor);
  scope.require(input.organizationId);
  if (!(await canEdit(actor, input.organizationId)))
    throw new SystemWorkError("not_editor", "only the organisation's admins and officers or the prefecture keep its records");
  if (!(PURPOSES as readonly string[]).includes(input.purpose)) throw new SystemWorkError("bad_input", `unknown purpose ${input.purpose}`, ["purpose"]);
  const org = await db().organization.findFirst({ where: { id: input.organizationId, ...scope.where("id") } });
  if (!org) throw new AuthError(403, `organisation ${input.organizationId} is outside your scope`);
  return db().systemWork.create({
    data: {
      organizationId: input.organizationId,
      title: text(input.title, "title")!,
      vendor: text(input.vendor, "vendor")!,
      purpose: input.purpose as Purpose,
      note: text(input.note, "note", false),
      steps: serializeSteps(checkedSteps(input.steps)),
      createdById: actor.id,
    },
  });
}

/** The records of the organisations in scope (optionally one organisation, 403 when outside), newest first. */
export async function listSystemWork(actor: Principal, opts: { organizationId?: string } = {}) {
  const scope = (await scopeOf(actor)).narrow(opts.organizationId);
  return db().systemWork.findMany({ where: scope.where("organizationId"), orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 500 });
}

/** One record in scope; 404 otherwise (also for unknown ids). */
export async function getSystemWork(actor: Principal, id: string) {
  const scope = await scopeOf(actor);
  const w = await db().systemWork.findFirst({ where: { id, ...scope.where("organizationId") } });
  if (!w) throw new AuthError(404, `system work ${id} not found`);
  return { ...w, stepList: parseSteps(w.steps), canEdit: await canEdit(actor, w.organizationId) };
}

type Loaded = Awaited<ReturnType<typeof getSystemWork>>;

async function forEdit(actor: Principal, id: string): Promise<Loaded> {
  const w = await getSystemWork(actor, id);
  if (!w.canEdit) throw new SystemWorkError("not_editor", "only the organisation's admins and officers or the prefecture keep its records");
  return w;
}

/** Writes a change guarded on the record's last update (two people clicking at once cannot both win). */
async function write(w: Loaded, data: Record<string, unknown>) {
  const r = await db().systemWork.updateMany({ where: { id: w.id, organizationId: w.organizationId, updatedAt: w.updatedAt }, data });
  if (!r.count) throw new SystemWorkError("bad_input", "the record changed meanwhile; reload");
}

const withActual = (steps: StepDates[], step: Step, at: Date) =>
  serializeSteps(steps.map((s) => (s.step === step && !s.actualAt ? { ...s, actualAt: at.toISOString() } : s)));

/** Changes the schedule (planned and actual dates) and the describing fields; link-control times are changed only by their own steps. */
export async function updateSystemWork(actor: Principal, id: string, input: Omit<SystemWorkInput, "organizationId">) {
  const w = await forEdit(actor, id);
  if (!(PURPOSES as readonly string[]).includes(input.purpose)) throw new SystemWorkError("bad_input", `unknown purpose ${input.purpose}`, ["purpose"]);
  const data = {
    title: text(input.title, "title")!,
    vendor: text(input.vendor, "vendor")!,
    purpose: input.purpose,
    note: text(input.note, "note", false),
    steps: serializeSteps(checkedSteps(input.steps)),
  };
  await write(w, data);
  return { before: { title: w.title, vendor: w.vendor, purpose: w.purpose, steps: w.steps }, after: data };
}

const instant = (at: Date | undefined, now: Date, notBefore?: Date | null) => {
  const t = at ?? now;
  if (Number.isNaN(t.getTime()) || t.getTime() > now.getTime() + 5 * 60_000) throw new SystemWorkError("bad_time", "the time must not be in the future");
  if (notBefore && t.getTime() < notBefore.getTime()) throw new SystemWorkError("bad_time", "the time is before link control was set");
  return t;
};

/** Records that link control was set (連携制御設定) by a named person. */
export async function setLinkControl(actor: Principal, id: string, input: { by: string; at?: Date }, now = new Date()) {
  const w = await forEdit(actor, id);
  if (w.linkControlSetAt) throw new SystemWorkError("already_set", "link control is already set");
  const at = instant(input.at, now);
  await write(w, { linkControlSetAt: at, linkControlSetBy: text(input.by, "by"), steps: withActual(w.stepList, "link_control_set", at) });
  return at;
}

/** One of the two confirmations release needs, by a named person at a time (not before link control was set). */
export async function confirmForRelease(
  actor: Principal,
  id: string,
  kind: "tests_ended" | "test_data_deleted",
  input: { by: string; at?: Date },
  now = new Date(),
) {
  const w = await forEdit(actor, id);
  if (!w.linkControlSetAt) throw new SystemWorkError("not_set", "link control has not been set");
  if (w.linkControlReleasedAt) throw new SystemWorkError("already_released", "link control was already released");
  const at = instant(input.at, now, w.linkControlSetAt);
  const by = text(input.by, "by");
  await write(
    w,
    kind === "tests_ended"
      ? { testsEndedAt: at, testsEndedBy: by, steps: withActual(w.stepList, "operation_test", at) }
      : { testDataDeletedAt: at, testDataDeletedBy: by, steps: withActual(w.stepList, "test_data_delete", at) },
  );
  return at;
}

/** Releases link control (連携制御解除); refused unless both confirmations are recorded. */
export async function releaseLinkControl(actor: Principal, id: string, input: { by: string; at?: Date }, now = new Date()) {
  const w = await forEdit(actor, id);
  const blockers = releaseBlockers(w);
  if (blockers.includes("not_set")) throw new SystemWorkError("not_set", "link control has not been set");
  if (blockers.includes("already_released")) throw new SystemWorkError("already_released", "link control was already released");
  if (blockers.length) throw new SystemWorkError("release_refused", `release refused: ${blockers.join(", ")}`, blockers);
  const at = instant(input.at, now, w.linkControlSetAt);
  const latest = Math.max(w.testsEndedAt!.getTime(), w.testDataDeletedAt!.getTime());
  if (at.getTime() < latest) throw new SystemWorkError("bad_time", "release must come after both confirmations");
  // Guarded on the confirmations too: a release never lands on a record whose confirmations were not both there.
  const r = await db().systemWork.updateMany({
    where: { id: w.id, organizationId: w.organizationId, linkControlReleasedAt: null, testsEndedAt: { not: null }, testDataDeletedAt: { not: null } },
    data: { linkControlReleasedAt: at, linkControlReleasedBy: text(input.by, "by"), steps: withActual(w.stepList, "link_control_release", at) },
  });
  if (!r.count) throw new SystemWorkError("already_released", "link control was already released");
  return at;
}

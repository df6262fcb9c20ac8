/**
 * Periodic log review (操作履歴の点検): per organisation a schedule (monthly by
 * default, or quarterly; due some days after the period ends) and one review
 * task per ended period, which its organisation's officers fill in (checks,
 * findings, outcome) and mark done, and a second person signs off — an admin
 * of the organisation or the prefecture's staff, never the reviewer.
 *
 * Every read and write takes the caller's Scope (`scope.where()`); an auditor
 * sees only reviews whose period lies in its audit period. Tasks are created
 * idempotently (unique organisation + period start), so the detection worker's
 * pass and a page opening them lazily never make duplicates.
 */
import type { Prisma } from "../../lib/generated/prisma/client";
import { AuthError, type Principal, type SessionUser } from "../../lib/auth/principal";
import { scopeOf, type Scope } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { DEFAULT_DUE_DAYS, DEFAULT_FREQUENCY, endedPeriods, FREQUENCIES, isOverdue, MAX_DUE_DAYS, periodStartOf, type Frequency } from "./periods";

/** The standard checks of a review: the three of LOG-01 and the sample checked against the paper requests. */
export const CHECKS = ["auth_ids", "after_hours", "authority", "sample"] as const;
export type Check = (typeof CHECKS)[number];
export const OUTCOMES = ["ok", "action_required"] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const STATUSES = ["draft", "done", "signed_off"] as const;
export type ReviewStatus = (typeof STATUSES)[number];

export type ReviewErrorCode = "not_found" | "bad_input" | "not_editor" | "not_signer" | "self_signoff" | "wrong_state";

export class ReviewError extends Error {
  constructor(
    readonly code: ReviewErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Organisation kinds that review their own logs (the national centre and agencies are not in the console's review cycle). */
const REVIEWING_KINDS = ["prefecture", "municipality"];

// ------------------------------------------------------------------ schedules and tasks

export interface ScheduleInput {
  frequency: string;
  dueDays: number;
}

function parseSchedule(input: ScheduleInput): { frequency: Frequency; dueDays: number } {
  if (!(FREQUENCIES as readonly string[]).includes(input.frequency))
    throw new ReviewError("bad_input", `frequency: "${input.frequency}" is not monthly or quarterly`);
  if (!Number.isInteger(input.dueDays) || input.dueDays < 0 || input.dueDays > MAX_DUE_DAYS)
    throw new ReviewError("bad_input", `dueDays: ${input.dueDays} is not a whole number of days from 0 to ${MAX_DUE_DAYS}`);
  return { frequency: input.frequency as Frequency, dueDays: input.dueDays };
}

/**
 * Sets an organisation's schedule (an admin of the organisation or of its
 * prefecture). A new schedule starts with the last ended period; a changed
 * one applies to the periods after the tasks already made.
 */
export async function setSchedule(actor: Principal, organizationId: string, input: ScheduleInput, now = new Date()) {
  if (actor.role !== "admin") throw new AuthError(403, "only an administrator sets the review schedule");
  if (!/^\d{6}$/.test(organizationId)) throw new ReviewError("bad_input", `organization: "${organizationId}" is not an organisation code`);
  const scope = await scopeOf(actor, now);
  scope.require(organizationId);
  const s = parseSchedule(input);
  const existing = await db().logReviewSchedule.findFirst({ where: { AND: [{ organizationId }, scope.where("organizationId")] } });
  if (existing)
    return db().logReviewSchedule.update({ where: { id: existing.id }, data: { frequency: s.frequency, dueDays: s.dueDays, updatedBy: actor.login } });
  const startsOn = defaultStart(now, s.frequency);
  return db().logReviewSchedule.create({ data: { organizationId, frequency: s.frequency, dueDays: s.dueDays, startsOn, updatedBy: actor.login } });
}

/** Where a new schedule starts: the period before the current one (the last ended), so its first task is due soon. */
function defaultStart(now: Date, frequency: Frequency): Date {
  const current = periodStartOf(now, frequency);
  return periodStartOf(new Date(current.getTime() - 1), frequency);
}

/**
 * Gives every reviewing organisation (prefecture, municipality) without a
 * schedule the default one (monthly, due 10 days after the month), starting
 * with the last ended period. Run by the detection worker.
 */
export async function ensureDefaultSchedules(scope: Scope, now = new Date()): Promise<number> {
  const orgs = await db().organization.findMany({ where: { kind: { in: REVIEWING_KINDS }, ...scope.where("id") }, select: { id: true } });
  const have = new Set((await db().logReviewSchedule.findMany({ where: scope.where(), select: { organizationId: true } })).map((s) => s.organizationId));
  let made = 0;
  for (const o of orgs) {
    if (have.has(o.id)) continue;
    try {
      await db().logReviewSchedule.create({
        data: {
          organizationId: o.id,
          frequency: DEFAULT_FREQUENCY,
          dueDays: DEFAULT_DUE_DAYS,
          startsOn: defaultStart(now, DEFAULT_FREQUENCY),
          updatedBy: "system",
        },
      });
      made++;
    } catch (e) {
      if (!isUniqueViolation(e)) throw e; // another worker made it first
    }
  }
  return made;
}

const isUniqueViolation = (e: unknown) => (e as { code?: string })?.code === "P2002";

/**
 * Creates the review task of every ended period of each schedule in the
 * scope that has none yet; idempotent and safe to run from several workers
 * at once (a duplicate is refused by the unique key and skipped). Returns
 * the number of tasks created.
 */
export async function ensureReviewTasks(scope: Scope, now = new Date()): Promise<number> {
  const schedules = await db().logReviewSchedule.findMany({ where: scope.where() });
  let made = 0;
  for (const s of schedules) {
    const last = await db().logReview.findFirst({
      where: { AND: [{ organizationId: s.organizationId }, scope.where("organizationId")] },
      orderBy: { periodEnd: "desc" },
    });
    // A changed frequency applies after the last task, so periods never overlap.
    const from = last && last.periodEnd.getTime() > s.startsOn.getTime() ? last.periodEnd : s.startsOn;
    for (const p of endedPeriods(from, now, s.frequency as Frequency, s.dueDays)) {
      try {
        await db().logReview.create({
          data: { organizationId: s.organizationId, frequency: s.frequency, periodStart: p.start, periodEnd: p.end, dueAt: p.dueAt },
        });
        made++;
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
      }
    }
  }
  return made;
}

// ------------------------------------------------------------------ reads

/** Prisma `where` of the reviews a scope may read: its organisations, and for an auditor only periods inside its audit periods. */
export function reviewScopeWhere(scope: Scope): Prisma.LogReviewWhereInput {
  const orgs = scope.organizations;
  if (!orgs) return {};
  const timed = orgs.filter((o) => (scope.periodsOf(o) ?? []).length > 0);
  const anyTime = orgs.filter((o) => !timed.includes(o));
  const or: Prisma.LogReviewWhereInput[] = [];
  if (anyTime.length) or.push({ organizationId: { in: anyTime } });
  for (const o of timed) for (const p of scope.periodsOf(o) ?? []) or.push({ organizationId: o, periodStart: { gte: p.from }, periodEnd: { lte: p.to } });
  return { ...scope.where("organizationId"), OR: or.length ? or : [{ id: "" }] };
}

export interface ReviewFilter {
  organization?: string;
  status?: string;
  /** Only overdue ones. */
  overdue?: boolean;
  /** Fiscal year of the period start. */
  fiscalYear?: number;
}

export type ReviewRow = Awaited<ReturnType<typeof listReviews>>[number];

/** Reviews in scope, overdue first (oldest due first), then the others newest period first. */
export async function listReviews(scope: Scope, f: ReviewFilter = {}, now = new Date()) {
  if (f.organization) scope.require(f.organization);
  const where: Prisma.LogReviewWhereInput = {
    AND: [
      reviewScopeWhere(scope),
      f.organization ? { organizationId: f.organization } : {},
      f.status && (STATUSES as readonly string[]).includes(f.status) ? { status: f.status } : {},
      f.overdue ? { status: "draft", dueAt: { lte: now } } : {},
      f.fiscalYear
        ? {
            periodStart: {
              gte: new Date(`${f.fiscalYear}-04-01T00:00:00+09:00`),
              lt: new Date(`${f.fiscalYear + 1}-04-01T00:00:00+09:00`),
            },
          }
        : {},
    ],
  };
  const rows = await db().logReview.findMany({ where, orderBy: [{ periodStart: "desc" }, { organizationId: "asc" }], take: 2000 });
  const withState = rows.map((r) => ({ ...r, overdue: isOverdue(r, now) }));
  return [...withState.filter((r) => r.overdue).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime()), ...withState.filter((r) => !r.overdue)];
}

/** Overdue reviews in scope (the dashboard's tile). */
export async function overdueReviewCount(scope: Scope, now = new Date()): Promise<number> {
  return db().logReview.count({ where: { AND: [reviewScopeWhere(scope), { status: "draft", dueAt: { lte: now } }] } });
}

export interface ReviewAccess {
  /** Fill in and mark done: the organisation's own officers, admins and monitors. */
  edit: boolean;
  /** Sign off a done review: an admin of the organisation, or prefecture staff above it (never the reviewer: checked on the act). */
  signOff: boolean;
}

async function accessOf(actor: Principal, organizationId: string): Promise<ReviewAccess> {
  const edit = actor.role !== "auditor" && actor.organizationId === organizationId;
  let signOff = false;
  if (actor.role === "admin" && actor.organizationId === organizationId) signOff = true;
  else if ((actor.role === "admin" || actor.role === "monitor") && actor.organizationId !== organizationId) {
    const own = await db().organization.findUnique({ where: { id: actor.organizationId }, select: { kind: true } });
    signOff = own?.kind === "prefecture" || own?.kind === "national";
  }
  return { edit, signOff };
}

export const parseChecks = (s: string): Check[] => {
  try {
    const v = JSON.parse(s) as unknown;
    return Array.isArray(v) ? (v.filter((c) => (CHECKS as readonly string[]).includes(c as string)) as Check[]) : [];
  } catch {
    return [];
  }
};

/** One review in the caller's scope (404 when there is none or it is outside the scope), with what the caller may do. */
export async function getReview(actor: Principal, id: string, now = new Date()) {
  const scope = await scopeOf(actor, now);
  const r = typeof id === "string" && id.length <= 64 ? await db().logReview.findFirst({ where: { AND: [{ id }, reviewScopeWhere(scope)] } }) : null;
  if (!r) throw new ReviewError("not_found", `no review ${id}`);
  const access = await accessOf(actor, r.organizationId);
  return { review: { ...r, checks: parseChecks(r.checks), overdue: isOverdue(r, now) }, access, scope };
}

// ------------------------------------------------------------------ changes

export interface ReviewInput {
  checks: string[];
  findings: string;
  outcome?: string;
  followUp?: string;
}

const MAX_TEXT = 4000;

function parseInput(input: ReviewInput): { checks: Check[]; findings: string; outcome: Outcome | null; followUp: string } {
  const unknown = input.checks.filter((c) => !(CHECKS as readonly string[]).includes(c));
  if (unknown.length) throw new ReviewError("bad_input", `checks: unknown "${unknown[0]}"`);
  if (input.outcome && !(OUTCOMES as readonly string[]).includes(input.outcome)) throw new ReviewError("bad_input", `outcome: unknown "${input.outcome}"`);
  const findings = (input.findings ?? "").trim();
  const followUp = (input.followUp ?? "").trim();
  if (findings.length > MAX_TEXT) throw new ReviewError("bad_input", `findings: longer than ${MAX_TEXT} characters`);
  if (followUp.length > MAX_TEXT) throw new ReviewError("bad_input", `followUp: longer than ${MAX_TEXT} characters`);
  return { checks: [...new Set(input.checks)] as Check[], findings, outcome: (input.outcome as Outcome) || null, followUp };
}

/** Saves the draft (checks, findings, outcome, follow-up); the organisation's own staff only. */
export async function saveReview(actor: SessionUser, id: string, input: ReviewInput, now = new Date()) {
  const { review, access } = await getReview(actor, id, now);
  if (!access.edit) throw new ReviewError("not_editor", `review ${id}: only ${review.organizationId}'s own staff fill in its review`);
  if (review.status !== "draft") throw new ReviewError("wrong_state", `review ${id} is ${review.status}, not a draft`);
  const v = parseInput(input);
  return conditionalUpdate(id, "draft", {
    checks: JSON.stringify(v.checks),
    findings: v.findings,
    outcome: v.outcome,
    followUp: v.followUp,
    reviewerId: actor.id,
    reviewerName: actor.name,
  });
}

/** Saves and marks the review done: every standard check ticked, an outcome, and for 要対応 the findings and the follow-up. */
export async function completeReview(actor: SessionUser, id: string, input: ReviewInput, now = new Date()) {
  const { review, access } = await getReview(actor, id, now);
  if (!access.edit) throw new ReviewError("not_editor", `review ${id}: only ${review.organizationId}'s own staff fill in its review`);
  if (review.status !== "draft") throw new ReviewError("wrong_state", `review ${id} is ${review.status}, not a draft`);
  if (review.periodEnd.getTime() > now.getTime()) throw new ReviewError("wrong_state", `review ${id}: its period has not ended`);
  const v = parseInput(input);
  const missing = CHECKS.filter((c) => !v.checks.includes(c));
  if (missing.length) throw new ReviewError("bad_input", `checks: not ticked: ${missing.join(", ")}`);
  if (!v.outcome) throw new ReviewError("bad_input", "outcome: choose 問題なし or 要対応");
  if (v.outcome === "action_required" && (!v.findings || !v.followUp))
    throw new ReviewError("bad_input", "findings and followUp: a review needing action says what was found and what follows");
  return conditionalUpdate(id, "draft", {
    status: "done",
    checks: JSON.stringify(v.checks),
    findings: v.findings,
    outcome: v.outcome,
    followUp: v.followUp,
    reviewerId: actor.id,
    reviewerName: actor.name,
    doneAt: now,
  });
}

/** Signs off a done review: a second person (admin of the organisation or prefecture staff), never its reviewer. */
export async function signOffReview(actor: SessionUser, id: string, comment = "", now = new Date()) {
  const { review, access } = await getReview(actor, id, now);
  if (!access.signOff) throw new ReviewError("not_signer", `review ${id}: sign-off is by an admin of ${review.organizationId} or the prefecture's staff`);
  if (review.status !== "done") throw new ReviewError("wrong_state", `review ${id} is ${review.status}, not done`);
  if (review.reviewerId === actor.id) throw new ReviewError("self_signoff", `review ${id}: ${actor.login} reviewed it and cannot sign it off`);
  if (comment.length > MAX_TEXT) throw new ReviewError("bad_input", `comment: longer than ${MAX_TEXT} characters`);
  return conditionalUpdate(id, "done", {
    status: "signed_off",
    signedOffById: actor.id,
    signedOffByName: actor.name,
    signedOffAt: now,
    signOffComment: comment.trim(),
  });
}

/** Returns a done review to draft (its reviewer's organisation or a signer), e.g. when the sign-off finds it incomplete. */
export async function reopenReview(actor: SessionUser, id: string, comment = "", now = new Date()) {
  const { review, access } = await getReview(actor, id, now);
  if (!access.edit && !access.signOff) throw new ReviewError("not_editor", `review ${id}: only its organisation's staff or a signer may reopen it`);
  if (review.status !== "done") throw new ReviewError("wrong_state", `review ${id} is ${review.status}, not done`);
  return conditionalUpdate(id, "done", { status: "draft", doneAt: null, signOffComment: comment.trim().slice(0, MAX_TEXT) });
}

/** Updates only while the review is still in `from` (two people acting at once: the second is refused, not overwritten). */
async function conditionalUpdate(id: string, from: ReviewStatus, data: Prisma.LogReviewUpdateManyMutationInput) {
  const res = await db().logReview.updateMany({ where: { id, status: from }, data });
  if (!res.count) throw new ReviewError("wrong_state", `review ${id} changed meanwhile; reload it`);
  return db().logReview.findUniqueOrThrow({ where: { id } });
}

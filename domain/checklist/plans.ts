/**
 * Improvement plans (改善計画) of the self-inspection: an item answered
 * 未実施 or 一部実施 gets a plan (measure, owner, due date, status). A plan
 * stays with its organisation: while it is open (not `done`) it is carried
 * into the organisation's assessments of later rounds, shown next to its
 * item there and can be completed there. Every change is written to the
 * history of the assessment it was made on (AssessmentHistory, actions
 * `plan_add` / `plan_update`). Scope and permission as in workflow.ts: the
 * assessment is loaded through `getAssessment` (scoped), plans are queried
 * with the scope's `where` too.
 */
import type { Principal } from "../../lib/auth/principal";
import { scopeOf } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { ChecklistError, getAssessment, MAX_COMMENT } from "./workflow";
import { allItems } from "./template";

export const PLAN_STATUSES = ["not_started", "in_progress", "done"] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
/** Answers that call for a plan. */
export const PLAN_ANSWERS = ["not_implemented", "partial"] as const;
export const MAX_PLAN_TEXT = 500;

export interface PlanInput {
  measure: string;
  owner: string;
  /** JST calendar day, end of day is the due time. */
  dueDate: Date;
}

/** Open (not done) at `now` and past its due date. */
export const isOverdue = (p: { status: string; dueDate: Date }, now: Date) => p.status !== "done" && p.dueDate.getTime() < now.getTime();

function checkText(v: string, field: "measure" | "owner"): string {
  const s = v.trim();
  if (!s) throw new ChecklistError("bad_input", `${field} is required`, field === "measure" ? "対策" : "担当");
  if (s.length > Math.min(MAX_PLAN_TEXT, MAX_COMMENT)) throw new ChecklistError("too_long", `${field} longer than ${MAX_PLAN_TEXT} characters`);
  return s;
}

/**
 * The plans shown on an assessment: those raised on it, and the organisation's
 * plans of earlier rounds that are open or were completed on it (carried).
 */
export async function plansOfAssessment(actor: Principal, assessmentId: string) {
  const a = await getAssessment(actor, assessmentId, { history: false });
  const scope = await scopeOf(actor);
  const rows = await db().improvementPlan.findMany({
    where: {
      AND: [scope.where("organizationId"), { organizationId: a.organizationId }],
      OR: [{ assessmentId: a.id }, { fiscalYear: { lt: a.round.fiscalYear }, OR: [{ status: { not: "done" } }, { completedInAssessmentId: a.id }] }],
    },
    orderBy: [{ itemId: "asc" }, { fiscalYear: "asc" }, { createdAt: "asc" }],
  });
  return rows.map((p) => ({ ...p, carried: p.assessmentId !== a.id }));
}

export type PlanRow = Awaited<ReturnType<typeof plansOfAssessment>>[number];

async function forPlanEdit(actor: Principal, assessmentId: string) {
  const a = await getAssessment(actor, assessmentId, { history: false });
  // As workflow.ts's forEdit: permission first (the organisation's own admins and officers), then the state.
  if (!(actor.organizationId === a.organizationId && (actor.role === "municipal_officer" || actor.role === "admin")))
    throw new ChecklistError("not_editor", "only the organisation's own officers keep its plans");
  if (!a.canEdit) throw new ChecklistError("locked", `the assessment is ${a.status} and cannot be changed`);
  return a;
}

const historyRow = (assessmentId: string, actor: Principal, action: string, itemId: string, before: unknown, after: unknown) =>
  db().assessmentHistory.create({
    data: {
      assessmentId,
      actorId: actor.id,
      actorLogin: actor.login,
      action,
      itemId,
      before: before == null ? null : JSON.stringify(before),
      after: after == null ? null : JSON.stringify(after),
    },
  });

const view = (p: { measure: string; owner: string; dueDate: Date; status: string }) => ({
  measure: p.measure,
  owner: p.owner,
  due: p.dueDate.toISOString(),
  status: p.status,
});

/** Adds a plan to an item answered 未実施 or 一部実施 on an assessment the actor may edit. */
export async function addPlan(actor: Principal, assessmentId: string, itemId: string, input: PlanInput) {
  const a = await forPlanEdit(actor, assessmentId);
  if (!allItems(a.template).some((i) => i.id === itemId)) throw new ChecklistError("bad_item", `no item ${itemId} in ${a.template.version}`);
  const answer = a.answers.find((x) => x.itemId === itemId)?.answer;
  if (!(PLAN_ANSWERS as readonly (string | null | undefined)[]).includes(answer))
    throw new ChecklistError("plan_needs_shortfall", `${itemId} is not answered 未実施 or 一部実施`, itemId);
  if (Number.isNaN(input.dueDate.getTime())) throw new ChecklistError("bad_input", "bad due date", "期限");
  const row = await db().improvementPlan.create({
    data: {
      assessmentId: a.id,
      organizationId: a.organizationId,
      fiscalYear: a.round.fiscalYear,
      itemId,
      measure: checkText(input.measure, "measure"),
      owner: checkText(input.owner, "owner"),
      dueDate: input.dueDate,
      createdById: actor.id,
    },
  });
  await historyRow(a.id, actor, "plan_add", itemId, null, view(row));
  await db().assessment.update({ where: { id: a.id }, data: { updatedAt: new Date() } });
  return row;
}

/**
 * Changes a plan shown on the assessment (its own, or one carried from an
 * earlier round): status and, for its own plans, measure/owner/due date.
 * Completing a carried plan records on which assessment it was completed.
 */
export async function updatePlan(
  actor: Principal,
  assessmentId: string,
  planId: string,
  change: { status?: PlanStatus; measure?: string; owner?: string; dueDate?: Date },
  now = new Date(),
) {
  const a = await forPlanEdit(actor, assessmentId);
  const plans = await plansOfAssessment(actor, assessmentId);
  const p = plans.find((x) => x.id === planId);
  if (!p) throw new ChecklistError("bad_input", `plan ${planId} is not shown on this assessment`, "改善計画");
  if (change.status !== undefined && !PLAN_STATUSES.includes(change.status)) throw new ChecklistError("bad_input", `unknown status ${change.status}`, "状況");
  const data: { status?: string; measure?: string; owner?: string; dueDate?: Date; completedAt?: Date | null; completedInAssessmentId?: string | null } = {};
  if (change.measure !== undefined) data.measure = checkText(change.measure, "measure");
  if (change.owner !== undefined) data.owner = checkText(change.owner, "owner");
  if (change.dueDate !== undefined) {
    if (Number.isNaN(change.dueDate.getTime())) throw new ChecklistError("bad_input", "bad due date", "期限");
    data.dueDate = change.dueDate;
  }
  if (change.status !== undefined && change.status !== p.status) {
    data.status = change.status;
    data.completedAt = change.status === "done" ? now : null;
    data.completedInAssessmentId = change.status === "done" ? a.id : null;
  }
  const before = view(p);
  const after = view({ ...p, ...data });
  if (JSON.stringify(before) === JSON.stringify(after)) return p;
  const r = await db().improvementPlan.updateMany({ where: { id: p.id, organizationId: a.organizationId, updatedAt: p.updatedAt }, data });
  if (!r.count) throw new ChecklistError("bad_status", "the plan changed meanwhile; reload");
  await historyRow(a.id, actor, "plan_update", p.itemId, before, after);
  await db().assessment.update({ where: { id: a.id }, data: { updatedAt: new Date() } });
  return { ...p, ...data };
}

/** Open plans per organisation of the given organisations up to a fiscal year (for the roll-up), in scope. */
export async function openPlansByOrganization(actor: Principal, organizationIds: string[], fiscalYear: number) {
  const scope = await scopeOf(actor);
  const rows = await db().improvementPlan.findMany({
    where: { AND: [scope.where("organizationId"), { organizationId: { in: organizationIds } }], fiscalYear: { lte: fiscalYear }, status: { not: "done" } },
    select: { organizationId: true, status: true, dueDate: true, itemId: true, fiscalYear: true, measure: true, owner: true },
    orderBy: [{ itemId: "asc" }, { fiscalYear: "asc" }, { createdAt: "asc" }],
  });
  const out = new Map<string, { status: string; dueDate: Date; itemId: string; fiscalYear: number; measure: string; owner: string }[]>();
  for (const r of rows) (out.get(r.organizationId) ?? out.set(r.organizationId, []).get(r.organizationId)!).push(r);
  return out;
}

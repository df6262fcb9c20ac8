/**
 * Demo self-inspection data: deterministic answers per municipality and item
 * (some municipalities stronger than others, some items weaker everywhere),
 * and seeded rounds with assessments in every workflow state. Used by the
 * demo, the e2e set-up and bench/checklist.
 */
import { allItems, type Answer, type ChecklistTemplate } from "../../domain/checklist/template";
import type { AssessmentStatus } from "../../domain/checklist/rollup";
import { db } from "../../lib/db";
import { roundOrganizations } from "../../domain/checklist/workflow";
import { rngFor, WeightedPicker } from "./random";

/** Items that are weak across the prefecture (as in real inspections: training, drills, outsourcing checks). */
const WEAK_SECTIONS = new Set(["TRN", "EMG", "OUT", "LOG"]);

/** Generated answers of one municipality for one year; `maturity` 0..1 shifts them towards 実施, later years improve. */
export function demoAnswers(template: ChecklistTemplate, organizationId: string, seed: number | string = 42): Record<string, Answer> {
  const maturity = 0.55 + 0.4 * rngFor(seed, "checklist-maturity", organizationId).next() + 0.03 * (template.fiscalYear - 2025);
  const out: Record<string, Answer> = {};
  for (const item of allItems(template)) {
    const rng = rngFor(seed, "checklist", template.fiscalYear, organizationId, item.id);
    const weak = WEAK_SECTIONS.has(item.id.slice(0, 3)) ? 0.6 : 1;
    const good = Math.min(0.97, maturity * weak + 0.2);
    const picker = new WeightedPicker<Answer>(
      ["implemented", "partial", "not_implemented", "not_applicable"],
      [good, (1 - good) * 0.65, (1 - good) * 0.35, item.allowNotApplicable ? 0.08 : 0],
    );
    out[item.id] = picker.pick(rng);
  }
  return out;
}

const REVIEW_NOTE = "実施状況の根拠資料（点検記録の写し）を添付してください。";
const DAY = 86_400_000;

/**
 * Creates a round for the prefecture with assessments in the given states
 * (municipalities not listed are left not started). Idempotent per (prefecture,
 * fiscal year): an existing round is left as it is.
 */
export async function seedChecklistRound(opts: {
  prefectureId: string;
  fiscalYear: number;
  template: ChecklistTemplate;
  openedAt: Date;
  deadline: Date;
  states: Record<string, AssessmentStatus | "not_started">;
  actor: { id: string; login: string };
  reviewer: { id: string; login: string };
  seed?: number | string;
  /** Organisations whose (fully answered) assessments get improvement plans for their shortfall items. */
  plans?: string[];
}): Promise<{ roundId: string; created: boolean }> {
  const existing = await db().checklistRound.findUnique({
    where: { organizationId_fiscalYear: { organizationId: opts.prefectureId, fiscalYear: opts.fiscalYear } },
  });
  if (existing) return { roundId: existing.id, created: false };
  const previous = await db().checklistRound.findUnique({
    where: { organizationId_fiscalYear: { organizationId: opts.prefectureId, fiscalYear: opts.fiscalYear - 1 } },
    include: { assessments: { include: { answers: true } } },
  });
  // Every organisation of the round: the prefecture itself, its municipalities and offices (issue 18).
  const municipalities = await roundOrganizations(opts.prefectureId);
  const items = allItems(opts.template);
  const ids = new Set(items.map((i) => i.id));
  const round = await db().checklistRound.create({
    data: {
      organizationId: opts.prefectureId,
      fiscalYear: opts.fiscalYear,
      templateVersion: opts.template.version,
      deadline: opts.deadline,
      openedAt: opts.openedAt,
      openedById: opts.reviewer.id,
      previousRoundId: previous?.id,
    },
  });
  for (const m of municipalities) {
    const state = opts.states[m.id] ?? "not_started";
    const rng = rngFor(opts.seed ?? 42, "checklist-dates", opts.fiscalYear, m.id);
    const submittedAt = new Date(opts.openedAt.getTime() + (10 + rng.int(30)) * DAY);
    const returnedAt = new Date(submittedAt.getTime() + (2 + rng.int(5)) * DAY);
    const acceptedAt = new Date(submittedAt.getTime() + (8 + rng.int(10)) * DAY);
    const status: AssessmentStatus = state === "not_started" ? "draft" : state;
    const a = await db().assessment.create({
      data: {
        roundId: round.id,
        organizationId: m.id,
        status,
        submittedAt: ["submitted", "resubmitted", "accepted", "returned"].includes(status) ? submittedAt : null,
        returnedAt: status === "returned" || status === "resubmitted" ? returnedAt : null,
        acceptedAt: status === "accepted" ? acceptedAt : null,
        acceptedById: status === "accepted" ? opts.reviewer.id : null,
      },
    });
    const answers = demoAnswers(opts.template, m.id, opts.seed);
    const last = new Map((previous?.assessments.find((p) => p.organizationId === m.id)?.answers ?? []).map((x) => [x.itemId, x]));
    // A draft is half done; a not-started one only carries last year's reference.
    const answeredCount = state === "not_started" ? 0 : state === "draft" ? Math.floor(items.length / 2) : items.length;
    const rows = items
      .map((item, i) => ({
        assessmentId: a.id,
        itemId: item.id,
        answer: i < answeredCount ? answers[item.id] : null,
        comment: i < answeredCount && answers[item.id] !== "implemented" ? "改善に向けて対応を検討中。" : null,
        reviewComment: (status === "returned" || status === "resubmitted") && i === 0 ? REVIEW_NOTE : null,
        previousAnswer: last.get(item.id)?.answer ?? null,
        previousComment: last.get(item.id)?.comment ?? null,
        updatedById: opts.actor.id,
      }))
      .filter((r) => ids.has(r.itemId) && (r.answer || r.previousAnswer || r.reviewComment));
    if (rows.length) await db().assessmentAnswer.createMany({ data: rows });
    const history = [{ at: opts.openedAt, actorId: opts.reviewer.id, actorLogin: opts.reviewer.login, action: "create" }];
    if (a.submittedAt) history.push({ at: submittedAt, actorId: opts.actor.id, actorLogin: opts.actor.login, action: "submit" });
    if (a.returnedAt) history.push({ at: returnedAt, actorId: opts.reviewer.id, actorLogin: opts.reviewer.login, action: "return" });
    if (status === "resubmitted")
      history.push({ at: new Date(returnedAt.getTime() + DAY), actorId: opts.actor.id, actorLogin: opts.actor.login, action: "resubmit" });
    if (a.acceptedAt) history.push({ at: acceptedAt, actorId: opts.reviewer.id, actorLogin: opts.reviewer.login, action: "accept" });
    await db().assessmentHistory.createMany({ data: history.map((h) => ({ ...h, assessmentId: a.id })) });
    if (opts.plans?.includes(m.id) && answeredCount === items.length) await seedPlans(a.id, m.id, opts, answers, submittedAt);
  }
  return { roundId: round.id, created: true };
}

/** Plan statuses of the seeded improvement plans, in item order: last year's open ones are carried into this year. */
const PLAN_CYCLE = ["done", "in_progress", "not_started"] as const;
const PLAN_MEASURES: Record<string, string> = {
  TRN: "全職員を対象とした研修を年度内に実施する",
  EMG: "緊急時対応計画に基づく訓練を実施する",
  OUT: "委託先の作業記録を毎月点検する",
  LOG: "操作履歴の点検を毎月実施し記録を残す",
};

/** Up to three improvement plans for an assessment's shortfall items (deterministic), due at the end of the fiscal year. */
async function seedPlans(
  assessmentId: string,
  organizationId: string,
  opts: { fiscalYear: number; template: ChecklistTemplate; actor: { id: string; login: string } },
  answers: Record<string, Answer>,
  at: Date,
) {
  const shortfall = allItems(opts.template)
    .filter((i) => answers[i.id] === "not_implemented" || answers[i.id] === "partial")
    .slice(0, 3);
  const due = new Date(`${opts.fiscalYear + 1}-03-31T23:59:59+09:00`);
  for (const [n, item] of shortfall.entries()) {
    const status = PLAN_CYCLE[n % PLAN_CYCLE.length];
    const plan = await db().improvementPlan.create({
      data: {
        assessmentId,
        organizationId,
        fiscalYear: opts.fiscalYear,
        itemId: item.id,
        measure: PLAN_MEASURES[item.id.slice(0, 3)] ?? "手順を見直し、担当課で実施状況を確認する",
        owner: n % 2 ? "総務課長" : "情報政策課長",
        dueDate: due,
        status,
        completedAt: status === "done" ? new Date(at.getTime() + 30 * DAY) : null,
        completedInAssessmentId: status === "done" ? assessmentId : null,
        createdById: opts.actor.id,
        createdAt: at,
      },
    });
    await db().assessmentHistory.create({
      data: {
        assessmentId,
        at,
        actorId: opts.actor.id,
        actorLogin: opts.actor.login,
        action: "plan_add",
        itemId: item.id,
        after: JSON.stringify({ measure: plan.measure, owner: plan.owner, due: due.toISOString(), status }),
      },
    });
  }
}

/** States of the current year's demo round, by position of the municipality (code order). */
const CURRENT_STATES: (AssessmentStatus | "not_started")[] = [
  "draft",
  "submitted",
  "returned",
  "accepted",
  "accepted",
  "accepted",
  "resubmitted",
  "accepted",
  "submitted",
  "accepted",
  "accepted",
  "draft",
  "accepted",
  "submitted",
  "not_started",
  "accepted",
  "not_started",
  "draft",
  "not_started",
];

/** The demo prefecture's rounds: last fiscal year all accepted, this fiscal year in progress. */
export async function ensureDemoChecklist(opts: {
  prefectureId: string;
  fiscalYear: number;
  reviewerLogin: string;
  templateFor: (fy: number) => ChecklistTemplate;
}) {
  const reviewer = await db().user.findUnique({ where: { loginId: opts.reviewerLogin }, select: { id: true, loginId: true } });
  if (!reviewer) throw new Error(`demo reviewer ${opts.reviewerLogin} missing`);
  const municipalities = await db().organization.findMany({
    where: { parentId: opts.prefectureId, kind: "municipality" },
    orderBy: { id: "asc" },
    select: { id: true },
  });
  const r = { id: reviewer.id, login: reviewer.loginId };
  const officer = { id: "demo-officer", login: "demo-officer" };
  const jst = (iso: string) => new Date(`${iso}T00:00:00+09:00`);
  const fy = opts.fiscalYear;
  const last = await seedChecklistRound({
    prefectureId: opts.prefectureId,
    fiscalYear: fy - 1,
    template: opts.templateFor(fy - 1),
    openedAt: jst(`${fy - 1}-10-01`),
    deadline: jst(`${fy}-01-30`),
    // The prefecture answers its own checklist too (seed 003: 全団体が自己点検); some of last year's plans stay open.
    states: { ...Object.fromEntries(municipalities.map((m) => [m.id, "accepted"])), [opts.prefectureId]: "accepted" },
    actor: officer,
    reviewer: r,
    plans: [opts.prefectureId, ...municipalities.slice(0, 3).map((m) => m.id)],
  });
  const current = await seedChecklistRound({
    prefectureId: opts.prefectureId,
    fiscalYear: fy,
    template: opts.templateFor(fy),
    openedAt: jst(`${fy}-10-01`),
    deadline: jst(`${fy + 1}-01-29`),
    states: {
      ...Object.fromEntries(municipalities.map((m, i) => [m.id, CURRENT_STATES[i % CURRENT_STATES.length]])),
      [opts.prefectureId]: "submitted",
    },
    actor: officer,
    reviewer: r,
    plans: [opts.prefectureId],
  });
  return { previous: last, current };
}

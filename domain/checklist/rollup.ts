/**
 * The prefecture's roll-up of a checklist round: pure functions from answers
 * to figures, shared by the round page, the summary XLSX and the unit test.
 *
 * Score of a set of answers = (実施 + ½·一部実施) / (実施 + 一部実施 + 未実施) × 100;
 * 該当なし and unanswered items are left out of the denominator, and a set with
 * no scored answer has no score (null), never 0.
 *
 * Finished assessments (submitted, resubmitted, accepted) are kept apart from
 * those in progress (draft, returned): section averages and the weakest items
 * count finished ones only, and a municipality's score in progress is
 * provisional (the pages show it as such, never beside final ones).
 *
 * The roll-up covers every organisation of the round — the prefecture itself
 * and its offices as well as the municipalities (the "municipalities" list
 * keeps its name) — and counts each one's open improvement plans (not done)
 * and the overdue ones (due date passed at `now`).
 */
import type { Answer, ChecklistTemplate } from "./template";

export const STATUSES = ["draft", "submitted", "returned", "resubmitted", "accepted"] as const;
export type AssessmentStatus = (typeof STATUSES)[number];

/** Status for progress charts: a draft without a single answer is "not started". */
export type ProgressStatus = AssessmentStatus | "not_started";

export interface AssessmentAnswers {
  organizationId: string;
  organizationName: string;
  status: AssessmentStatus;
  submittedAt?: Date | null;
  acceptedAt?: Date | null;
  answers: Record<string, Answer | null | undefined>;
  /** The organisation's open improvement plans (this round's and carried from earlier rounds); omitted: none known. */
  plans?: { status: string; dueDate: Date }[];
}

export interface AnswerCounts {
  implemented: number;
  partial: number;
  not_implemented: number;
  not_applicable: number;
  unanswered: number;
}

export interface MunicipalityRollup {
  organizationId: string;
  organizationName: string;
  status: AssessmentStatus;
  progress: ProgressStatus;
  /** Handed in (submitted, resubmitted, accepted): its score counts; otherwise provisional. */
  finished: boolean;
  overdue: boolean;
  answered: number;
  total: number;
  counts: AnswerCounts;
  score: number | null;
  sections: Record<string, number | null>;
  previousScore: number | null;
  /** score − previousScore, when both exist. */
  change: number | null;
  /** Open improvement plans (not done) and those of them past their due date. */
  openPlans: number;
  overduePlans: number;
}

export interface ItemRollup {
  itemId: string;
  sectionId: string;
  text: string;
  counts: AnswerCounts;
  /** 未実施 + 一部実施 */
  shortfall: number;
}

export interface RoundRollup {
  total: number;
  /** Finished (handed-in) and in-progress assessments. */
  finished: number;
  inProgress: number;
  progress: Record<ProgressStatus, number>;
  overdue: number;
  /** Open improvement plans over every organisation, and those past their due date. */
  openPlans: number;
  overduePlans: number;
  /** Average of the finished municipalities' section scores (those with a score). */
  sections: { sectionId: string; title: string; average: number | null; scored: number }[];
  municipalities: MunicipalityRollup[];
  /** Items with the most 未実施 / 一部実施 in finished assessments, worst first (ties by item id). */
  weakestItems: ItemRollup[];
}

const emptyCounts = (): AnswerCounts => ({ implemented: 0, partial: 0, not_implemented: 0, not_applicable: 0, unanswered: 0 });

export function countAnswers(answers: (Answer | null | undefined)[]): AnswerCounts {
  const c = emptyCounts();
  for (const a of answers) c[a ?? "unanswered"]++;
  return c;
}

export function scoreOf(c: AnswerCounts): number | null {
  const denominator = c.implemented + c.partial + c.not_implemented;
  return denominator ? round1(((c.implemented + 0.5 * c.partial) / denominator) * 100) : null;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Statuses of an assessment that has been handed in (counted as on time against the deadline). */
export const SUBMITTED: readonly string[] = ["submitted", "resubmitted", "accepted"] satisfies AssessmentStatus[];

export function rollupRound(opts: {
  template: ChecklistTemplate;
  assessments: AssessmentAnswers[];
  deadline: Date;
  now?: Date;
  /** Last year's answers by organisation (with last year's template); item ids are stable. */
  previous?: { template: ChecklistTemplate; assessments: AssessmentAnswers[] };
  weakest?: number;
}): RoundRollup {
  const { template, assessments, deadline } = opts;
  const now = opts.now ?? new Date();
  const itemIds = template.sections.flatMap((s) => s.items.map((i) => i.id));
  const previousByOrg = new Map((opts.previous?.assessments ?? []).map((a) => [a.organizationId, a]));
  const previousIds = opts.previous ? opts.previous.template.sections.flatMap((s) => s.items.map((i) => i.id)) : [];

  const progress: Record<ProgressStatus, number> = { not_started: 0, draft: 0, submitted: 0, returned: 0, resubmitted: 0, accepted: 0 };
  const municipalities: MunicipalityRollup[] = assessments.map((a) => {
    const counts = countAnswers(itemIds.map((id) => a.answers[id]));
    const answered = itemIds.length - counts.unanswered;
    const p: ProgressStatus = a.status === "draft" && answered === 0 ? "not_started" : a.status;
    progress[p]++;
    const sections: Record<string, number | null> = {};
    for (const s of template.sections) sections[s.id] = scoreOf(countAnswers(s.items.map((i) => a.answers[i.id])));
    const score = scoreOf(counts);
    const prev = previousByOrg.get(a.organizationId);
    const previousScore = prev ? scoreOf(countAnswers(previousIds.map((id) => prev.answers[id]))) : null;
    const open = (a.plans ?? []).filter((x) => x.status !== "done");
    return {
      organizationId: a.organizationId,
      organizationName: a.organizationName,
      status: a.status,
      progress: p,
      finished: SUBMITTED.includes(a.status),
      overdue: !SUBMITTED.includes(a.status) && now.getTime() > deadline.getTime(),
      answered,
      total: itemIds.length,
      counts,
      score,
      sections,
      previousScore,
      change: score !== null && previousScore !== null ? round1(score - previousScore) : null,
      openPlans: open.length,
      overduePlans: open.filter((x) => x.dueDate.getTime() < now.getTime()).length,
    };
  });

  const sections = template.sections.map((s) => {
    const scores = municipalities
      .filter((m) => m.finished)
      .map((m) => m.sections[s.id])
      .filter((v): v is number => v !== null);
    return {
      sectionId: s.id,
      title: s.title,
      average: scores.length ? round1(scores.reduce((x, y) => x + y, 0) / scores.length) : null,
      scored: scores.length,
    };
  });

  const finished = assessments.filter((a) => SUBMITTED.includes(a.status));
  const weakestItems = template.sections
    .flatMap((s) =>
      s.items.map((i) => {
        const counts = countAnswers(finished.map((a) => a.answers[i.id]));
        return { itemId: i.id, sectionId: s.id, text: i.text, counts, shortfall: counts.not_implemented + counts.partial };
      }),
    )
    .filter((i) => i.shortfall > 0)
    .sort((a, b) => b.shortfall - a.shortfall || b.counts.not_implemented - a.counts.not_implemented || a.itemId.localeCompare(b.itemId))
    .slice(0, opts.weakest ?? 10);

  return {
    total: assessments.length,
    finished: finished.length,
    inProgress: assessments.length - finished.length,
    progress,
    overdue: municipalities.filter((m) => m.overdue).length,
    openPlans: municipalities.reduce((n, m) => n + m.openPlans, 0),
    overduePlans: municipalities.reduce((n, m) => n + m.overduePlans, 0),
    sections,
    municipalities,
    weakestItems,
  };
}

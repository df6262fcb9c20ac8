/**
 * Loads what the exports and the roll-up need, in scope: one assessment as an
 * AssessmentDocument, one round (with last year's for comparison) as a
 * SummaryDocument.
 */
import type { Principal } from "../../lib/auth/principal";
import { db } from "../../lib/db";
import { rollupRound, type AssessmentAnswers, type AssessmentStatus, type RoundRollup } from "./rollup";
import { loadTemplate, type Answer, type ChecklistTemplate } from "./template";
import { getAssessment, getRound } from "./workflow";
import { isOverdue, openPlansByOrganization, plansOfAssessment } from "./plans";

export interface AssessmentDocument {
  template: ChecklistTemplate;
  prefectureName: string;
  organization: { id: string; name: string };
  fiscalYear: number;
  status: AssessmentStatus;
  deadline: Date;
  submittedAt: Date | null;
  returnedAt: Date | null;
  acceptedAt: Date | null;
  acceptedBy: string | null;
  answers: Record<string, { answer: Answer | null; comment: string | null; reviewComment: string | null; evidence: { fileName: string; sha256: string }[] }>;
  /** Improvement plans shown on the assessment (its own and those carried from earlier rounds). */
  plans?: { itemId: string; fiscalYear: number; measure: string; owner: string; dueDate: Date; status: string; carried: boolean }[];
  generatedAt: Date;
}

export interface SummaryDocument {
  template: ChecklistTemplate;
  prefectureName: string;
  fiscalYear: number;
  deadline: Date;
  rollup: RoundRollup;
  /** Per organisation, per item id. */
  answers: Map<string, Record<string, Answer | null | undefined>>;
  /** The open improvement plans of the round's organisations (this round's and carried), by organisation and item. */
  plans: SummaryPlan[];
  generatedAt: Date;
}

export interface SummaryPlan {
  organizationId: string;
  organizationName: string;
  itemId: string;
  measure: string;
  owner: string;
  dueDate: Date;
  status: string;
  /** The fiscal year of the round it was raised in (earlier than the round's: carried). */
  fiscalYear: number;
  /** Past its due date when the summary was made. */
  overdue: boolean;
}

async function names(ids: string[]): Promise<Map<string, string>> {
  const rows = await db().organization.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function assessmentDocument(actor: Principal, assessmentId: string, now = new Date()): Promise<AssessmentDocument> {
  const a = await getAssessment(actor, assessmentId, { history: false });
  const orgNames = await names([a.organizationId, a.round.organizationId]);
  const acceptedBy = a.acceptedById ? await db().user.findUnique({ where: { id: a.acceptedById }, select: { name: true } }) : null;
  const evidence = new Map<string, { fileName: string; sha256: string }[]>();
  for (const e of a.evidence) (evidence.get(e.itemId) ?? evidence.set(e.itemId, []).get(e.itemId)!).push({ fileName: e.fileName, sha256: e.sha256 });
  const answers: AssessmentDocument["answers"] = {};
  for (const x of a.answers)
    answers[x.itemId] = { answer: (x.answer as Answer) ?? null, comment: x.comment, reviewComment: x.reviewComment, evidence: evidence.get(x.itemId) ?? [] };
  for (const [itemId, files] of evidence) answers[itemId] ??= { answer: null, comment: null, reviewComment: null, evidence: files };
  return {
    template: a.template,
    prefectureName: orgNames.get(a.round.organizationId) ?? a.round.organizationId,
    organization: { id: a.organizationId, name: orgNames.get(a.organizationId) ?? a.organizationId },
    fiscalYear: a.round.fiscalYear,
    status: a.status,
    deadline: a.round.deadline,
    submittedAt: a.submittedAt,
    returnedAt: a.returnedAt,
    acceptedAt: a.acceptedAt,
    acceptedBy: acceptedBy?.name ?? null,
    answers,
    plans: (await plansOfAssessment(actor, assessmentId)).map((p) => ({
      itemId: p.itemId,
      fiscalYear: p.fiscalYear,
      measure: p.measure,
      owner: p.owner,
      dueDate: p.dueDate,
      status: p.status,
      carried: p.carried,
    })),
    generatedAt: now,
  };
}

const toAnswers = (
  rows: { organizationId: string; status: string; submittedAt: Date | null; acceptedAt: Date | null; answers: { itemId: string; answer: string | null }[] }[],
  orgNames: Map<string, string>,
): AssessmentAnswers[] =>
  rows.map((r) => ({
    organizationId: r.organizationId,
    organizationName: orgNames.get(r.organizationId) ?? r.organizationId,
    status: r.status as AssessmentStatus,
    submittedAt: r.submittedAt,
    acceptedAt: r.acceptedAt,
    answers: Object.fromEntries(r.answers.map((x) => [x.itemId, (x.answer as Answer) ?? null])),
  }));

/** A round's roll-up over the assessments in scope, compared with the same prefecture's previous fiscal year. */
export async function roundSummary(
  actor: Principal,
  roundId: string,
  now = new Date(),
): Promise<SummaryDocument & { round: Awaited<ReturnType<typeof getRound>> }> {
  const round = await getRound(actor, roundId);
  const scopeOrgs = round.assessments.map((a) => a.organizationId);
  const previous = await db().checklistRound.findUnique({
    where: { organizationId_fiscalYear: { organizationId: round.organizationId, fiscalYear: round.fiscalYear - 1 } },
    include: { assessments: { where: { organizationId: { in: scopeOrgs } }, include: { answers: true } } },
  });
  const orgNames = await names([round.organizationId, ...scopeOrgs]);
  const plans = await openPlansByOrganization(actor, scopeOrgs, round.fiscalYear);
  const assessments = toAnswers(round.assessments, orgNames).map((a) => ({ ...a, plans: plans.get(a.organizationId) ?? [] }));
  const rollup = rollupRound({
    template: round.template,
    assessments,
    deadline: round.deadline,
    now,
    previous: previous ? { template: loadTemplate(previous.templateVersion), assessments: toAnswers(previous.assessments, orgNames) } : undefined,
  });
  return {
    round,
    template: round.template,
    prefectureName: orgNames.get(round.organizationId) ?? round.organizationId,
    fiscalYear: round.fiscalYear,
    deadline: round.deadline,
    rollup,
    answers: new Map(assessments.map((a) => [a.organizationId, a.answers])),
    plans: assessments.flatMap((a) =>
      (plans.get(a.organizationId) ?? []).map((p) => ({
        organizationId: a.organizationId,
        organizationName: a.organizationName,
        itemId: p.itemId,
        measure: p.measure,
        owner: p.owner,
        dueDate: p.dueDate,
        status: p.status,
        fiscalYear: p.fiscalYear,
        overdue: isOverdue(p, now),
      })),
    ),
    generatedAt: now,
  };
}

/**
 * Loads the audit documents in scope: the plan and notice of one
 * municipality, and its report with the access-log statistics of the audit
 * period computed live from Elasticsearch, the year's checklist result and
 * the findings.
 */
import type { Principal } from "../../lib/auth/principal";
import type { Scope } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { formatJstDate as fmt, formatJstLastDay, t } from "../../lib/i18n";
import { scopedSearch, totalHits } from "../../lib/es/scoped";
import { findPurposeItem } from "../registry/purposes";
import { countAnswers, scoreOf } from "../checklist/rollup";
import { businessHoursOf } from "../checklist/suggestions";
import { fiscalYearPeriod } from "../statistics/period";
import { figureQuery, FIGURES, provisionRecords } from "../statistics/figures";
import { scheduleLabel, UNSPECIFIED, usageCounts } from "../statistics/usage";
import { allItems, loadTemplate, templateForYear, type Answer } from "../checklist/template";
import type { AuditReportDocument, AuditStatistics, ChecklistResult, EngagementFacts, FindingRow, NoticeDocument, PlanDocument } from "./documents";
import { AuditError, currentReport, engagementAccess } from "./workflow";
import { annualIncidentSummary } from "../incidents/summary";
import { auditReviewSection } from "../reviews/summary";
import { AUDIT_TABLE_SOURCES, type AuditTableSource, type RegisterTable } from "../registers/sources";

async function facts(
  actor: Principal,
  engagementId: string,
  organizationId: string,
): Promise<EngagementFacts & { raw: Awaited<ReturnType<typeof engagementAccess>>["engagement"]; scope: Scope }> {
  const { engagement, scope } = await engagementAccess(actor, engagementId, organizationId);
  const [org, pref, auditors] = await Promise.all([
    db().organization.findUnique({ where: { id: organizationId }, select: { name: true } }),
    engagement.prefectureId ? db().organization.findUnique({ where: { id: engagement.prefectureId }, select: { name: true } }) : null,
    db().user.findMany({ where: { id: { in: engagement.auditors.map((a) => a.userId) } }, select: { name: true }, orderBy: { name: "asc" } }),
  ]);
  const eo = engagement.organizations.find((o) => o.organizationId === organizationId);
  // Without an explicit audit period, the fiscal year (April–March JST) is audited.
  const year = fiscalYearPeriod(engagement.fiscalYear);
  const auditFrom = engagement.auditFrom ?? year.from;
  const auditTo = engagement.auditTo ?? year.to;
  return {
    raw: engagement,
    scope,
    engagementId,
    firm: engagement.firm,
    fiscalYear: engagement.fiscalYear,
    prefectureName: pref?.name ?? "",
    organization: { id: organizationId, name: org?.name ?? organizationId },
    auditors: auditors.map((a) => a.name),
    accessFrom: engagement.accessFrom,
    accessTo: engagement.accessTo,
    auditFrom,
    auditTo,
    fieldworkOn: eo?.fieldworkOn ?? null,
  };
}

const parseJson = <T>(s: string | null | undefined, fallback: T): T => {
  try {
    return s ? (JSON.parse(s) as T) : fallback;
  } catch {
    return fallback;
  }
};

export async function planDocument(actor: Principal, engagementId: string, organizationId: string, now = new Date()): Promise<PlanDocument> {
  const f = await facts(actor, engagementId, organizationId);
  const { raw, scope: _scope, ...rest } = f;
  const template = templateForYear(raw.fiscalYear);
  const items = new Map(allItems(template).map((i) => [i.id, i.text]));
  const criteria = parseJson<string[]>(raw.criteriaItems, []);
  const fieldwork = f.fieldworkOn ? fmt(f.fieldworkOn) : "—";
  return {
    ...rest,
    scope: raw.scope ?? "",
    criteriaItems: criteria.map((id) => ({ id, text: items.get(id) ?? "" })),
    legalCriteria: raw.legalCriteria ?? "",
    evidenceSources: parseJson<string[]>(raw.evidenceSources, []),
    schedule: [
      { step: "preparation", when: `${fmt(raw.createdAt)}〜` },
      { step: "planning", when: `${fmt(raw.accessFrom)}〜` },
      { step: "fieldwork", when: fieldwork },
      { step: "reporting", when: `〜${formatJstLastDay(raw.accessTo)}` },
    ],
    issuedAt: now,
  };
}

/**
 * The 実施通知書 of one municipality as issued (dated the day it was issued
 * with `issueNotice`); AuditError "bad_status" until it is. Reading it
 * changes nothing.
 */
export async function noticeDocument(actor: Principal, engagementId: string, organizationId: string): Promise<NoticeDocument> {
  const doc = await planDocument(actor, engagementId, organizationId);
  const eo = await db().engagementOrganization.findUnique({
    where: { engagementId_organizationId: { engagementId, organizationId } },
    select: { noticeIssuedAt: true },
  });
  if (!eo?.noticeIssuedAt) throw new AuditError("bad_status", "the notice has not been issued yet");
  return { ...doc, issuedAt: eo.noticeIssuedAt };
}

/**
 * Access-log figures of one municipality over [from, to), read within the
 * caller's scope narrowed to it (403 outside; an auditor's scope also keeps
 * the reads inside the engagement's audit period). Every figure is the one of
 * domain/statistics/figures.ts that the usage report and provision table use:
 * 別表・事務別 counts uses (successful searches) exactly as the usage report.
 */
export async function auditStatistics(callerScope: Scope, organizationId: string, from: Date, to: Date): Promise<AuditStatistics> {
  const scope = callerScope.narrow(organizationId);
  const hours = await businessHoursOf(organizationId);
  const period = { from, to };
  const range = { gte: from.toISOString(), lt: to.toISOString() };
  const [ev, al, uses, provisions] = await Promise.all([
    scopedSearch(scope, "events", {
      size: 0,
      track_total_hits: true,
      query: figureQuery("allRecords", period),
      aggs: {
        actions: { terms: { field: "event.action", size: 50 } },
        operator: { filter: FIGURES.operatorActions.filter() },
        afterHours: { filter: FIGURES.afterHours.filter(hours) },
        authFailures: { filter: FIGURES.authFailures.filter() },
        cardLocks: { filter: FIGURES.cardLocks.filter() },
      },
    }),
    scopedSearch(scope, "alerts", {
      size: 0,
      query: { range: { "window.start": range } },
      // Rule names come from the alerts themselves (the console bundle does not load the rule modules).
      aggs: {
        rules: {
          terms: { field: "rule.id", size: 100 },
          aggs: { name: { terms: { field: "rule.name", size: 1 } }, disposition: { terms: { field: "disposition", size: 10, missing: "untriaged" } } },
        },
      },
    }),
    usageCounts(scope, period),
    provisionRecords(scope, period),
  ]);
  type Bucket = { key: string; doc_count: number };
  const aggs = ev.aggregations as Record<string, { buckets?: Bucket[]; doc_count?: number }> | undefined;
  const actions: Bucket[] = aggs?.actions?.buckets ?? [];
  const single = (k: string) => aggs?.[k]?.doc_count ?? 0;
  // The usage report's groups (organisation, schedule, 事務) summed over the one organisation.
  const perItem = new Map<string, { schedule: string; item: string; count: number }>();
  for (const u of uses) {
    const key = `${u.schedule}\u0000${u.item}`;
    const row = perItem.get(key) ?? perItem.set(key, { schedule: u.schedule, item: u.item, count: 0 }).get(key)!;
    row.count += u.searches;
  }
  return {
    from,
    to,
    totalEvents: totalHits(ev),
    usage: [...perItem.values()]
      .map((u) => ({
        ...u,
        scheduleLabel: scheduleLabel(u.schedule),
        itemLabel: u.item === UNSPECIFIED ? t("stats.unspecified") : (findPurposeItem(u.schedule, u.item)?.name ?? u.item),
      }))
      .sort((a, b) => b.count - a.count || a.item.localeCompare(b.item)),
    byAction: actions.map((b) => ({ action: b.key, count: b.doc_count })),
    operatorActions: single("operator"),
    afterHours: single("afterHours"),
    authFailures: single("authFailures"),
    cardLocks: single("cardLocks"),
    provisions,
    alerts: ((al.aggregations as Record<string, any> | undefined)?.rules?.buckets ?? []).map(
      (b: Bucket & { name: { buckets: Bucket[] }; disposition: { buckets: Bucket[] } }) => ({
        rule: b.key,
        ruleName: b.name.buckets[0]?.key ?? b.key,
        total: b.doc_count,
        byDisposition: Object.fromEntries(b.disposition.buckets.map((d) => [d.key, d.doc_count])),
      }),
    ),
  };
}

async function checklistResult(prefectureId: string | null, organizationId: string, fiscalYear: number): Promise<ChecklistResult | null> {
  if (!prefectureId) return null;
  const round = await db().checklistRound.findUnique({
    where: { organizationId_fiscalYear: { organizationId: prefectureId, fiscalYear } },
    include: { assessments: { where: { organizationId }, include: { answers: true } } },
  });
  const a = round?.assessments[0];
  if (!round || !a) return null;
  const template = loadTemplate(round.templateVersion);
  const answers = new Map(a.answers.map((x) => [x.itemId, x.answer as Answer | null]));
  const counts = countAnswers(allItems(template).map((i) => answers.get(i.id)));
  return {
    fiscalYear,
    status: a.status,
    score: scoreOf(counts),
    sections: template.sections.map((s) => ({ id: s.id, title: s.title, score: scoreOf(countAnswers(s.items.map((i) => answers.get(i.id)))) })),
    counts,
  };
}

export async function findingRows(engagementId: string, organizationId: string): Promise<FindingRow[]> {
  const rows = await db().auditFinding.findMany({ where: { engagementId, organizationId }, orderBy: { number: "asc" }, include: { attachments: true } });
  return rows.map((f) => {
    const ev = parseJson<{ alerts?: string[]; searches?: string[] }>(f.evidence, {});
    return {
      number: f.number,
      title: f.title,
      grade: f.grade as FindingRow["grade"],
      criterion: f.criterion,
      condition: f.condition,
      cause: f.cause,
      effect: f.effect,
      recommendation: f.recommendation,
      evidence: { alerts: ev.alerts ?? [], searches: ev.searches ?? [], files: f.attachments.map((a) => a.fileName) },
      status: f.status as FindingRow["status"],
      response: f.response,
      remediationPlan: f.remediationPlan,
      remediationDue: f.remediationDue,
    };
  });
}

/**
 * The report document of the version the actor may see (auditors: the
 * latest, in any state; with `finalOnly`, everyone: the latest final one).
 */
export async function reportDocument(
  actor: Principal,
  engagementId: string,
  organizationId: string,
  now = new Date(),
  opts: { finalOnly?: boolean } = {},
): Promise<AuditReportDocument> {
  const f = await facts(actor, engagementId, organizationId);
  const report = await currentReport(actor, engagementId, organizationId, opts);
  const { raw, scope, ...rest } = f;
  const [statistics, checklist, findings, [year], logReviews, registers] = await Promise.all([
    auditStatistics(scope, organizationId, f.auditFrom, f.auditTo),
    checklistResult(raw.prefectureId, organizationId, raw.fiscalYear),
    findingRows(engagementId, organizationId),
    annualIncidentSummary(scope, raw.fiscalYear, organizationId),
    auditReviewSection(scope, organizationId, { from: f.auditFrom, to: f.auditTo }),
    registerTables(scope, organizationId, { from: f.auditFrom, to: f.auditTo }),
  ]);
  return {
    ...rest,
    version: report?.version ?? 1,
    status: (report?.status as AuditReportDocument["status"]) ?? "draft",
    conclusion: (report?.conclusion as AuditReportDocument["conclusion"]) ?? null,
    opinion: report?.opinion ?? "",
    scopeAndMethod: report?.scopeAndMethod ?? "",
    statistics,
    checklist,
    findings,
    incidentYear: {
      fiscalYear: raw.fiscalYear,
      incidents: year?.incidents ?? 0,
      byKind: year?.byKind ?? {},
      exercises: year?.exercises ?? 0,
      disconnections: year?.disconnections ?? 0,
    },
    logReviews,
    registers,
    generatedAt: now,
    finalizedAt: report?.finalizedAt ?? null,
  };
}

/** The registers' tables of one municipality's audit period, from every provider of `AUDIT_TABLE_SOURCES` (issue 17). */
export async function registerTables(
  scope: Scope,
  organizationId: string,
  period: { from: Date; to: Date },
  sources: AuditTableSource[] = AUDIT_TABLE_SOURCES,
): Promise<RegisterTable[]> {
  const narrowed = scope.narrow(organizationId);
  return (await Promise.all(sources.map((s) => s(narrowed, organizationId, period)))).flat();
}

/**
 * The data of a prefecture's annual operation-status report (運用状況報告,
 * seed 003) for one fiscal year, gathered from the console's own pages:
 * incidents and alerts (稼働状況), the usage report (利用状況, the very same
 * `usageReport` as /reports/usage), the checklist round (自己点検), the
 * external-audit engagements (監査), the registers (機器の更改, 研修, 訓練 with the
 * exercise incidents),
 * plus the narratives the prefecture's staff edit (経緯, 要綱等, the reason
 * a year had no audit).
 *
 * Each section has its own small function. A section whose data the console
 * does not hold is `null` (the documents print the catalogue's
 * 「本コンソールでは当該データを保持していません」, never zeros):
 *  - `equipmentRenewalSection`, `trainingSection` — when the registers (issue 17) hold nothing of the scope;
 *  - `nationalUsageSection`, `ordinancesSection`, `cardsSection` — nationwide
 *    figures (J-LIS, 総務省) that no prefecture console holds.
 */
import { AuthError, prefectureOf, type Principal } from "../../lib/auth/principal";
import { scopeOf, type Scope } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { scopedSearch } from "../../lib/es/scoped";
import { dateKeyOf, fiscalYearPeriod, type Period } from "../statistics/period";
import { itemsTotalOf, usageReport, type UsageReport } from "../statistics/usage";
import { alertFilter, ensureAlertsIndex } from "../alerts/store";
import { countAnswers, scoreOf, SUBMITTED, type AssessmentStatus } from "../checklist/rollup";
import { allItems, loadTemplate } from "../checklist/template";
import { incidentScopeWhere } from "../incidents/access";
import { t } from "../../lib/i18n";
import { KIND_NAMES, listEquipment, withRenewal, type EquipmentKind } from "../registers/equipment";
import { DRILLS, kindLabel, TRAINING_COURSES, type TrainingKind } from "../registers/training";
import { MISCONDUCT_KINDS, MAX_NARRATIVE } from "./sections";

/** An expected refusal; `code` names `annual.error.<code>`. */
export class AnnualError extends Error {
  constructor(
    readonly code: "notPrefecture" | "badYear" | "tooLong",
    message: string,
  ) {
    super(message);
  }
}

export interface Narratives {
  history: string;
  securityRules: string;
  noAuditReason: string;
  updatedAt: Date | null;
}

export interface IncidentRow {
  id: number;
  title: string;
  kind: string;
  status: string;
  openedAt: Date;
  summary: string;
  organizations: string[];
}

export interface OperationSection {
  /** Real incidents of kind 障害 (drills excluded). */
  failures: IncidentRow[];
  /** Real incidents of kind 不正行為 / 情報漏えいの疑い, by kind. */
  misconduct: { count: number; byKind: Record<(typeof MISCONDUCT_KINDS)[number], number>; incidents: IncidentRow[] };
  /** Alerts whose window overlaps the fiscal year, by severity. */
  alerts: { total: number; bySeverity: Record<"critical" | "high" | "medium" | "low", number> };
  hrefs: { incidents: string; alerts: string };
}

export interface UsageSection {
  report: UsageReport;
  /** 本県の条例事務の事務項目数 (data/purposes.json). */
  ordinanceItemsTotal: number | null;
  /** The usage page these figures are the same as. */
  href: string;
}

export interface SelfInspectionSection {
  roundId: string;
  deadline: Date;
  total: number;
  finished: number;
  accepted: number;
  organizations: { id: string; name: string; status: AssessmentStatus; finished: boolean; score: number | null }[];
  href: string;
}

export interface AuditYear {
  fiscalYear: number;
  /** Engagements of the year; empty = 実施なし. */
  engagements: { firm: string; municipalities: string[] }[];
  /** The stored reason for a year without an engagement ("" when none was written). */
  noAuditReason: string;
}

export interface DrillRow extends IncidentRow {
  href: string;
}

/** Filled by the equipment register (issue 17) once it lands. */
export interface EquipmentRenewalSection {
  rows: { organization: string; equipment: string; maintenanceEnds: Date | null; plannedRenewal: Date | null }[];
  href: string;
}

/** Filled by the training register (issue 17) once it lands. */
export interface TrainingSection {
  rows: { organizer: string; audience: string; content: string; heldOn: Date | null }[];
  href: string;
}

export interface AnnualReportData {
  prefecture: { id: string; name: string };
  fiscalYear: number;
  period: Period;
  generatedAt: Date;
  narratives: Narratives;
  operation: OperationSection;
  equipmentRenewal: EquipmentRenewalSection | null;
  nationalUsage: null;
  usage: UsageSection;
  ordinances: null;
  selfInspection: SelfInspectionSection | null;
  audits: { years: AuditYear[]; href: string };
  training: TrainingSection | null;
  drills: DrillRow[];
  cards: null;
}

/** Years in the audit table: the report's year and the four before it (seed 003 shows R1–R5). */
export const AUDIT_YEARS = 5;

/** The caller's prefecture (admin or monitor of a prefecture); 403 for anyone else or another prefecture. */
export async function annualAccess(actor: Principal, prefectureId?: string): Promise<{ prefecture: string; scope: Scope }> {
  const prefecture = await prefectureOf(actor);
  if (!prefecture) throw new AuthError(403, "the annual report is the prefecture staff's");
  if (prefectureId && prefectureId !== prefecture) throw new AuthError(403, `prefecture ${prefectureId} is outside your scope`);
  return { prefecture, scope: await scopeOf(actor) };
}

function checkYear(fiscalYear: number, now: Date): Period {
  let period: Period;
  try {
    period = fiscalYearPeriod(fiscalYear);
  } catch {
    throw new AnnualError("badYear", `invalid fiscal year ${fiscalYear}`);
  }
  if (now < period.from) throw new AnnualError("badYear", `fiscal year ${fiscalYear} has not started`);
  return period;
}

// ----------------------------------------------------------------- narratives

/** The stored narratives of a year (empty when none were written). */
export async function narratives(scope: Scope, prefecture: string, fiscalYear: number): Promise<Narratives> {
  const row = await db().annualReportText.findFirst({ where: { ...scope.narrow(prefecture).where("organizationId"), fiscalYear } });
  return { history: row?.history ?? "", securityRules: row?.securityRules ?? "", noAuditReason: row?.noAuditReason ?? "", updatedAt: row?.updatedAt ?? null };
}

/** Saves the narratives of a year (the fields given); returns what changed, for the audit trail. */
export async function saveNarratives(
  actor: Principal,
  input: { prefectureId?: string; fiscalYear: number; history?: string; securityRules?: string; noAuditReason?: string },
  now = new Date(),
): Promise<{ prefecture: string; changed: string[] }> {
  const { prefecture, scope } = await annualAccess(actor, input.prefectureId);
  checkYear(input.fiscalYear, now);
  const fields = (["history", "securityRules", "noAuditReason"] as const).filter((k) => input[k] !== undefined);
  const data: Record<string, string> = {};
  for (const k of fields) {
    const v = (input[k] ?? "").replace(/\r\n/g, "\n").trim();
    if (v.length > MAX_NARRATIVE) throw new AnnualError("tooLong", `${k}: longer than ${MAX_NARRATIVE} characters`);
    data[k] = v;
  }
  const before = await narratives(scope, prefecture, input.fiscalYear);
  const changed = fields.filter((k) => before[k] !== data[k]);
  await db().annualReportText.upsert({
    where: { organizationId_fiscalYear: { organizationId: prefecture, fiscalYear: input.fiscalYear } },
    create: { organizationId: prefecture, fiscalYear: input.fiscalYear, updatedById: actor.id, ...data },
    update: { updatedById: actor.id, ...data },
  });
  return { prefecture, changed };
}

// ----------------------------------------------------------------- sections

async function incidentRows(scope: Scope, period: Period, where: Record<string, unknown>): Promise<IncidentRow[]> {
  const rows = await db().incident.findMany({
    where: { ...incidentScopeWhere(scope), ...where, openedAt: { gte: period.from, lt: period.to } },
    include: { organizations: { where: scope.where("organizationId"), select: { organizationId: true } } },
    orderBy: { openedAt: "asc" },
  });
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    kind: r.kind,
    status: r.status,
    openedAt: r.openedAt,
    summary: r.summary,
    organizations: r.organizations.map((o) => o.organizationId),
  }));
}

/** 2 本県の稼働状況: failures (incidents of kind 障害), misconduct (不正行為 / 情報漏えいの疑い) and the year's alerts; drills never count. */
export async function operationSection(scope: Scope, period: Period): Promise<OperationSection> {
  const [failures, misconduct, alerts] = await Promise.all([
    incidentRows(scope, period, { exercise: false, kind: "failure" }),
    incidentRows(scope, period, { exercise: false, kind: { in: [...MISCONDUCT_KINDS] } }),
    alertCounts(scope, period),
  ]);
  const byKind = Object.fromEntries(
    MISCONDUCT_KINDS.map((k) => [k, misconduct.filter((i) => i.kind === k).length]),
  ) as OperationSection["misconduct"]["byKind"];
  const range = `from=${dateKeyOf(period.from)}&to=${dateKeyOf(new Date(period.to.getTime() - 1))}`;
  return {
    failures,
    misconduct: { count: misconduct.length, byKind, incidents: misconduct },
    alerts,
    hrefs: { incidents: "/incidents?status=all", alerts: `/alerts?${range}` },
  };
}

async function alertCounts(scope: Scope, period: Period): Promise<OperationSection["alerts"]> {
  await ensureAlertsIndex();
  const res = await scopedSearch(scope, "alerts", {
    size: 0,
    track_total_hits: true,
    query: { bool: { filter: alertFilter({ from: period.from.toISOString(), to: period.to.toISOString() }) } },
    aggs: { severity: { terms: { field: "severity", size: 10 } } },
  });
  const bySeverity = { critical: 0, high: 0, medium: 0, low: 0 };
  const buckets = (res.aggregations?.severity as { buckets?: { key: string; doc_count: number }[] } | undefined)?.buckets ?? [];
  for (const b of buckets) if (b.key in bySeverity) bySeverity[b.key as keyof typeof bySeverity] = b.doc_count;
  return { total: Object.values(bySeverity).reduce((a, b) => a + b, 0), bySeverity };
}

/**
 * 3 住基ネット機器の更改: devices of the equipment register (issue 17) whose planned renewal or maintenance
 * contract end falls in the fiscal year. Null when the register holds no device in the scope at all (not kept
 * in the console), an empty list when it does and none falls in the year.
 */
export async function equipmentRenewalSection(scope: Scope, period: Period): Promise<EquipmentRenewalSection | null> {
  const devices = await withRenewal(await listEquipment(scope));
  if (!devices.length) return null;
  const within = (d: Date | null) => !!d && d >= period.from && d < period.to;
  const rows = devices.filter((d) => d.status !== "retired" && (within(d.renewal) || within(d.maintenanceEnd)));
  const names = await organizationNames(rows.map((d) => d.organizationId));
  return {
    rows: rows.map((d) => ({
      organization: names.get(d.organizationId) ?? d.organizationId,
      equipment: `${KIND_NAMES[d.kind as EquipmentKind] ?? d.kind} ${d.name}`,
      maintenanceEnds: d.maintenanceEnd,
      plannedRenewal: d.renewal,
    })),
    href: "/registers/equipment",
  };
}

/** Organisation names by id (for the report's tables). */
async function organizationNames(ids: string[]): Promise<Map<string, string>> {
  const rows = await db().organization.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, name: true } });
  return new Map(rows.map((o) => [o.id, o.name]));
}

/** Sessions of the training register (issue 17) of the kinds given, held in the period, in the scope. */
async function registerSessions(scope: Scope, period: Period, kinds: TrainingKind[]) {
  return db().trainingSession.findMany({
    where: { ...scope.where("organizationId"), kind: { in: kinds }, heldOn: { gte: period.from, lt: period.to } },
    orderBy: [{ heldOn: "asc" }, { id: "asc" }],
  });
}

export function nationalUsageSection(): null {
  return null;
}

/** 4(2) 本県利用状況: the usage report of the prefecture itself, computed by the same function as /reports/usage. */
export async function usageSection(scope: Scope, prefecture: string, fiscalYear: number, now: Date): Promise<UsageSection> {
  const report = await usageReport(scope.narrow(prefecture), { fiscalYear, now });
  return { report, ordinanceItemsTotal: itemsTotalOf("ordinance"), href: `/reports/usage?fiscalYear=${fiscalYear}&organization=${prefecture}` };
}

/** 4(3) the ordinances of every prefecture: nationwide figures, not held. */
export function ordinancesSection(): null {
  return null;
}

/** 5(2) self-inspection: every assessment of the prefecture's round of the year (null when the round was not held in the console). */
export async function selfInspectionSection(
  scope: Scope,
  prefecture: string,
  fiscalYear: number,
  names: Map<string, string>,
): Promise<SelfInspectionSection | null> {
  const round = await db().checklistRound.findFirst({
    where: { organizationId: prefecture, fiscalYear, assessments: { some: scope.where("organizationId") } },
    include: { assessments: { where: scope.where("organizationId"), include: { answers: true }, orderBy: { organizationId: "asc" } } },
  });
  if (!round) return null;
  const itemIds = allItems(loadTemplate(round.templateVersion)).map((i) => i.id);
  const organizations = round.assessments.map((a) => {
    const answers = new Map(a.answers.map((x) => [x.itemId, x.answer]));
    const finished = SUBMITTED.includes(a.status);
    return {
      id: a.organizationId,
      name: names.get(a.organizationId) ?? a.organizationId,
      status: a.status as AssessmentStatus,
      finished,
      score: finished ? scoreOf(countAnswers(itemIds.map((id) => answers.get(id) as never))) : null,
    };
  });
  return {
    roundId: round.id,
    deadline: round.deadline,
    total: organizations.length,
    finished: organizations.filter((o) => o.finished).length,
    accepted: organizations.filter((o) => o.status === "accepted").length,
    organizations,
    href: `/checklist/rounds/${round.id}`,
  };
}

/** 5(3) external audits of the report's year and the four before it: municipalities and firm, or 実施なし with the stored reason. */
export async function auditsSection(
  scope: Scope,
  prefecture: string,
  fiscalYear: number,
  names: Map<string, string>,
): Promise<{ years: AuditYear[]; href: string }> {
  const first = fiscalYear - AUDIT_YEARS + 1;
  const [engagements, reasons] = await Promise.all([
    db().auditEngagement.findMany({
      where: { prefectureId: prefecture, fiscalYear: { gte: first, lte: fiscalYear }, organizations: { some: scope.where("organizationId") } },
      include: { organizations: { where: scope.where("organizationId") } },
      orderBy: [{ fiscalYear: "asc" }, { createdAt: "asc" }],
    }),
    db().annualReportText.findMany({ where: { ...scope.narrow(prefecture).where("organizationId"), fiscalYear: { gte: first, lte: fiscalYear } } }),
  ]);
  const years: AuditYear[] = [];
  for (let y = first; y <= fiscalYear; y++) {
    years.push({
      fiscalYear: y,
      engagements: engagements
        .filter((e) => e.fiscalYear === y)
        .map((e) => ({
          firm: e.firm,
          municipalities: e.organizations
            .map((o) => o.organizationId)
            .sort()
            .map((id) => names.get(id) ?? id),
        })),
      noAuditReason: reasons.find((r) => r.fiscalYear === y)?.noAuditReason ?? "",
    });
  }
  return { years, href: "/audits" };
}

/**
 * 5(4) training sessions: the training register's security and new-operator trainings of the year. Null when the
 * register holds no session of the scope at all (not kept in the console).
 */
export async function trainingSection(scope: Scope, period: Period): Promise<TrainingSection | null> {
  if (!(await db().trainingSession.count({ where: scope.where("organizationId") }))) return null;
  const rows = await registerSessions(scope, period, TRAINING_COURSES);
  const names = await organizationNames(rows.map((r) => r.organizationId));
  return {
    rows: rows.map((r) => ({
      organizer: names.get(r.organizationId) ?? r.organizationId,
      audience: t("annual.training.participants").replace("{n}", String(r.participantCount)),
      content: `${kindLabel(r.kind)}：${r.title}`,
      heldOn: r.heldOn,
    })),
    href: "/registers/training",
  };
}

/**
 * 5(5) drills: the drill register's emergency and disconnection drills of the year, and the exercise incidents
 * (訓練) no drill of the register was recorded as (a drill linked to its exercise incident counts once).
 */
export async function drillsSection(scope: Scope, period: Period): Promise<DrillRow[]> {
  const sessions = await registerSessions(scope, period, DRILLS);
  const linked = new Set(sessions.map((s) => s.incidentId).filter((id): id is number => id != null));
  const incidents = (await incidentRows(scope, period, { exercise: true })).filter((r) => !linked.has(r.id)).map((r) => ({ ...r, href: `/incidents/${r.id}` }));
  const fromRegister: DrillRow[] = sessions.map((s) => ({
    id: s.id,
    title: `${kindLabel(s.kind)}：${s.title}`,
    kind: s.kind,
    status: "closed",
    openedAt: s.heldOn,
    summary: s.outcome,
    organizations: [s.organizationId],
    href: `/registers/training/${s.id}`,
  }));
  return [...fromRegister, ...incidents].sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime());
}

/** (参考) マイナンバーカード: issuance figures are 総務省's, not held. */
export function cardsSection(): null {
  return null;
}

/** The whole report of the caller's prefecture for a fiscal year (403 for anyone but its staff). */
export async function annualReportData(actor: Principal, opts: { prefectureId?: string; fiscalYear: number; now?: Date }): Promise<AnnualReportData> {
  const now = opts.now ?? new Date();
  const { prefecture, scope } = await annualAccess(actor, opts.prefectureId);
  const period = checkYear(opts.fiscalYear, now);
  const orgs = await db().organization.findMany({ where: scope.where("id"), select: { id: true, name: true } });
  const names = new Map(orgs.map((o) => [o.id, o.name]));
  const [texts, operation, equipmentRenewal, usage, selfInspection, audits, training, drills] = await Promise.all([
    narratives(scope, prefecture, opts.fiscalYear),
    operationSection(scope, period),
    equipmentRenewalSection(scope, period),
    usageSection(scope, prefecture, opts.fiscalYear, now),
    selfInspectionSection(scope, prefecture, opts.fiscalYear, names),
    auditsSection(scope, prefecture, opts.fiscalYear, names),
    trainingSection(scope, period),
    drillsSection(scope, period),
  ]);
  const nameOf = (id: string) => names.get(id) ?? id;
  const named = <T extends IncidentRow>(r: T): T => ({ ...r, organizations: r.organizations.map(nameOf) });
  return {
    prefecture: { id: prefecture, name: nameOf(prefecture) },
    fiscalYear: opts.fiscalYear,
    period,
    generatedAt: now,
    narratives: texts,
    operation: {
      ...operation,
      failures: operation.failures.map(named),
      misconduct: { ...operation.misconduct, incidents: operation.misconduct.incidents.map(named) },
    },
    equipmentRenewal,
    nationalUsage: nationalUsageSection(),
    usage,
    ordinances: ordinancesSection(),
    selfInspection,
    audits,
    training,
    drills: drills.map(named),
    cards: cardsSection(),
  };
}

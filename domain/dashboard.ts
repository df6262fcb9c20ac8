/** The dashboard's figures, computed in Elasticsearch and SQLite within the caller's scope. */
import { ensureAlertsIndex } from "./alerts";
import { eventFigures, type Interval } from "./events/figures";
import { SUBMITTED } from "./checklist/rollup";
import { nodeHealth } from "./node-health";
import type { Scope } from "../lib/auth/scope";
import { db } from "../lib/db";
import { scopedSearch } from "../lib/es/scoped";
import { countReminders, registerReminders, type ReminderCount } from "./registers/reminders";

export interface DashboardRange {
  from: string;
  to: string;
}

/**
 * Detector runs are deployment-wide (one worker for every organisation): only
 * the staff who run the deployment — admins and monitors of a prefecture or
 * of the national centre — see them; municipalities, auditors and their API
 * tokens get none.
 */
async function seesDetectorRuns(scope: Scope): Promise<boolean> {
  const p = scope.principal;
  if (!p) return true;
  if (p.role !== "admin" && p.role !== "monitor") return false;
  const org = await db().organization.findUnique({ where: { id: p.organizationId }, select: { kind: true } });
  return org?.kind === "prefecture" || org?.kind === "national";
}

/** `tallies: false` reads every figure from the events themselves (the tallies' integration test compares both). */
export async function dashboardData(range: DashboardRange, scope: Scope, options: { tallies?: boolean } = {}) {
  await ensureAlertsIndex();
  const spanDays = (Date.parse(range.to) - Date.parse(range.from)) / 86_400_000;
  const interval: Interval = spanDays > 14 ? "1d" : spanDays > 2 ? "6h" : "1h";
  const now = Date.now();
  const [events, alerts, orgs, health, overdueChecklists, runs] = await Promise.all([
    eventFigures(scope, range, interval, options),
    scopedSearch(scope, "alerts", {
      size: 0,
      query: { bool: { filter: [{ range: { "window.end": { gt: range.from } } }, { range: { "window.start": { lt: range.to } } }] } },
      aggs: {
        bySeverity: { terms: { field: "severity", size: 10 } },
        byRule: { terms: { field: "rule.id", size: 30 }, aggs: { name: { terms: { field: "rule.name", size: 1 } } } },
        open: { filter: { term: { status: "open" } }, aggs: { bySeverity: { terms: { field: "severity", size: 10 } } } },
      },
    }),
    db().organization.findMany({ where: scope.where("id"), select: { id: true, name: true, kind: true } }),
    nodeHealth(scope, now),
    overdueAssessments(scope, new Date(now)),
    seesDetectorRuns(scope).then((sees) =>
      sees ? db().detectorRun.findMany({ where: { startedAt: { gte: new Date(Date.now() - 24 * 3600_000) } }, orderBy: { startedAt: "desc" }, take: 500 }) : [],
    ),
  ]);
  const aa = alerts.aggregations as any;
  const names = new Map(orgs.map((o) => [o.id, o.name]));
  const latestRun = new Map<string, (typeof runs)[number]>();
  for (const r of runs) if (!latestRun.has(r.ruleId)) latestRun.set(r.ruleId, r);
  return {
    interval,
    eventsOverTime: events.overTime,
    eventsSource: events.source,
    alertsBySeverity: SEVERITIES.map((severity) => ({
      severity,
      count: ((aa.bySeverity.buckets as any[]).find((b) => b.key === severity)?.doc_count as number) ?? 0,
    })),
    alertsByRule: (aa.byRule.buckets as any[]).map((b) => ({
      rule: b.key as string,
      name: (b.name.buckets[0]?.key as string) ?? b.key,
      count: b.doc_count as number,
    })),
    openAlerts: aa.open.doc_count as number,
    openBySeverity: SEVERITIES.map((severity) => ({
      severity,
      count: ((aa.open.bySeverity.buckets as any[]).find((b) => b.key === severity)?.doc_count as number) ?? 0,
    })),
    overdueChecklists,
    volumeByOrg: events.byOrganization.map((b) => ({ ...b, name: names.get(b.organization) ?? b.organization })),
    topOperators: events.topOperators.map((b) => ({ ...b, organizationName: names.get(b.organization ?? "") ?? b.organization })),
    nodeHealth: health.nodes,
    intake: { lastArrival: health.lastArrival, stalled: health.stalled, shortestThresholdMinutes: health.shortestThresholdMinutes },
    silentNodes: health.nodes.filter((n) => n.silent).length,
    generatedAt: new Date(now).toISOString(),
    detectorRuns: [...latestRun.values()].map((r) => ({ rule: r.ruleId, at: r.startedAt.toISOString(), ms: r.durationMs, alerts: r.alerts, error: r.error })),
    gaps: runs.filter((r) => r.error?.startsWith("gap")).map((r) => ({ rule: r.ruleId, from: r.from.toISOString(), to: r.to.toISOString() })),
  };
}

const SEVERITIES = ["critical", "high", "medium", "low"];

/** Self-inspection assessments in scope past their round's deadline and not yet submitted. */
async function overdueAssessments(scope: Scope, now: Date): Promise<number> {
  return db().assessment.count({ where: { ...scope.where("organizationId"), status: { notIn: [...SUBMITTED] }, round: { deadline: { lt: now } } } });
}

// ---- Registers (issue 17): the panel 「台帳の確認事項」 ----

/** Reminder counts of the registers per kind in scope (each linking to its register page); see domain/registers/reminders.ts. */
export async function registerReminderPanel(scope: Scope, now = new Date()): Promise<ReminderCount[]> {
  return countReminders(await registerReminders(scope, now));
}

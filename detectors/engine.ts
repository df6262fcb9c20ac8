/**
 * Runs rules over a window: widen to the rule's buckets, ask the rule for
 * candidates, drop exceptions and suppressed entities, cap the count, and
 * upsert alerts under deterministic ids (rule + entity + bucket), so a rerun
 * over any overlapping window updates evidence and never duplicates an alert
 * nor reopens a triaged one. Every run is recorded.
 */
import { createHash } from "node:crypto";
import type { estypes } from "@elastic/elasticsearch";
import { alertsIndex, ensureAlertsIndex, type AlertDocument } from "../domain/alerts";
import { notifyNewAlerts } from "../domain/alerts/notify";
import { suppressionCovers } from "../domain/registry/suppressions";
import { systemScope, type Scope } from "../lib/auth/scope";
import { db } from "../lib/db";
import { es } from "../lib/es/client";
import { loadRules } from "./catalogue";
import { loadRegistry, type RegistrySnapshot } from "./registry";
import { widen, type AlertCandidate, type RuleDefinition, type RuleParams, type Severity, type Window } from "./rule";

export interface RuleRunSummary {
  id: string;
  alerts: number;
  created: number;
  suppressed: number;
  dropped: number;
  ms: number;
  error?: string;
}

export interface DetectSummary {
  rules: RuleRunSummary[];
  alerts: number;
  created: number;
}

export interface DetectOptions {
  /** Only these rule ids (default: every enabled rule). */
  rules?: string[];
  trigger?: "cli" | "schedule" | "test";
  now?: Date;
  maxAlertsPerRun?: number;
}

const SEVERITY_ORDER: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1 };

export function alertId(ruleId: string, c: Pick<AlertCandidate, "entity" | "organization" | "window">): string {
  return createHash("sha256").update([ruleId, c.organization, c.entity.type, c.entity.id, c.window.start].join("\u0000")).digest("hex").slice(0, 24);
}

interface Settings {
  enabled: (ruleId: string) => boolean;
  params: (rule: RuleDefinition, organizationId?: string) => RuleParams;
}

async function loadSettings(): Promise<Settings> {
  const rows = await db().ruleSetting.findMany();
  const key = (rule: string, org: string) => `${rule}\u0000${org}`;
  const byKey = new Map(rows.map((r) => [key(r.ruleId, r.organizationId), r]));
  return {
    enabled: (ruleId) => byKey.get(key(ruleId, ""))?.enabled ?? true,
    params: (rule, org) => ({
      ...rule.params,
      ...JSON.parse(byKey.get(key(rule.id, ""))?.params ?? "{}"),
      ...(org ? JSON.parse(byKey.get(key(rule.id, org))?.params ?? "{}") : {}),
    }),
  };
}

export async function runDetectors(window: Window, options: DetectOptions = {}): Promise<DetectSummary> {
  if (!(window.from < window.to)) throw new Error("--from must be before --to");
  const [all, registry, settings] = await Promise.all([loadRules(), loadRegistry(), loadSettings()]);
  const unknown = (options.rules ?? []).filter((id) => !all.some((r) => r.id === id));
  if (unknown.length) throw new Error(`unknown rule id(s): ${unknown.join(", ")}`);
  const rules = all.filter((r) => (options.rules ? options.rules.includes(r.id) : settings.enabled(r.id)));
  await ensureAlertsIndex();
  const summary: DetectSummary = { rules: [], alerts: 0, created: 0 };
  // Rules read every organisation's data, under an explicit, named system scope (never a bare client).
  const scope = systemScope("detector");
  for (const rule of rules) {
    const s = await runRule(rule, window, scope, registry, settings, options);
    summary.rules.push(s);
    summary.alerts += s.alerts;
    summary.created += s.created;
  }
  await es().indices.refresh({ index: alertsIndex() });
  return summary;
}

async function runRule(
  rule: RuleDefinition,
  window: Window,
  scope: Scope,
  registry: RegistrySnapshot,
  settings: Settings,
  options: DetectOptions,
): Promise<RuleRunSummary> {
  const started = Date.now();
  const now = options.now ?? new Date();
  const wide = widen(window, rule.bucket);
  const result: RuleRunSummary = { id: rule.id, alerts: 0, created: 0, suppressed: 0, dropped: 0, ms: 0 };
  try {
    const candidates = await rule.run({
      window: wide,
      scope,
      registry,
      params: (org?: string) => settings.params(rule, org),
      now,
    });
    const kept = await applyExceptionsAndSuppressions(rule.id, candidates);
    result.suppressed = candidates.length - kept.length;
    kept.sort(
      (a, b) => SEVERITY_ORDER[b.severity ?? rule.severity] - SEVERITY_ORDER[a.severity ?? rule.severity] || a.window.start.localeCompare(b.window.start),
    );
    const cap = options.maxAlertsPerRun ?? 500;
    const written = kept.slice(0, cap);
    result.dropped = kept.length - written.length;
    result.alerts = written.length;
    const created = await writeAlerts(rule, written, now);
    result.created = created.length;
    // Only alerts this run created are notified (a rerun refreshes evidence and tells no one again).
    await notifyNewAlerts(created, now).catch((e: Error) => console.error(`[detect] notifying ${created.length} new ${rule.id} alerts failed: ${e.message}`));
  } catch (e) {
    result.error = e instanceof Error ? e.message : String(e);
  }
  result.ms = Date.now() - started;
  await db().detectorRun.create({
    data: {
      ruleId: rule.id,
      from: window.from,
      to: window.to,
      startedAt: new Date(started),
      durationMs: result.ms,
      alerts: result.alerts,
      dropped: result.dropped,
      suppressed: result.suppressed,
      error: result.error ?? (result.dropped ? `cap reached: ${result.dropped} alerts dropped` : null),
      trigger: options.trigger ?? "cli",
    },
  });
  return result;
}

/**
 * Drops candidates covered by a standing exception or an active suppression.
 * Each exception or suppression belongs to an organisation and applies only
 * to candidates of that organisation or of an organisation below it (the
 * subtree its admins manage), so one municipality's suppression never hides
 * another municipality's alert.
 */
async function applyExceptionsAndSuppressions(ruleId: string, candidates: AlertCandidate[]): Promise<AlertCandidate[]> {
  if (!candidates.length) return candidates;
  const [exceptions, suppressions, orgs] = await Promise.all([
    db().ruleException.findMany({ where: { ruleId: { in: [ruleId, "*"] } } }),
    db().suppression.findMany({ where: { ruleId } }),
    db().organization.findMany({ select: { id: true, parentId: true } }),
  ]);
  const parent = new Map(orgs.map((o) => [o.id, o.parentId]));
  const lineage = new Map<string, Set<string>>();
  /** The organisation and its ancestors (cycle-safe). */
  const lineageOf = (org: string): Set<string> => {
    let set = lineage.get(org);
    if (!set) {
      set = new Set();
      for (let at: string | null | undefined = org; at && !set.has(at); at = parent.get(at)) set.add(at);
      lineage.set(org, set);
    }
    return set;
  };
  const key = (type: string, id: string) => `${type}\u0000${id}`;
  const excepted = new Map<string, string[]>();
  for (const e of exceptions)
    (excepted.get(key(e.entityType, e.entityId)) ?? excepted.set(key(e.entityType, e.entityId), []).get(key(e.entityType, e.entityId))!).push(e.organizationId);
  return candidates.filter((c) => {
    const k = key(c.entity.type, c.entity.id);
    const orgs = lineageOf(c.organization);
    if (excepted.get(k)?.some((o) => orgs.has(o))) return false;
    const start = Date.parse(c.window.start);
    return !suppressions.some((s) => key(s.entityType, s.entityId) === k && orgs.has(s.organizationId) && suppressionCovers(s, start));
  });
}

/** Upserts alerts; evidence and severity follow the latest run, status and triage are never touched. Returns the new ones. */
async function writeAlerts(rule: RuleDefinition, candidates: AlertCandidate[], now: Date): Promise<AlertDocument[]> {
  if (!candidates.length) return [];
  const docs = new Map<string, AlertDocument>();
  type Update = Pick<AlertDocument, "severity" | "summary" | "evidence"> & { detection: { last_seen: string } };
  const operations: (estypes.BulkOperationContainer | estypes.BulkUpdateAction<AlertDocument, Update>)[] = [];
  for (const c of candidates) {
    const id = alertId(rule.id, c);
    const severity = c.severity ?? rule.severity;
    const update: Update = { severity, summary: c.summary, evidence: c.evidence, detection: { last_seen: now.toISOString() } };
    const doc: AlertDocument = {
      id,
      "@timestamp": now.toISOString(),
      rule: { id: rule.id, name: rule.name.ja, name_en: rule.name.en },
      severity,
      risk_score: rule.riskScore,
      window: c.window,
      entity: c.entity,
      organization: { id: c.organization },
      summary: c.summary,
      status: "open",
      evidence: c.evidence,
      detection: { first_seen: now.toISOString(), last_seen: now.toISOString() },
    };
    docs.set(id, doc);
    operations.push({ update: { _index: alertsIndex(), _id: id, retry_on_conflict: 3 } }, { doc: update, upsert: doc });
  }
  const res = await es().bulk({ operations });
  const created: AlertDocument[] = [];
  for (const item of res.items) {
    const r = item.update!;
    if (r.error) throw new Error(`writing alert ${r._id}: ${r.error.type}: ${r.error.reason}`);
    if (r.result === "created") created.push(docs.get(r._id!)!);
  }
  return created;
}

/**
 * Suggestions from the logs: figures for the checklist items the logs can
 * speak to, counted for one municipality over its fiscal year (April–March
 * JST, up to now), each with a link to the evidence in the console. The
 * officer still answers; these only inform the answer.
 */
import type { Scope } from "../../lib/auth/scope";
import { DEFAULT_BUSINESS_HOURS, type BusinessHours } from "../../lib/calendar";
import { db } from "../../lib/db";
import { outsideBusinessHours } from "../../lib/es/indices";
import { scopedSearch } from "../../lib/es/scoped";
import { provisionRecords } from "../statistics/figures";
import { fiscalYearPeriod } from "../statistics/period";
import { annualIncidentSummary } from "../incidents/summary";
import { reviewFigures } from "../reviews/summary";
import { SIGNALS, type Signal } from "./template";
import { FIGURE_SOURCES, type FigureSource } from "../registers/sources";

export interface Figure {
  value: number;
  /** The detector rule's name, for rule figures that have alerts. */
  name?: string;
  /** For ratios (e.g. biometric logins out of all logins). */
  of?: number;
  href: string;
}

export interface Suggestions {
  from: string;
  to: string;
  signals: Partial<Record<Signal, Figure>>;
  /** Alerts per detector rule in the period. */
  rules: Record<string, Figure>;
}

/** [from, to) of a fiscal year (JST), clipped to now. */
export function fiscalYearRange(fiscalYear: number, now = new Date()): { from: string; to: string } {
  const { from, to } = fiscalYearPeriod(fiscalYear);
  return { from: from.toISOString(), to: (to.getTime() < now.getTime() ? to : now).toISOString() };
}

/** An organisation's business hours from the registry (the default ones when it is unknown). */
export async function businessHoursOf(organizationId: string): Promise<BusinessHours> {
  const org = await db().organization.findUnique({ where: { id: organizationId }, select: { businessStart: true, businessEnd: true } });
  return org ? { start: org.businessStart, end: org.businessEnd } : DEFAULT_BUSINESS_HOURS;
}

/**
 * The checks of the monthly log review named by the prefectural training (LOG-01): proper use of authentication
 * ids and use for duties outside one's authority, each the alerts of its rules (the third, use after hours, is
 * `after_hours_operations`).
 */
export const CHECK_SIGNALS: Partial<Record<Signal, string[]>> = {
  id_checks: ["auth-failure-burst", "concurrent-session", "weak-operator-auth"],
  authority_checks: ["purpose-outside-authority", "purpose-not-permitted"],
};

const ALERT_SIGNALS: Partial<Record<Signal, string>> = {
  unregistered_terminal_alerts: "unregistered-terminal",
  maintenance_window_updates: "maintenance-window-update",
  broad_queries: "broad-query",
  bulk_exports: "bulk-export",
};

/** The figures of one municipality (403 when outside the scope) for its fiscal year, read within the scope. */
export async function suggestionsFor(callerScope: Scope, organizationId: string, fiscalYear: number, now = new Date()): Promise<Suggestions> {
  const scope = callerScope.narrow(organizationId);
  const { from, to } = fiscalYearRange(fiscalYear, now);
  const hours = await businessHoursOf(organizationId);
  const period = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  const events = (action: string) => `/events?organization=${organizationId}&action=${action}&${period}`;
  const alerts = (extra: string) => `/alerts?organization=${organizationId}&${period}${extra}`;

  const [ev, al, provisions] = await Promise.all([
    scopedSearch(scope, "events", {
      size: 0,
      ignore_unavailable: true,
      allow_no_indices: true,
      query: { range: { "@timestamp": { gte: from, lt: to } } },
      aggs: {
        f: {
          filters: {
            filters: {
              after_hours: { bool: { filter: [{ exists: { field: "user.id" } }, outsideBusinessHours(hours)] } },
              auth_failures: { term: { "event.action": "auth_failure" } },
              card_locks: { term: { "event.action": "card_locked" } },
              logins: { bool: { filter: [{ term: { "event.action": "login" } }, { term: { "event.outcome": "success" } }] } },
              biometric_logins: {
                bool: {
                  filter: [
                    { term: { "event.action": "login" } },
                    { term: { "event.outcome": "success" } },
                    { terms: { "jukinet.auth.method": ["biometric", "ic_card_biometric"] } },
                  ],
                },
              },
            },
          },
        },
      },
    }),
    scopedSearch(scope, "alerts", {
      size: 0,
      ignore_unavailable: true,
      allow_no_indices: true,
      query: { range: { "window.start": { gte: from, lt: to } } },
      aggs: {
        rules: { terms: { field: "rule.id", size: 100 }, aggs: { name: { terms: { field: "rule.name", size: 1 } } } },
        open: { filter: { term: { status: "open" } } },
      },
    }),
    provisionRecords(scope, { from: new Date(from), to: new Date(to) }),
  ]);

  const b = (ev.aggregations?.f as { buckets: Record<string, { doc_count: number }> } | undefined)?.buckets ?? {};
  const n = (k: string) => b[k]?.doc_count ?? 0;
  const rules: Record<string, Figure> = {};
  for (const r of (al.aggregations?.rules as { buckets: { key: string; doc_count: number; name: { buckets: { key: string }[] } }[] } | undefined)?.buckets ??
    []) {
    rules[r.key] = { value: r.doc_count, name: r.name.buckets[0]?.key, href: alerts(`&rule=${r.key}`) };
  }
  const ruleFigure = (rule: string): Figure => rules[rule] ?? { value: 0, href: alerts(`&rule=${rule}`) };

  const signals: Partial<Record<Signal, Figure>> = {
    after_hours_operations: { value: n("after_hours"), href: ruleFigure("after-hours-access").href },
    auth_failures: { value: n("auth_failures"), href: events("auth_failure") },
    card_locks: { value: n("card_locks"), href: events("card_locked") },
    biometric_logins: { value: n("biometric_logins"), of: n("logins"), href: events("login") },
    provisions: { value: provisions, href: events("provide") },
    open_alerts: { value: (al.aggregations?.open as { doc_count: number } | undefined)?.doc_count ?? 0, href: alerts("&status=open") },
  };
  for (const [signal, rule] of Object.entries(ALERT_SIGNALS) as [Signal, string][]) signals[signal] = ruleFigure(rule);
  for (const [signal, ids] of Object.entries(CHECK_SIGNALS) as [Signal, string[]][])
    signals[signal] = { value: ids.reduce((sum, r) => sum + ruleFigure(r).value, 0), href: alerts(`&rule=${ids.join(",")}`) };
  // Incidents and drills of the year (domain/incidents/summary.ts): drills never count as incidents.
  const year = (await annualIncidentSummary(scope, fiscalYear, organizationId))[0];
  signals.incidents = { value: year?.incidents ?? 0, href: `/incidents?status=all&organization=${organizationId}` };
  signals.exercises = { value: year?.exercises ?? 0, href: `/incidents?status=all&organization=${organizationId}` };
  // Periodic log reviews of the year (domain/reviews/summary.ts): done of those due, and findings needing action.
  const reviews = await reviewFigures(scope, organizationId, fiscalYear);
  signals.log_reviews = { value: reviews.done, of: reviews.of, href: reviews.href };
  signals.log_review_findings = { value: reviews.actionRequired, href: reviews.href };
  Object.assign(signals, await registerFigures(scope, organizationId, fiscalYear, now));
  return { from, to, signals, rules };
}

/**
 * The registers' figures of the municipality's fiscal year (issue 17: equipment, IC cards, training and drills),
 * from every provider of `FIGURE_SOURCES`, keyed by checklist signal; keys that are not signals are left out.
 */
export async function registerFigures(
  scope: Scope,
  organizationId: string,
  fiscalYear: number,
  now = new Date(),
  sources: FigureSource[] = FIGURE_SOURCES,
): Promise<Partial<Record<Signal, Figure>>> {
  const narrowed = scope.narrow(organizationId);
  const out: Partial<Record<Signal, Figure>> = {};
  for (const figures of await Promise.all(sources.map((f) => f(narrowed, organizationId, fiscalYear, now))))
    for (const [signal, f] of Object.entries(figures)) if ((SIGNALS as readonly string[]).includes(signal)) out[signal as Signal] = f;
  return out;
}

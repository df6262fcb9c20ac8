/**
 * What a detection rule is: metadata (ids, names, severity, the control it
 * enforces, parameters with defaults) and logic that asks Elasticsearch —
 * with aggregations, never by paging raw events into Node — for the entities
 * that break the rule in a window, with the evidence behind each decision.
 *
 * One module per rule id under detectors/rules/, default-exporting
 * defineRule({...}). The catalogue finds them by listing the folder.
 * Building blocks for rule logic: days.ts (JST days), series.ts (daily series
 * per entity), baseline.ts (median/MAD baselines), lookups.ts and scan.ts
 * (look-ups, scans), evidence.ts (samples and the reproducing query).
 */
import type { estypes } from "@elastic/elasticsearch";
import type { Scope } from "../lib/auth/scope";
import { JST_OFFSET_MS } from "../lib/calendar";
import type { Terms } from "./aggs";
import type { RegistrySnapshot } from "./registry";

export type Severity = "low" | "medium" | "high" | "critical";
export type EntityType = "operator" | "terminal" | "card" | "node" | "recipient" | "subject" | "host" | "organization";
/** Alerts of a rule are grouped per entity and per bucket of time (JST); reruns over any window give the same ids. */
export type Bucket = "hour" | "day";

export interface Window {
  from: Date;
  to: Date;
}

export interface RuleContext<P> {
  /** The window to evaluate, widened to whole buckets of the rule. */
  window: Window;
  /**
   * The scope every read goes through (`scopedSearch`/`scopedBuckets` of
   * lib/es/scoped.ts): the engine's named system scope "detector".
   */
  scope: Scope;
  registry: RegistrySnapshot;
  /** Parameters for an organisation: the rule's defaults with that organisation's overrides. */
  params(organizationId?: string): P;
  /** "now" for the run (rules about silence or freshness use it instead of the clock). */
  now: Date;
}

export interface AlertCandidate {
  entity: { type: EntityType; id: string };
  organization: string;
  /** The bucket the alert covers. */
  window: { start: string; end: string };
  /** Overrides the rule's severity (e.g. escalation). */
  severity?: Severity;
  /** One line in Japanese for the alert list. */
  summary: string;
  evidence: {
    /** The counts behind the decision. */
    counts: Record<string, number>;
    /** Baseline values where the rule compares against history or peers. */
    baseline?: Record<string, number | null>;
    /** A few event ids (`event.id` with `observer.id`) to start from. */
    sample_events: { observer: string; id: string; timestamp: string }[];
    /** An Elasticsearch query (against `index`) that reproduces the events behind the alert. */
    query: { index: string; query: estypes.QueryDslQueryContainer };
    [key: string]: unknown;
  };
}

/** Parameter values of a rule (defaults, and any organisation's overrides stored as JSON). */
export type RuleParams = Record<string, number | string | boolean | string[]>;

/** A rule with parameters `P`; without an argument, any rule as the catalogue lists and the engine runs it. */
export interface RuleDefinition<P extends object = RuleParams> {
  id: string;
  name: { ja: string; en: string };
  description: { ja: string; en: string };
  severity: Severity;
  /** 0–100, as in Elastic Security. */
  riskScore: number;
  entityType: EntityType;
  /** The legal or operational control the rule enforces (seeds, 住基法, security standards). */
  control: string;
  /** Known benign cases that look like hits, and how the rule avoids them. */
  falsePositives: string[];
  bucket: Bucket;
  /** Defaults; organisations may override any of them. */
  params: P;
  run(ctx: RuleContext<P>): Promise<AlertCandidate[]>;
}

export function defineRule<P extends object>(rule: RuleDefinition<P>): RuleDefinition<P> {
  return rule;
}

// ---------------------------------------------------------------- helpers for rule logic

const BUCKET_MS: Record<Bucket, number> = { hour: 3600_000, day: 86_400_000 };

/** Start of the JST bucket that contains `t`. */
export function bucketStart(t: number, bucket: Bucket): number {
  const size = BUCKET_MS[bucket];
  return Math.floor((t + JST_OFFSET_MS) / size) * size - JST_OFFSET_MS;
}

/** The window widened to whole JST buckets. */
export function widen(window: Window, bucket: Bucket): Window {
  const size = BUCKET_MS[bucket];
  const from = bucketStart(window.from.getTime(), bucket);
  const end = window.to.getTime();
  const to = bucketStart(end - 1, bucket) + size;
  return { from: new Date(from), to: new Date(to) };
}

export function bucketWindow(t: number, bucket: Bucket): { start: string; end: string } {
  const s = bucketStart(t, bucket);
  return { start: new Date(s).toISOString(), end: new Date(s + BUCKET_MS[bucket]).toISOString() };
}

/** `@timestamp` in [from, to). */
export function timeRange(from: Date | number | string, to: Date | number | string): estypes.QueryDslQueryContainer {
  const iso = (v: Date | number | string) => new Date(v).toISOString();
  return { range: { "@timestamp": { gte: iso(from), lt: iso(to) } } };
}

/** Composite sources grouping events per operator, organisation and JST day (keys user, org, day). */
export const PER_OPERATOR_DAY: Record<string, estypes.AggregationsCompositeAggregationSource>[] = [
  { user: { terms: { field: "user.id" } } },
  { org: { terms: { field: "organization.id" } } },
  { day: { terms: { field: "jukinet.time.date" } } },
];

/** Key → doc_count of a terms aggregation's buckets. */
export function termCounts(agg: Terms<unknown, string | number> | undefined): Record<string, number> {
  return Object.fromEntries((agg?.buckets ?? []).map((b) => [b.key, b.doc_count]));
}

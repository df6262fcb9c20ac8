/**
 * One truth about nodes, shared by the node-silence rule and the dashboard:
 * a node is silent when nothing has arrived from it (access events or IDS
 * alerts) for longer than its registered expected interval plus the rule's
 * grace, measured up to the newest arrival of any node (when nothing at all
 * arrives, the console's own intake stopped: that is one banner, not every
 * node falling silent).
 */
import type { Scope } from "../lib/auth/scope";
import { systemScope } from "../lib/auth/scope";
import { db } from "../lib/db";
import { scopedSearch } from "../lib/es/scoped";

export const NODE_SILENCE_RULE = "node-silence";
/** Transport and clock delay added to the registered interval (the rule's default `graceMinutes`). */
export const NODE_SILENCE_GRACE_MINUTES = 5;
/** A node sends access events (CS, servers) or IDS alerts (sensors): every read covers both streams. */
export const NODE_STREAMS = ["events", "ids"] as const;
export const MINUTE_MS = 60_000;

/** The node-silence threshold in milliseconds: the registered interval plus the grace. */
export function silenceLimitMs(expectedIntervalMinutes: number, graceMinutes: number): number {
  return (expectedIntervalMinutes + graceMinutes) * MINUTE_MS;
}

/**
 * Whether a node is silent at `now`: its last arrival (or, never heard from,
 * its registration) lies further back than its limit from the end of the
 * measurement, which is `now` but no later than the newest arrival of any
 * node (`horizon`; null when nothing ever arrived, then nothing is silent).
 */
export function silenceOf(o: { last: number | null; registeredAt: number; limitMs: number; now: number; horizon: number | null }): {
  silent: boolean;
  silentMinutes: number | null;
} {
  const since = o.last ?? o.registeredAt;
  const end = o.horizon === null ? -Infinity : Math.min(o.now, o.horizon);
  return { silent: end - since > o.limitMs, silentMinutes: o.last === null ? null : Math.max(0, Math.round((o.now - o.last) / MINUTE_MS)) };
}

/** Whether intake as a whole stopped: nothing from any node for longer than the shortest limit (or nothing ever). */
export function intakeStalled(horizon: number | null, shortestLimitMs: number, now: number): boolean {
  return horizon === null || now - horizon > shortestLimitMs;
}

/**
 * How far back each read of `lastArrivalPerNode` looks from its end: nodes heard from in the hour before it are
 * answered from that hour's events alone, the rest from two days, and only nodes silent longer from the whole history
 * (a maximum over a range bounded below is the maximum over all time whenever the range holds any event of the node).
 */
const ARRIVAL_LOOKBACKS_MS = [60 * MINUTE_MS, 2 * 24 * 60 * MINUTE_MS, null] as const;

/**
 * Newest `@timestamp` per node over both streams (any time). `end` is where the lookbacks start: now while intake
 * flows; the newest arrival of any node when intake stopped (nodeHealth), so that the nodes which sent until then are
 * still answered from the last hour's events. Events after `end` count too.
 */
export async function lastArrivalPerNode(scope: Scope, nodes: string[], end = Date.now()): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  let pending = nodes;
  for (const lookback of ARRIVAL_LOOKBACKS_MS) {
    if (!pending.length) break;
    const since = lookback === null ? [] : [{ range: { "@timestamp": { gte: end - lookback } } }];
    const found = await Promise.all(
      NODE_STREAMS.map(async (stream) => {
        const res = await scopedSearch(scope, stream, {
          size: 0,
          query: { bool: { filter: [{ terms: { "observer.id": pending } }, ...since] } },
          aggs: { nodes: { terms: { field: "observer.id", size: pending.length }, aggs: { t: { max: { field: "@timestamp" } } } } },
        });
        return (res.aggregations as { nodes?: { buckets: { key: string; t: { value: number | null } }[] } } | undefined)?.nodes?.buckets ?? [];
      }),
    );
    for (const b of found.flat()) if (b.t.value !== null) out.set(b.key, Math.max(out.get(b.key) ?? -Infinity, b.t.value));
    pending = pending.filter((n) => !out.has(n));
  }
  return out;
}

/**
 * The newest arrival of any node in the deployment, as the detection worker
 * sees it. Read with the ingest's own scope: intake is deployment-wide, and
 * only one instant leaves this function.
 */
export async function intakeHorizon(): Promise<number | null> {
  let newest: number | null = null;
  for (const stream of NODE_STREAMS) {
    const res = await scopedSearch(systemScope("ingest"), stream, { size: 0, aggs: { t: { max: { field: "@timestamp" } } } });
    const v = (res.aggregations as { t?: { value: number | null } } | undefined)?.t?.value ?? null;
    if (v !== null) newest = Math.max(newest ?? -Infinity, v);
  }
  return newest;
}

/** The rule's grace per organisation, from its settings (organisation, else deployment-wide, else the default). */
export async function graceMinutesOf(): Promise<(organizationId: string) => number> {
  const rows = await db().ruleSetting.findMany({ where: { ruleId: NODE_SILENCE_RULE }, select: { organizationId: true, params: true } });
  const grace = new Map<string, number>();
  for (const r of rows) {
    try {
      const g = (JSON.parse(r.params) as { graceMinutes?: unknown }).graceMinutes;
      if (typeof g === "number" && Number.isFinite(g)) grace.set(r.organizationId, g);
    } catch {
      // A malformed setting is the engine's to report; the default applies here.
    }
  }
  return (org) => grace.get(org) ?? grace.get("") ?? NODE_SILENCE_GRACE_MINUTES;
}

export interface NodeHealthRow {
  node: string;
  type: string;
  organization: string;
  lastEvent: string | null;
  silentMinutes: number | null;
  expectedMinutes: number;
  thresholdMinutes: number;
  silent: boolean;
}

export interface NodeHealth {
  nodes: NodeHealthRow[];
  /** Newest arrival of any node (ISO), null when nothing ever arrived. */
  lastArrival: string | null;
  /** Nothing at all has arrived for longer than the shortest threshold of the nodes in scope. */
  stalled: boolean;
  shortestThresholdMinutes: number | null;
}

/** Every node in scope with its state by the node-silence threshold, silent ones first. */
export async function nodeHealth(scope: Scope, now = Date.now()): Promise<NodeHealth> {
  const [nodes, horizon, grace] = await Promise.all([db().node.findMany({ where: scope.where() }), intakeHorizon(), graceMinutesOf()]);
  // Nothing ever arrived: no node has a last arrival. Otherwise look back from the end of the measurement (silenceOf).
  const last =
    horizon === null
      ? new Map<string, number>()
      : await lastArrivalPerNode(
          scope,
          nodes.map((n) => n.id),
          Math.min(now, horizon),
        );
  const rows = nodes
    .map((n): NodeHealthRow => {
      const limitMs = silenceLimitMs(n.expectedIntervalMinutes, grace(n.organizationId));
      const t = last.get(n.id) ?? null;
      return {
        node: n.id,
        type: n.type,
        organization: n.organizationId,
        lastEvent: t === null ? null : new Date(t).toISOString(),
        expectedMinutes: n.expectedIntervalMinutes,
        thresholdMinutes: limitMs / MINUTE_MS,
        ...silenceOf({ last: t, registeredAt: n.createdAt.getTime(), limitMs, now, horizon }),
      };
    })
    .sort((a, b) => Number(b.silent) - Number(a.silent) || a.node.localeCompare(b.node));
  const shortest = rows.length ? Math.min(...rows.map((r) => r.thresholdMinutes)) : null;
  return {
    nodes: rows,
    lastArrival: horizon === null ? null : new Date(horizon).toISOString(),
    stalled: shortest !== null && intakeStalled(horizon, shortest * MINUTE_MS, now),
    shortestThresholdMinutes: shortest,
  };
}

import type { estypes } from "@elastic/elasticsearch";
import type { Scope } from "../../lib/auth/scope";
import { jstMinuteLabel } from "../../lib/calendar";
import { scopedBuckets, scopedSearch, streamIndex } from "../../lib/es/scoped";
import { aggsOf, type Terms } from "../aggs";
import { DAY_MS } from "../days";
import { samplesOf } from "../evidence";
import { bucketWindow, defineRule, type AlertCandidate } from "../rule";
import { MINUTE_MS, NODE_SILENCE_GRACE_MINUTES, NODE_STREAMS as STREAMS, silenceLimitMs } from "../../domain/node-health";

/** Latest (or earliest) `@timestamp` per node in a time range: one terms aggregation over the nodes per stream. */
async function edgePerNode(scope: Scope, nodes: string[], range: { gte?: number; lt?: number }, edge: "max" | "min"): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!nodes.length) return out;
  const r = Object.fromEntries(Object.entries(range).map(([k, v]) => [k, new Date(v).toISOString()]));
  for (const stream of STREAMS) {
    const res = await scopedSearch(scope, stream, {
      size: 0,
      query: { bool: { filter: [{ terms: { "observer.id": nodes } }, { range: { "@timestamp": r } }] } },
      aggs: { nodes: { terms: { field: "observer.id", size: nodes.length }, aggs: { t: { [edge]: { field: "@timestamp" } } } } },
    });
    for (const b of aggsOf<{ nodes?: Terms<{ t: { value: number } }> }>(res).nodes?.buckets ?? []) {
      const seen = out.get(b.key);
      out.set(b.key, seen === undefined ? b.t.value : Math[edge](seen, b.t.value));
    }
  }
  return out;
}

export default defineRule({
  id: "node-silence",
  name: { ja: "ノードの無通信", en: "Node silence" },
  description: {
    ja: "登録されたノード（市町村CS・都道府県サーバ・全国センター・IDSセンサ）から、登録された想定送信間隔（expected_interval_minutes）を超えて何も届いていない（登録後一度も届いていない場合を含む）。",
    en: "A registered node (municipal CS, prefectural server, national centre, IDS sensor) has sent nothing for longer than its registered expected interval (expected_interval_minutes), including a node never heard from since it was registered.",
  },
  severity: "medium",
  riskScore: 47,
  entityType: "node",
  control:
    "業務アクセスログの常時監視（ログが届かない状態の検知）; 障害時の緊急時対応計画（市町村⇔都道府県⇔全国センターの連絡体制）(DOMAIN: emergency response plans)",
  falsePositives: [
    "The registered expected_interval_minutes is the threshold (INTERFACE.md §4); only `graceMinutes` (transport and clock delay, a few minutes) is added. Nodes that only send during business hours or on business days register an interval that covers the longest quiet stretch they have (a night, a weekend, a long weekend).",
    "Planned outages (maintenance, network work): add a suppression for the node until the end of the work.",
    "Events delivered late (a node catching up on a backlog, 磁気媒体 imports): a run before they arrive sees a gap; the alert stays for triage and a rerun over that window after the import no longer reports it.",
    "The console's own intake stops (nothing from any node): ongoing silences are measured only up to the newest event of any node, so that is not reported as every node falling silent.",
    "The IDS sensor only writes when it detects something: its expected_interval_minutes must reflect that (the demo sensor writes at least hourly).",
  ],
  bucket: "day",
  params: { graceMinutes: NODE_SILENCE_GRACE_MINUTES, lookbackDays: 7, highSeverityMinutes: 360 },
  async run(ctx) {
    const nodes = [...ctx.registry.nodes.values()];
    if (!nodes.length) return [];
    const index = STREAMS.map(streamIndex).join(",");
    const ids = nodes.map((n) => n.id);
    const from = ctx.window.from.getTime();
    const to = ctx.window.to.getTime();
    const limit = new Map(
      nodes.map((n) => {
        const p = ctx.params(n.organizationId);
        // The registered interval is the threshold; the grace only absorbs transport delay (the dashboard uses the same limit).
        return [n.id, silenceLimitMs(n.expectedIntervalMinutes, p.graceMinutes)];
      }),
    );
    const longest = Math.max(...limit.values());
    // A gap longer than the shortest limit always crosses a bucket boundary of that size, so bucket edges find it exactly.
    const resolution = Math.max(1, Math.floor(Math.min(...limit.values()) / MINUTE_MS));

    // The last event before the window (recent first, then ever), the first after it, and the activity inside it.
    const before = await edgePerNode(ctx.scope, ids, { gte: from - ctx.params().lookbackDays * DAY_MS, lt: from }, "max");
    for (const [n, t] of await edgePerNode(
      ctx.scope,
      ids.filter((n) => !before.has(n)),
      { lt: from },
      "max",
    ))
      before.set(n, t);
    const after = await edgePerNode(ctx.scope, ids, { gte: to, lt: to + longest }, "min");
    // Activity per node and time bucket; a bucket seen in both streams is one span from its first to its last event.
    const bins = new Map<string, { node: string; span: [number, number] }>();
    for (const stream of STREAMS) {
      for await (const b of scopedBuckets(
        ctx.scope,
        stream,
        {
          bool: {
            filter: [{ terms: { "observer.id": ids } }, { range: { "@timestamp": { gte: new Date(from).toISOString(), lt: new Date(to).toISOString() } } }],
          },
        },
        [{ node: { terms: { field: "observer.id" } } }, { t: { date_histogram: { field: "@timestamp", fixed_interval: `${resolution}m` } } }],
        { first: { min: { field: "@timestamp" } }, last: { max: { field: "@timestamp" } } },
      )) {
        const { node, t } = b.key as { node: string; t: number };
        const key = `${node}\u0000${t}`;
        const bin = bins.get(key);
        if (bin) bin.span = [Math.min(bin.span[0], b.first.value), Math.max(bin.span[1], b.last.value)];
        else bins.set(key, { node, span: [b.first.value, b.last.value] });
      }
    }
    const active = new Map<string, [number, number][]>();
    for (const { node, span } of bins.values()) (active.get(node) ?? active.set(node, []).get(node)!).push(span);

    // Ongoing silences run to now (or the window's end), but no further than the newest event of any node:
    // when nothing at all arrives, the console's own intake stopped and that is not every node falling silent.
    let horizon = -Infinity;
    for (const t of [...before.values(), ...after.values(), ...[...active.values()].flat().map(([, last]) => last)]) horizon = Math.max(horizon, t);
    const end = Math.min(ctx.now.getTime(), to, horizon);
    const out: AlertCandidate[] = [];
    for (const node of nodes) {
      const p = ctx.params(node.organizationId);
      const spans = (active.get(node.id) ?? []).sort((a, b) => a[0] - b[0]);
      const next = after.get(node.id);
      if (next !== undefined) spans.push([next, next]);
      // Before the first event ever, the silence runs from the node's registration.
      let last = before.get(node.id);
      const registered = last === undefined && node.createdAt.getTime() < (spans[0]?.[0] ?? Infinity) ? node.createdAt.getTime() : undefined;
      last ??= registered;
      const gaps: { start: number; end: number; ongoing: boolean }[] = [];
      for (const [first, lastInSpan] of spans) {
        if (last !== undefined && first - last > limit.get(node.id)!) gaps.push({ start: last, end: first, ongoing: false });
        last = lastInSpan;
      }
      if (next === undefined && last !== undefined && end - last > limit.get(node.id)!) gaps.push({ start: last, end, ongoing: true });

      for (const g of gaps.filter((g) => g.start < to && g.end > from)) {
        const minutes = Math.round((g.end - g.start) / MINUTE_MS);
        const neverSeen = g.start === registered;
        const query: estypes.QueryDslQueryContainer = {
          bool: {
            filter: [
              { term: { "observer.id": node.id } },
              { range: { "@timestamp": { gte: new Date(g.start).toISOString(), lte: new Date(g.end).toISOString() } } },
            ],
          },
        };
        const samples = (
          await Promise.all(
            STREAMS.map((stream) =>
              scopedSearch(ctx.scope, stream, { size: 5, query, sort: [{ "@timestamp": "asc" }], _source: ["event.id", "observer.id", "@timestamp"] }),
            ),
          )
        )
          .flatMap(samplesOf)
          .sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp))
          .slice(0, 5);
        const orgName = ctx.registry.organizations.get(node.organizationId)?.name ?? node.organizationId;
        out.push({
          entity: { type: "node", id: node.id },
          organization: node.organizationId,
          window: bucketWindow(g.start, "day"),
          severity: minutes >= p.highSeverityMinutes ? "high" : undefined,
          summary: `${node.id}（${orgName}）から ${Math.floor(minutes / 60)}時間${minutes % 60}分 受信なし（${neverSeen ? "登録" : "最終受信"} ${jstMinuteLabel(g.start)}〜${g.ongoing ? "継続中" : jstMinuteLabel(g.end)}）`,
          evidence: {
            counts: { silence_minutes: minutes, threshold_minutes: limit.get(node.id)! / MINUTE_MS, expected_interval_minutes: node.expectedIntervalMinutes },
            baseline: { expected_interval_minutes: node.expectedIntervalMinutes, grace_minutes: p.graceMinutes },
            node_type: node.type,
            last_seen: neverSeen ? null : new Date(g.start).toISOString(),
            registered_at: node.createdAt.toISOString(),
            resumed_at: g.ongoing ? null : new Date(g.end).toISOString(),
            ongoing: g.ongoing,
            sample_events: samples,
            query: { index, query },
          },
        });
      }
    }
    return out;
  },
});

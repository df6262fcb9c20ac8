import type { estypes } from "@elastic/elasticsearch";
import { scopedBuckets, scopedSearch, streamIndex, type CompositeBucket } from "../../lib/es/scoped";
import { aggsOf, type SampleHits, type Terms } from "../aggs";
import { dayKey } from "../days";
import { reproduce, sampleHits, samplesOf, SPAN_AND_SAMPLES } from "../evidence";
import { bucketWindow, defineRule, timeRange, type AlertCandidate, type Severity, termCounts } from "../rule";

const MINUTE_MS = 60_000;
/** Resolution of the alert times used to look for operator activity around them. */
const SLOT_MS = 10 * MINUTE_MS;
const JST_DAY = { date_histogram: { field: "@timestamp", calendar_interval: "1d", time_zone: "+09:00" } } as const;

/** Merges [start, end] intervals (sorted by start). */
export function mergeIntervals(spans: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [s, e] of [...spans].sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

const SUB_AGGS = (peer: string): Record<string, estypes.AggregationsAggregationContainer> => ({
  severity: { min: { field: "suricata.eve.alert.severity" } },
  signatures: { terms: { field: "rule.name", size: 5 } },
  peers: { terms: { field: peer, size: 5 } },
  ...SPAN_AND_SAMPLES,
});

export default defineRule({
  id: "ids-alert",
  name: { ja: "IDSアラート（住基ネット端末）", en: "IDS alert" },
  description: {
    ja: "IDS（Suricata）が住基ネットの登録端末を送信元または宛先とするアラートを検知した。前後の時間にその端末で操作が行われていれば重大度を引き上げる。住基ネット外のアドレスへの日常的な低重大度アラートは宛先・日ごとに集計し、件数が閾値を超えた場合のみ通知する。",
    en: "The IDS (Suricata) raised alerts whose source or destination is a registered Juki-net terminal; escalated when an operator was working at that terminal around the alerts. Routine low-severity alerts against other addresses are aggregated per destination and day and only reported above a volume threshold.",
  },
  severity: "high",
  riskScore: 73,
  entityType: "terminal",
  control:
    "専用回線・ファイアウォール・IDSによる不正侵入の監視（J-LIS）; 緊急時対応計画（不正行為の脅威度判定とネットワーク遮断の判断）(DOMAIN: Juki-net in one page, emergency response plans)",
  falsePositives: [
    "Everyday scans and policy hits against the office LAN or the internet: not registered Juki-net addresses, so only `noiseMinAlerts` or more alerts against one destination in a day (or a severity-1 alert) fire, once per destination and day.",
    "A vulnerability scan ordered by the prefecture (侵入検査): add a suppression for the terminals for the test period.",
  ],
  bucket: "day",
  params: { activityWindowMinutes: 30, highPriority: 1, noiseMinAlerts: 50 },
  async run(ctx) {
    const range = timeRange(ctx.window.from, ctx.window.to);
    const ips = [...ctx.registry.terminalByIp.keys()];
    const out: AlertCandidate[] = [];

    // 1. Alerts involving a registered terminal, per terminal and JST day (as destination, then as source).
    const hits = new Map<string, { ip: string; day: number; count: number; severity: number; b: CompositeBucket[] }>();
    for (const [field, peer] of ips.length
      ? [
          ["destination.ip", "source.ip"],
          ["source.ip", "destination.ip"],
        ]
      : []) {
      for await (const b of scopedBuckets(
        ctx.scope,
        "ids",
        { bool: { filter: [range, { terms: { [field]: ips } }] } },
        [{ ip: { terms: { field } } }, { day: JST_DAY }],
        { ...SUB_AGGS(peer), slots: { date_histogram: { field: "@timestamp", fixed_interval: "10m", min_doc_count: 1 } } },
      )) {
        const { ip, day } = b.key as { ip: string; day: number };
        const k = `${ip}\u0000${day}`;
        const h = hits.get(k) ?? hits.set(k, { ip, day, count: 0, severity: Infinity, b: [] }).get(k)!;
        h.count += b.doc_count;
        h.severity = Math.min(h.severity, b.severity.value);
        h.b.push(b);
      }
    }
    for (const h of hits.values()) {
      const terminalId = ctx.registry.terminalByIp.get(h.ip)!;
      const terminal = ctx.registry.terminals.get(terminalId)!;
      const tp = ctx.params(terminal.organizationId);
      const pad = tp.activityWindowMinutes * MINUTE_MS;
      const around = mergeIntervals(h.b.flatMap((b) => b.slots.buckets.map((s: { key: number }) => [s.key - pad, s.key + SLOT_MS + pad] as [number, number])));
      const activityQuery: estypes.QueryDslQueryContainer = {
        bool: {
          filter: [
            { bool: { should: [{ term: { "host.id": terminalId } }, { term: { "source.ip": h.ip } }], minimum_should_match: 1 } },
            { bool: { should: around.map(([s, e]) => timeRange(s, e)), minimum_should_match: 1 } },
          ],
          must_not: [{ terms: { "event.action": ["notify", "batch_provide"] } }],
        },
      };
      const activity = await scopedSearch(ctx.scope, "events", {
        size: 0,
        query: activityQuery,
        aggs: { users: { terms: { field: "user.id", size: 5 } }, actions: { terms: { field: "event.action", size: 10 } }, samples: sampleHits(3) },
      });
      const act = aggsOf<{ users: Terms; actions: Terms; samples: SampleHits }>(activity);
      const events = (activity.hits.total as estypes.SearchTotalHits).value;
      const high = h.severity <= tp.highPriority;
      const severity: Severity = events > 0 ? (high ? "critical" : "high") : high ? "high" : h.severity <= 2 ? "medium" : "low";
      const window = bucketWindow(h.day, "day");
      const signatures = Object.assign({}, ...h.b.map((b) => termCounts(b.signatures)));
      const users = Object.keys(termCounts(act.users));
      out.push({
        entity: { type: "terminal", id: terminalId },
        organization: terminal.organizationId,
        window,
        severity,
        summary: `登録端末 ${terminalId}（${h.ip}）に関するIDSアラート ${h.count} 件（最高重大度 ${h.severity}）${users.length ? `、同時間帯に ${users.join("・")} が操作` : ""}（${dayKey(h.day)}）`,
        evidence: {
          counts: { ids_alerts: h.count, min_severity: h.severity, operator_events_nearby: events, operators_nearby: users.length },
          signatures,
          peers: Object.assign({}, ...h.b.map((b) => termCounts(b.peers))),
          first: h.b.map((b) => b.first.value_as_string).sort()[0],
          last: h.b
            .map((b) => b.last.value_as_string)
            .sort()
            .at(-1),
          operator_activity: { users: termCounts(act.users), actions: termCounts(act.actions), ...reproduce(act.samples, activityQuery) },
          sample_events: h.b.flatMap((b) => samplesOf(b.samples)).slice(0, 5),
          query: {
            index: streamIndex("ids"),
            query: {
              bool: {
                filter: [timeRange(window.start, window.end)],
                should: [{ term: { "source.ip": h.ip } }, { term: { "destination.ip": h.ip } }],
                minimum_should_match: 1,
              },
            },
          },
        },
      });
    }

    // 2. Everything else, aggregated per destination and JST day: only heavy volume or a top-priority alert fires.
    const other: estypes.QueryDslQueryContainer = {
      bool: { filter: [range], must_not: ips.length ? [{ terms: { "source.ip": ips } }, { terms: { "destination.ip": ips } }] : [] },
    };
    for await (const b of scopedBuckets(
      ctx.scope,
      "ids",
      other,
      [{ org: { terms: { field: "organization.id" } } }, { ip: { terms: { field: "destination.ip" } } }, { day: JST_DAY }],
      SUB_AGGS("source.ip"),
    )) {
      const { org, ip, day } = b.key as { org: string; ip: string; day: number };
      const op = ctx.params(org);
      const high = b.severity.value <= op.highPriority;
      if (b.doc_count < op.noiseMinAlerts && !high) continue;
      const window = bucketWindow(day, "day");
      out.push({
        entity: { type: "host", id: ip },
        organization: org,
        window,
        severity: high ? "medium" : "low",
        summary: `住基ネット外のアドレス ${ip} 宛てのIDSアラート ${b.doc_count} 件（最高重大度 ${b.severity.value}）（${dayKey(day)}）`,
        evidence: {
          counts: { ids_alerts: b.doc_count, min_severity: b.severity.value },
          signatures: termCounts(b.signatures),
          sources: termCounts(b.peers),
          first: b.first.value_as_string,
          last: b.last.value_as_string,
          ...reproduce(
            b.samples,
            { bool: { filter: [timeRange(window.start, window.end), { term: { "destination.ip": ip } }], must_not: other.bool!.must_not } },
            "ids",
          ),
        },
      });
    }
    return out;
  },
});

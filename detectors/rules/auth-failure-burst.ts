import type { estypes } from "@elastic/elasticsearch";
import { scopedBuckets } from "../../lib/es/scoped";
import type { Histogram, Terms } from "../aggs";
import { dayWindow } from "../days";
import { reproduce } from "../evidence";
import { defineRule, timeRange, type AlertCandidate, type Severity } from "../rule";

const MINUTE = 60_000;

/** The densest stretch of `minutes` over per-minute counts: most events, or most distinct keys (cards). */
export function densest(buckets: { t: number; n: number; keys?: string[] }[], minutes: number, by: "events" | "keys" = "events") {
  const sorted = [...buckets].sort((a, b) => a.t - b.t);
  let best = { value: 0, start: NaN, end: NaN };
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (j < sorted.length && sorted[j].t < sorted[i].t + minutes * MINUTE) j++;
    const slice = sorted.slice(i, j);
    const value = by === "events" ? slice.reduce((s, b) => s + b.n, 0) : new Set(slice.flatMap((b) => b.keys ?? [])).size;
    if (value > best.value) best = { value, start: sorted[i].t, end: sorted[j - 1].t + MINUTE };
  }
  return best;
}

const perMinute = (field?: string): estypes.AggregationsAggregationContainer => ({
  date_histogram: { field: "@timestamp", fixed_interval: "1m", min_doc_count: 1 },
  ...(field ? { aggs: { keys: { terms: { field, size: 50 } } } } : {}),
});
const minutesOf = (agg: Histogram<{ keys?: Terms }>) => agg.buckets.map((b) => ({ t: b.key, n: b.doc_count, keys: b.keys?.buckets.map((k) => k.key) }));
const keysOf = (agg: Terms): string[] => agg.buckets.map((b) => b.key);
const iso = (t: number) => (Number.isFinite(t) ? new Date(t).toISOString() : null);
const samples: estypes.AggregationsAggregationContainer = {
  top_hits: { size: 5, sort: [{ "@timestamp": "asc" }], _source: ["event.id", "observer.id", "@timestamp"] },
};

export default defineRule({
  id: "auth-failure-burst",
  name: { ja: "認証失敗の集中・ICカードロック", en: "Authentication failure burst" },
  description: {
    ja: "同じ操作者ICカードでの短時間の認証失敗の繰り返し、1台の端末での複数カードの認証失敗、カードロックの発生、本人・同じ部署によるロック解除を検知する。",
    en: "Repeated authentication failures on one operator IC card in a short time, failures with several cards on one terminal, every card lock, and a lock released by the card holder or the holder's own department.",
  },
  severity: "medium",
  riskScore: 50,
  entityType: "card",
  control:
    "操作者ICカード＋パスワード／生体認証、誤入力の繰返しによるロックと所属部署以外によるロック解除; 認証IDの適正な利用の確認 (seed 004, DOMAIN operator controls)",
  falsePositives: [
    "One mistyped password followed by a successful login: fewer than `minFailures` failures in `failureWindowMinutes` do not fire.",
    "Unlocks by the information-systems section (another department) are the normal release procedure and do not fire; small towns where the counter itself must unlock can set `sameDepartmentUnlock` to false.",
    "Failures sent without a card id (biometric-only) are not counted per card.",
  ],
  bucket: "day",
  params: { minFailures: 3, failureWindowMinutes: 10, minCardsPerTerminal: 3, terminalWindowMinutes: 15, sameDepartmentUnlock: true },
  async run(ctx) {
    const { registry } = ctx;
    const range = timeRange(ctx.window.from, ctx.window.to);
    const out: AlertCandidate[] = [];

    // Per card: failure bursts, locks, and who released the lock.
    const CARD_ACTIONS = ["auth_failure", "card_locked", "card_unlocked"];
    for await (const b of scopedBuckets(
      ctx.scope,
      "events",
      { bool: { filter: [range, { terms: { "event.action": CARD_ACTIONS } }, { exists: { field: "jukinet.auth.card_id" } }] } },
      [
        { org: { terms: { field: "organization.id" } } },
        { card: { terms: { field: "jukinet.auth.card_id" } } },
        { day: { terms: { field: "jukinet.time.date" } } },
      ],
      {
        failures: { filter: { term: { "event.action": "auth_failure" } }, aggs: { minutes: perMinute(), hosts: { terms: { field: "host.id", size: 10 } } } },
        locked: { filter: { term: { "event.action": "card_locked" } } },
        unlocked: { filter: { term: { "event.action": "card_unlocked" } }, aggs: { by: { terms: { field: "user.id", size: 10 } } } },
        samples,
      },
    )) {
      const { org, card, day } = b.key as Record<string, string>;
      const p = ctx.params(org);
      const burst = densest(minutesOf(b.failures.minutes), p.failureWindowMinutes);
      const owner = registry.cardOwner.get(card);
      const ownerDept = owner ? registry.operators.get(owner)?.department : undefined;
      const unlockers = keysOf(b.unlocked.by);
      const improper = unlockers.filter((u) => u === owner || (p.sameDepartmentUnlock && !!ownerDept && registry.operators.get(u)?.department === ownerDept));
      const locked = b.locked.doc_count as number;
      if (burst.value < p.minFailures && locked === 0 && improper.length === 0) continue;
      const window = dayWindow(day);
      const severity: Severity | undefined = improper.length || (locked && burst.value >= p.minFailures) ? "high" : undefined;
      const what = [
        burst.value >= p.minFailures ? `${p.failureWindowMinutes} 分間に認証失敗 ${burst.value} 回` : "",
        locked ? "カードロック" : "",
        improper.length ? `本人・同一部署によるロック解除（${improper.join("・")}）` : "",
      ];
      out.push({
        entity: { type: "card", id: card },
        organization: org,
        window,
        severity,
        summary: `ICカード ${card}${owner ? `（${owner}）` : ""}: ${what.filter(Boolean).join("、")}（${day}）`,
        evidence: {
          counts: {
            failures: b.failures.doc_count,
            max_failures_in_window: burst.value,
            locked,
            unlocked: b.unlocked.doc_count,
            improper_unlocks: improper.length,
          },
          thresholds: { minFailures: p.minFailures, failureWindowMinutes: p.failureWindowMinutes },
          burst: { start: iso(burst.start), end: iso(burst.end) },
          owner: owner ?? null,
          hosts: keysOf(b.failures.hosts),
          unlocked_by: unlockers,
          ...reproduce(b.samples, [
            timeRange(window.start, window.end),
            { term: { "organization.id": org } },
            { term: { "jukinet.auth.card_id": card } },
            { terms: { "event.action": CARD_ACTIONS } },
          ]),
        },
      });
    }

    // Per terminal: failures with several different cards in a short time (someone trying colleagues' cards).
    for await (const b of scopedBuckets(
      ctx.scope,
      "events",
      { bool: { filter: [range, { term: { "event.action": "auth_failure" } }, { exists: { field: "host.id" } }] } },
      [{ org: { terms: { field: "organization.id" } } }, { host: { terms: { field: "host.id" } } }, { day: { terms: { field: "jukinet.time.date" } } }],
      { cards: { cardinality: { field: "jukinet.auth.card_id" } }, minutes: perMinute("jukinet.auth.card_id"), samples },
    )) {
      const { org, host, day } = b.key as Record<string, string>;
      const p = ctx.params(org);
      if ((b.cards.value ?? 0) < p.minCardsPerTerminal) continue;
      const minutes = minutesOf(b.minutes);
      const burst = densest(minutes, p.terminalWindowMinutes, "keys");
      if (burst.value < p.minCardsPerTerminal) continue;
      const cards = [...new Set(minutes.filter((m) => m.t >= burst.start && m.t < burst.end).flatMap((m) => m.keys ?? []))].sort();
      const window = dayWindow(day);
      out.push({
        entity: { type: "terminal", id: host },
        organization: org,
        window,
        severity: "high",
        summary: `端末 ${host} で ${p.terminalWindowMinutes} 分間に ${burst.value} 枚の異なるICカードで認証失敗（${day}）`,
        evidence: {
          counts: { failures: b.doc_count, cards: b.cards.value ?? 0, max_cards_in_window: burst.value },
          thresholds: { minCardsPerTerminal: p.minCardsPerTerminal, terminalWindowMinutes: p.terminalWindowMinutes },
          burst: { start: iso(burst.start), end: iso(burst.end) },
          cards,
          owners: cards.map((c) => registry.cardOwner.get(c) ?? null),
          ...reproduce(b.samples, [
            timeRange(window.start, window.end),
            { term: { "organization.id": org } },
            { term: { "host.id": host } },
            { term: { "event.action": "auth_failure" } },
          ]),
        },
      });
    }
    return out;
  },
});

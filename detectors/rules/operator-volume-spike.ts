import type { estypes } from "@elastic/elasticsearch";
import { daysBefore, farAbove, medianMad } from "../baseline";
import { dayWindow, windowDays } from "../days";
import type { Cardinality, Terms } from "../aggs";
import { detailOf } from "../evidence";
import { lookupQuery, lookupTallies } from "../lookups";
import { defineRule, timeRange, type AlertCandidate, termCounts } from "../rule";
import { findScan, SCAN_DEFAULTS } from "../scan";
import { dailySeries } from "../series";

type Query = estypes.QueryDslQueryContainer;

export interface SpikeParams {
  baselineDays: number;
  minHistoryDays: number;
  factor: number;
  madK: number;
  minExcess: number;
  peerFactor: number;
}

/** The robust baseline of an entity's active days before `day`, and the count from which a day is far above it. */
export function ownBaseline(series: Map<string, number>, day: string, p: SpikeParams) {
  const values = daysBefore(series, day, p.baselineDays).map(([, v]) => v);
  const { median, mad } = medianMad(values);
  return { days: values.length, median, mad, threshold: farAbove(median, mad, p, p.minExcess) };
}

/** True when `n` is far above the entity's own baseline and (when there are peers) above the peers' median that day. */
export function isSpike(n: number, own: { days: number; threshold: number }, peerMedian: number | null, p: SpikeParams): boolean {
  return own.days >= p.minHistoryDays && n >= own.threshold && (peerMedian === null || n >= p.peerFactor * Math.max(peerMedian, 1));
}

export default defineRule({
  id: "operator-volume-spike",
  name: { ja: "操作者の照会件数の急増", en: "Operator volume spike" },
  description: {
    ja: "操作者の1日の照会・閲覧件数が、本人の過去28日間の通常水準（中央値・MAD）を大きく上回り、かつ同じ団体の他の操作者の同日の件数も大きく上回った。",
    en: "An operator's searches and views in one day were far above the operator's own usual level (median and MAD of the previous 28 days) and far above the other operators of the same organisation that day.",
  },
  severity: "medium",
  riskScore: 47,
  entityType: "operator",
  control:
    "市区町村での操作履歴の確認・業務アクセスログの常時監視（不審な業務パターン）; 権限外業務での利用の確認 (seed 000 内部の不正利用の防止, seed 002, DOMAIN log checks)",
  falsePositives: [
    "A busy operator with a steadily high volume: compared with the operator's own median, so high-but-usual days do not fire.",
    "Seasonal peaks (moving season, Monday and month-end peaks) raise every operator of the organisation: the day must also be far above the peers' median that day.",
    "Operators with fewer than `minHistoryDays` active days in the baseline (new staff) are not judged; an organisation with a single active operator is judged on its own baseline only.",
    "A scraping burst is reported by enumeration-scan: look-ups inside a detected scan span are left out before the day is judged.",
  ],
  bucket: "day",
  params: { baselineDays: 28, minHistoryDays: 5, factor: 3, madK: 5, minExcess: 40, peerFactor: 3, highFactor: 8 },
  async run(ctx) {
    const lookups = lookupQuery(ctx.registry);
    // Daily look-ups per (organisation, operator) over the window and its baseline period, and per (organisation, day) the operators' counts.
    const series = await dailySeries(ctx, "user.id", [lookups], { lookups: "events" }, lookupTallies(ctx.registry));
    const byOrgDay = new Map<string, Map<string, number>>();
    for (const { org, id: user, days } of series) {
      for (const [day, n] of days.lookups) {
        const od = `${org}\u0000${day}`;
        (byOrgDay.get(od) ?? byOrgDay.set(od, new Map()).get(od)!).set(user, n);
      }
    }

    const out: AlertCandidate[] = [];
    for (const { org, id: user, days } of series) {
      const p = ctx.params(org);
      for (const day of windowDays(ctx.window)) {
        const n = days.lookups.get(day);
        if (n === undefined) continue;
        const own = ownBaseline(days.lookups, day, p);
        const peers = [...byOrgDay.get(`${org}\u0000${day}`)!].filter(([u]) => u !== user).map(([, v]) => v);
        const peerMedian = peers.length ? medianMad(peers).median : null;
        if (!isSpike(n, own, peerMedian, p)) continue;
        // Look-ups inside a scan span belong to enumeration-scan; judge the rest of the day.
        const scan = await findScan(ctx.scope, ctx.registry, SCAN_DEFAULTS, { field: "user.id", id: user, org, day });
        const rest = n - (scan?.events ?? 0);
        if (scan && !isSpike(rest, own, peerMedian, p)) continue;

        const window = dayWindow(day);
        const filter: Query[] = [timeRange(window.start, window.end), lookups, { term: { "user.id": user } }, { term: { "organization.id": org } }];
        const { a, tail } = await detailOf<{ actions: Terms; subjects: Cardinality; hours: Terms<unknown, number> }>(ctx.scope, filter, {
          actions: { terms: { field: "event.action", size: 5 } },
          subjects: { cardinality: { field: "jukinet.subject.ref" } },
          hours: { terms: { field: "jukinet.time.hour", size: 24 } },
        });
        const ratio = n / Math.max(own.median, 1);
        out.push({
          entity: { type: "operator", id: user },
          organization: org,
          window,
          severity: ratio >= p.highFactor ? "high" : undefined,
          summary: `${user} の照会・閲覧が ${n} 件（本人の通常の中央値 ${own.median} 件の約${Math.round(ratio)}倍、同じ団体の他の操作者の中央値 ${peerMedian ?? "—"} 件）（${day}）`,
          evidence: {
            counts: { lookups: n, distinct_subjects: a.subjects.value, ...termCounts(a.actions), ...(scan ? { in_scan_span: scan.events } : {}) },
            baseline: {
              history_days: own.days,
              median: own.median,
              mad: own.mad,
              threshold: own.threshold,
              peers: peers.length,
              peer_median: peerMedian,
              peer_threshold: peerMedian === null ? null : Math.ceil(p.peerFactor * Math.max(peerMedian, 1)),
            },
            by_hour: termCounts(a.hours),
            ...tail,
          },
        });
      }
    }
    return out;
  },
});

import type { estypes } from "@elastic/elasticsearch";
import { scopedBuckets } from "../../lib/es/scoped";
import { dayWindow } from "../days";
import { reproduce, SPAN_AND_SAMPLES, spanOf } from "../evidence";
import { personActivity } from "../registry";
import { PER_OPERATOR_DAY, defineRule, timeRange, type AlertCandidate } from "../rule";

/** Query kinds that do not identify one person (INTERFACE.md §1, 照会条件の限定). */
export const WEAK_KINDS = ["name_only", "address_only"];

/** Searches with weak conditions: name only, address only, or any partial/fuzzy (wildcard) match. */
const WEAK: estypes.QueryDslQueryContainer = {
  bool: { should: [{ terms: { "jukinet.query.kind": WEAK_KINDS } }, { term: { "jukinet.query.wildcard": true } }], minimum_should_match: 1 },
};

export default defineRule({
  id: "broad-query",
  name: { ja: "照会条件の限定違反（広範な検索）", en: "Broad query" },
  description: {
    ja: "氏名のみ・住所のみ・あいまい（ワイルドカード）の4情報検索など限定されていない条件での検索、または大量の該当件数を返した検索を操作者が行った。",
    en: "An operator searched with weak conditions (name only, address only, wildcard/fuzzy four-information) or got a very large number of records back from a search.",
  },
  severity: "medium",
  riskScore: 55,
  entityType: "operator",
  control:
    "照会条件の限定（検索条件を限定し、不特定多数の本人確認情報を検索できないようにする措置）; 権限外業務での利用の確認 (DOMAIN: limited query conditions)",
  falsePositives: [
    "A four-information search that lists two or three namesakes is normal: only weak kinds, wildcards or result counts of `largeResultCount` and more count.",
    "A single name-only search for a hard-to-find resident: one weak search alone does not fire (`minWeakSearches`); organisations may raise it.",
  ],
  bucket: "day",
  params: { minWeakSearches: 2, largeResultCount: 100, highSeverityResults: 500 },
  async run(ctx) {
    const orgs = [...ctx.registry.organizations.keys()];
    // Organisations may override largeResultCount: ask for the lowest and count each distinct threshold.
    const thresholds = [...new Set([ctx.params().largeResultCount, ...orgs.map((o) => ctx.params(o).largeResultCount)])].sort((a, b) => a - b);
    const broad = (large: number): estypes.QueryDslQueryContainer[] => [
      { term: { "event.action": "search" } },
      { bool: { should: [WEAK, { range: { "jukinet.query.result_count": { gte: large } } }], minimum_should_match: 1 } },
    ];
    const query: estypes.QueryDslQueryContainer = {
      bool: { filter: [timeRange(ctx.window.from, ctx.window.to), personActivity(ctx.registry), ...broad(thresholds[0])] },
    };
    const out: AlertCandidate[] = [];
    for await (const b of scopedBuckets(ctx.scope, "events", query, PER_OPERATOR_DAY, {
      weak: { filter: WEAK },
      kinds: { terms: { field: "jukinet.query.kind", size: 10 } },
      wildcard: { filter: { term: { "jukinet.query.wildcard": true } } },
      large: { range: { field: "jukinet.query.result_count", keyed: true, ranges: thresholds.map((t) => ({ key: String(t), from: t })) } },
      results: { sum: { field: "jukinet.query.result_count" } },
      max_results: { max: { field: "jukinet.query.result_count" } },
      ...SPAN_AND_SAMPLES,
    })) {
      const { user, org, day } = b.key as Record<string, string>;
      const p = ctx.params(org);
      const weak = b.weak.doc_count as number;
      const large = (b.large.buckets[String(p.largeResultCount)]?.doc_count ?? 0) as number;
      if (weak < p.minWeakSearches && large === 0) continue;
      const results = Math.round(b.results.value ?? 0);
      const kinds = Object.fromEntries((b.kinds.buckets as { key: string; doc_count: number }[]).map((k) => [`kind_${k.key}`, k.doc_count]));
      const window = dayWindow(day);
      out.push({
        entity: { type: "operator", id: user },
        organization: org,
        window,
        severity: results >= p.highSeverityResults ? "high" : undefined,
        summary: `${user} が限定されていない条件で ${weak} 件・大量該当で ${large} 件の検索（計 ${results} 件該当、${day}）`,
        evidence: {
          counts: {
            weak_searches: weak,
            large_result_searches: large,
            wildcard_searches: b.wildcard.doc_count,
            results_total: results,
            results_max: b.max_results.value ?? 0,
            ...kinds,
          },
          thresholds: { minWeakSearches: p.minWeakSearches, largeResultCount: p.largeResultCount },
          ...spanOf(b),
          ...reproduce(b.samples, [
            timeRange(window.start, window.end),
            { term: { "user.id": user } },
            { term: { "organization.id": org } },
            ...broad(p.largeResultCount),
          ]),
        },
      });
    }
    return out;
  },
});

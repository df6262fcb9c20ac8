import type { estypes } from "@elastic/elasticsearch";
import { scopedBuckets } from "../../lib/es/scoped";
import type { Terms } from "../aggs";
import { dayWindow } from "../days";
import { reproduce, SPAN_AND_SAMPLES, spanOf } from "../evidence";
import { isPermitted } from "../registry";
import { defineRule, timeRange, type AlertCandidate, termCounts } from "../rule";

interface Combination {
  org: string;
  schedule: string;
  item: string;
}

const combinationQuery = (c: Combination): estypes.QueryDslQueryContainer => ({
  bool: {
    filter: [{ term: { "organization.id": c.org } }, { term: { "jukinet.purpose.schedule": c.schedule } }, { term: { "jukinet.purpose.item": c.item } }],
  },
});

export default defineRule({
  id: "purpose-not-permitted",
  name: { ja: "利用が認められていない事務での利用", en: "Purpose not permitted" },
  description: {
    ja: "団体に認められていない事務（別表の事務・条例事務）を利用事由として本人確認情報を検索・閲覧・提供した。",
    en: "Identity records were searched, viewed or provided for a purpose (schedule + item, or ordinance item) that is not permitted for the organisation.",
  },
  severity: "high",
  riskScore: 73,
  entityType: "operator",
  control:
    "住基法第30条の11〜第30条の15・別表第1〜第6及び条例で定める事務に限った利用; 権限外業務での利用の確認 (DOMAIN: use for duties outside one's authority)",
  falsePositives: [
    "A purpose the organisation is entitled to but that is missing from the registry (e.g. a newly enacted ordinance 事務): register it in permitted_purposes and the alert stops.",
    "Items are compared as sent by the node; a node that sends another spelling of an item id needs the id mapped or registered.",
  ],
  bucket: "day",
  params: { minEvents: 1 },
  async run(ctx) {
    const range = timeRange(ctx.window.from, ctx.window.to);
    const withPurpose: estypes.QueryDslQueryContainer = { exists: { field: "jukinet.purpose.schedule" } };
    // 1. Distinct (organisation, schedule, item) combinations used in the window, checked against the registry.
    const violating: Combination[] = [];
    for await (const b of scopedBuckets(ctx.scope, "events", { bool: { filter: [range, withPurpose] } }, [
      { org: { terms: { field: "organization.id" } } },
      { schedule: { terms: { field: "jukinet.purpose.schedule" } } },
      { item: { terms: { field: "jukinet.purpose.item" } } },
    ])) {
      const c = b.key as unknown as Combination;
      if (!isPermitted(ctx.registry, c.org, c.schedule, c.item)) violating.push(c);
    }
    if (!violating.length) return [];

    // 2. Evidence per operator and day, for the violating combinations only.
    const out: AlertCandidate[] = [];
    const anyViolation: estypes.QueryDslQueryContainer = { bool: { should: violating.map(combinationQuery), minimum_should_match: 1 } };
    for await (const b of scopedBuckets(
      ctx.scope,
      "events",
      { bool: { filter: [range, anyViolation] } },
      [
        { org: { terms: { field: "organization.id" } } },
        { user: { terms: { field: "user.id", missing_bucket: true } } },
        { day: { terms: { field: "jukinet.time.date" } } },
      ],
      {
        schedules: { terms: { field: "jukinet.purpose.schedule", size: 20 }, aggs: { items: { terms: { field: "jukinet.purpose.item", size: 50 } } } },
        actions: { terms: { field: "event.action", size: 15 } },
        subjects: { cardinality: { field: "jukinet.subject.ref" } },
        ...SPAN_AND_SAMPLES,
      },
    )) {
      const { org, user, day } = b.key as Record<string, string | null>;
      if (b.doc_count < ctx.params(org!).minEvents) continue;
      const purposes = (b.schedules as Terms<{ items: Terms }>).buckets.flatMap((s) =>
        s.items.buckets.map((i) => ({ schedule: s.key, item: i.key, events: i.doc_count })),
      );
      const actions = termCounts(b.actions);
      const window = dayWindow(day!);
      const registered = Object.fromEntries(
        [...(ctx.registry.permitted.get(org!) ?? new Map<string, Set<string>>())].map(([s, items]) => [s, [...items].sort()]),
      );
      const label = purposes
        .map((p) => (p.schedule === "ordinance" ? `条例 ${p.item}` : `${p.schedule === "jukiho" ? "住基法" : `別表第${p.schedule}`} ${p.item}`))
        .join("、");
      const who = user ?? "（操作者不明）";
      out.push({
        entity: user ? { type: "operator", id: user } : { type: "organization", id: org! },
        organization: org!,
        window,
        summary: `${who} が認められていない事務（${label}）で ${b.doc_count} 件の操作（${day}）`,
        evidence: {
          counts: { events: b.doc_count, subjects: b.subjects.value ?? 0, ...actions },
          purposes,
          registered_purposes: registered,
          ...spanOf(b),
          ...reproduce(b.samples, [
            timeRange(window.start, window.end),
            user ? { term: { "user.id": user } } : { bool: { must_not: [{ exists: { field: "user.id" } }] } },
            { bool: { should: violating.filter((c) => c.org === org).map(combinationQuery), minimum_should_match: 1 } },
          ]),
        },
      });
    }
    return out;
  },
});

import type { estypes } from "@elastic/elasticsearch";
import { scopedBuckets } from "../../lib/es/scoped";
import type { Terms } from "../aggs";
import { dayWindow } from "../days";
import { reproduce, SPAN_AND_SAMPLES, spanOf } from "../evidence";
import { assignedPurposes, inPurposeSet, isPermitted } from "../registry";
import { defineRule, timeRange, type AlertCandidate, termCounts } from "../rule";

interface Use {
  org: string;
  user: string;
  schedule: string;
  item: string;
}

const useQuery = (u: Pick<Use, "schedule" | "item">): estypes.QueryDslQueryContainer => ({
  bool: { filter: [{ term: { "jukinet.purpose.schedule": u.schedule } }, { term: { "jukinet.purpose.item": u.item } }] },
});

const purposeText = (schedule: string, item: string) =>
  schedule === "ordinance" ? `条例 ${item}` : `${schedule === "jukiho" ? "住基法" : `別表第${schedule}`} ${item}`;

/**
 * 権限外業務での利用: a purpose the organisation may use (so not `purpose-not-permitted`) that the operator — by
 * its own §5 `purposes`, else its department's — is not assigned. Operators without an assignment may use
 * everything the organisation may, and are never looked at.
 */
export default defineRule({
  id: "purpose-outside-authority",
  name: { ja: "権限外業務での利用", en: "Purpose outside the operator's authority" },
  description: {
    ja: "団体としては利用できる事務だが、操作者（又はその所属部署）に割り当てられていない事務を利用事由として本人確認情報を検索・閲覧・提供した。",
    en: "Identity records were searched, viewed or provided for a purpose the organisation may use but the operator (or the operator's department) is not assigned.",
  },
  severity: "high",
  riskScore: 70,
  entityType: "operator",
  control: "権限外業務での利用の確認（ログ点検の3項目の一つ）; データへの接続制限 (seed 002); 操作者ごと・部署ごとの利用事務の割当て (INTERFACE §5 purposes)",
  falsePositives: [
    "An operator moved to another division whose registry entry still carries the old division or assignment: update the registry (department or purposes) and the alert stops.",
    "Covering for an absent colleague of another division: record it as an exception or assign the purpose for the period.",
  ],
  bucket: "day",
  params: { minEvents: 1 },
  async run(ctx) {
    const { registry } = ctx;
    const restricted = [...registry.operators.values()].filter((o) => assignedPurposes(registry, o.id)).map((o) => o.id);
    if (!restricted.length) return [];
    const range = timeRange(ctx.window.from, ctx.window.to);
    const base: estypes.QueryDslQueryContainer[] = [range, { exists: { field: "jukinet.purpose.schedule" } }, { terms: { "user.id": restricted } }];

    // 1. Distinct (organisation, operator, schedule, item) of the assigned operators, checked against both lists.
    const outside = new Map<string, Use[]>();
    for await (const b of scopedBuckets(ctx.scope, "events", { bool: { filter: base } }, [
      { org: { terms: { field: "organization.id" } } },
      { user: { terms: { field: "user.id" } } },
      { schedule: { terms: { field: "jukinet.purpose.schedule" } } },
      { item: { terms: { field: "jukinet.purpose.item" } } },
    ])) {
      const u = b.key as unknown as Use;
      const op = registry.operators.get(u.user);
      // Another organisation's operator id, or a purpose the organisation may not use: other rules' business.
      if (!op || op.organizationId !== u.org || !isPermitted(registry, u.org, u.schedule, u.item)) continue;
      const assigned = assignedPurposes(registry, u.user);
      if (assigned && !inPurposeSet(assigned.purposes, u.schedule, u.item)) (outside.get(u.user) ?? outside.set(u.user, []).get(u.user)!).push(u);
    }
    if (!outside.size) return [];

    // 2. Evidence per operator and day, for those uses only.
    const out: AlertCandidate[] = [];
    for (const [user, uses] of outside) {
      const org = uses[0].org;
      const these: estypes.QueryDslQueryContainer = { bool: { should: uses.map(useQuery), minimum_should_match: 1 } };
      const filter = [range, { term: { "organization.id": org } }, { term: { "user.id": user } }, these];
      for await (const b of scopedBuckets(ctx.scope, "events", { bool: { filter } }, [{ day: { terms: { field: "jukinet.time.date" } } }], {
        schedules: { terms: { field: "jukinet.purpose.schedule", size: 20 }, aggs: { items: { terms: { field: "jukinet.purpose.item", size: 50 } } } },
        actions: { terms: { field: "event.action", size: 15 } },
        subjects: { cardinality: { field: "jukinet.subject.ref" } },
        ...SPAN_AND_SAMPLES,
      })) {
        const day = b.key.day as string;
        if (b.doc_count < ctx.params(org).minEvents) continue;
        const purposes = (b.schedules as Terms<{ items: Terms }>).buckets.flatMap((s) =>
          s.items.buckets.map((i) => ({ schedule: s.key, item: i.key, events: i.doc_count })),
        );
        const assigned = assignedPurposes(registry, user)!;
        const op = registry.operators.get(user)!;
        const window = dayWindow(day);
        out.push({
          entity: { type: "operator", id: user },
          organization: org,
          window,
          summary: `${user}${op.department ? `（${op.department}）` : ""} が割り当てられていない事務（${purposes.map((p) => purposeText(p.schedule, p.item)).join("、")}）で ${b.doc_count} 件の操作（${day}）`,
          evidence: {
            counts: { events: b.doc_count, subjects: b.subjects.value ?? 0, ...termCounts(b.actions) },
            purposes,
            department: op.department,
            assigned_from: assigned.from,
            assigned_purposes: Object.fromEntries(assigned.purposes.map((p) => [p.schedule, p.items])),
            registered_purposes: Object.fromEntries(
              [...(registry.permitted.get(org) ?? new Map<string, Set<string>>())].map(([s, items]) => [s, [...items].sort()]),
            ),
            ...spanOf(b),
            ...reproduce(b.samples, [timeRange(window.start, window.end), { term: { "organization.id": org } }, { term: { "user.id": user } }, these]),
          },
        });
      }
    }
    return out;
  },
});

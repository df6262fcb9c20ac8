import type { estypes } from "@elastic/elasticsearch";
import { scopedSearch, streamIndex } from "../../lib/es/scoped";
import { defineRule, sampleHits, samplesOf, timeRange, type AlertCandidate, termCounts } from "../rule";
import { dayWindow, densestSpan, lookupQuery, windowDays } from "./enumeration-scan";

type Query = estypes.QueryDslQueryContainer;

interface Finding {
  org: string;
  subject: string;
  day: string;
  repeat?: { operator: string; inSpan: number; onDay: number; start: number; end: number };
  many?: { operators: number; organizations: number; lookups: number; byOrg: Record<string, number>; byOperator: Record<string, number> };
}

export default defineRule({
  id: "subject-repeat-access",
  name: { ja: "同一住民の反復照会", en: "Repeated access to one resident" },
  description: {
    ja: "同じ住民の本人確認情報を、一人の操作者が短時間（既定60分）に繰り返し照会した、または一日のうちに多数の操作者・団体が照会した。",
    en: "One resident's record was looked up repeatedly by one operator within a short span (60 minutes by default), or by many distinct operators or organisations within one day.",
  },
  severity: "medium",
  riskScore: 55,
  entityType: "subject",
  control: "不審な業務パターンの常時監視・操作者の操作履歴管理（目的外の閲覧・のぞき見の防止）; 本人確認情報提供状況の開示 (seed 000 内部の不正利用の防止, seed 002)",
  falsePositives: [
    "A counter clerk looking a resident up twice in a day (certificate in the morning, follow-up in the afternoon) stays far below the repeat threshold of look-ups in one 60-minute span.",
    "System accounts' provisions and notices are not look-ups: only search/view by person accounts count.",
    "A resident with a genuine case handled by several offices on one day (a move between municipalities, a certificate issued elsewhere, a prefectural check) touches two or three organisations; in a prefecture's ordinary traffic three organisations or four operators on one resident happen by chance a few times a month, so the defaults are five operators or four organisations.",
  ],
  bucket: "day",
  params: { spanMinutes: 60, minLookups: 10, minOperators: 5, minOrganizations: 4 },
  async run(ctx) {
    // Aggregation thresholds low enough for every organisation's parameters; each finding is then judged with its own.
    const least = (k: "minLookups" | "minOperators" | "minOrganizations") => Math.min(...[...ctx.registry.organizations.keys(), undefined].map((o) => ctx.params(o)[k]));
    const minLookups = least("minLookups");
    const minMany = Math.min(least("minOperators"), least("minOrganizations"));
    const lookups = lookupQuery(ctx.registry, true);
    const findings = new Map<string, Finding>();
    const finding = (org: string, subject: string, day: string) => {
      const k = [org, subject, day].join("\u0000");
      return findings.get(k) ?? findings.set(k, { org, subject, day }).get(k)!;
    };

    // One request per JST day: the subjects with many look-ups by one operator (then their densest span),
    // and the subjects with the most distinct operators. A few at a time, more while the last one returned still qualifies.
    for (const day of windowDays(ctx.window)) {
      const w = dayWindow(day);
      for (let size = 20; ; size *= 5) {
        const res = await scopedSearch(ctx.scope, "events", {
          size: 0, query: { bool: { filter: [timeRange(w.start, w.end), lookups] } },
          aggs: {
            repeated: {
              terms: { field: "jukinet.subject.ref", size, min_doc_count: minLookups, collect_mode: "breadth_first" },
              aggs: {
                operators: {
                  terms: { field: "user.id", size: 10, min_doc_count: minLookups },
                  aggs: { org: { terms: { field: "organization.id", size: 1 } }, bins: { date_histogram: { field: "@timestamp", fixed_interval: "5m", min_doc_count: 1 } } },
                },
              },
            },
            shared: {
              terms: { field: "jukinet.subject.ref", size, shard_size: size * 20, min_doc_count: minMany, order: { operators: "desc" }, collect_mode: "breadth_first" },
              aggs: {
                operators: { cardinality: { field: "user.id", precision_threshold: 100 } },
                organizations: { cardinality: { field: "organization.id", precision_threshold: 100 } },
                by_org: { terms: { field: "organization.id", size: 20 }, aggs: { first: { min: { field: "@timestamp" } } } },
                by_operator: { terms: { field: "user.id", size: 20 } },
              },
            },
          },
        });
        const a = res.aggregations as Record<string, any>;
        const repeated = a.repeated.buckets as any[];
        const shared = a.shared.buckets as any[];
        // 1. One operator, one subject, many look-ups within one span.
        for (const s of repeated) {
          for (const u of s.operators.buckets as any[]) {
            const org: string = u.org.buckets[0].key;
            const p = ctx.params(org);
            const span = densestSpan((u.bins.buckets as any[]).map((x) => ({ start: Number(x.key), value: x.doc_count })), p.spanMinutes * 60_000);
            if (!span || span.value < p.minLookups) continue;
            const f = finding(org, s.key, day);
            if (!f.repeat || span.value > f.repeat.inSpan) f.repeat = { operator: u.key, inSpan: span.value, onDay: u.doc_count, start: span.start, end: span.end };
          }
        }
        // 2. Many operators or organisations on one day; the organisation that looked the resident up first owns the alert.
        for (const s of shared) {
          const org: string = [...s.by_org.buckets].sort((x: any, y: any) => x.first.value - y.first.value)[0].key;
          const p = ctx.params(org);
          if (s.operators.value < p.minOperators && s.organizations.value < p.minOrganizations) continue;
          finding(org, s.key, day).many = {
            operators: s.operators.value, organizations: s.organizations.value, lookups: s.doc_count,
            byOrg: termCounts(s.by_org), byOperator: termCounts(s.by_operator),
          };
        }
        const more = repeated.length === size || (shared.length === size && shared[size - 1].operators.value >= minMany);
        if (!more || size >= 10_000) break;
      }
    }

    const out: AlertCandidate[] = [];
    for (const f of findings.values()) {
      const p = ctx.params(f.org);
      const window = dayWindow(f.day);
      const r = f.repeat;
      const m = f.many;
      const filter: Query[] = [timeRange(window.start, window.end), lookups, { term: { "jukinet.subject.ref": f.subject } }, ...(r && !m ? [{ term: { "user.id": r.operator } }] : [])];
      // Samples come from the few findings only (top_hits per aggregation bucket would cost more than the rest).
      const detail = await scopedSearch(ctx.scope, "events", { size: 0, query: { bool: { filter } }, aggs: { samples: sampleHits() } });
      const parts = [
        r ? `${r.operator} が${p.spanMinutes}分間に ${r.inSpan} 回照会` : "",
        m ? `${m.organizations} 団体・${m.operators} 人の操作者が照会` : "",
      ].filter(Boolean);
      out.push({
        entity: { type: "subject", id: f.subject },
        organization: f.org,
        window,
        severity: (r && m) || (r && r.inSpan >= 2 * p.minLookups) || (m && m.organizations >= p.minOrganizations + 2) ? "high" : undefined,
        summary: `同一住民（${f.subject.slice(0, 8)}…）を${parts.join("、")}（${f.day}）`,
        evidence: {
          counts: {
            ...(r ? { lookups_in_span: r.inSpan, lookups_by_operator_on_day: r.onDay } : {}),
            ...(m ? { distinct_operators: m.operators, distinct_organizations: m.organizations, lookups_on_day: m.lookups } : {}),
          },
          baseline: { threshold_lookups_in_span: p.minLookups, span_minutes: p.spanMinutes, threshold_operators: p.minOperators, threshold_organizations: p.minOrganizations },
          ...(r ? { repeat: { operator: r.operator, span: { start: new Date(r.start).toISOString(), end: new Date(r.end).toISOString() } } } : {}),
          ...(m ? { by_organization: m.byOrg, by_operator: m.byOperator } : {}),
          sample_events: samplesOf((detail.aggregations as any).samples),
          query: { index: streamIndex("events"), query: { bool: { filter } } },
        },
      });
    }
    return out;
  },
});

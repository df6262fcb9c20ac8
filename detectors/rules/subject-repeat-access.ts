import type { estypes } from "@elastic/elasticsearch";
import type { Scope } from "../../lib/auth/scope";
import { scopedSearch, totalHits } from "../../lib/es/scoped";
import { aggsOf, type Cardinality, type Histogram, type Metric, type SampleHits, type Terms } from "../aggs";
import { thresholdsFor, type Population } from "../chance";
import { dayWindow, windowDays } from "../days";
import { reproduce, sampleHits } from "../evidence";
import { densestSpan, lookupQuery } from "../lookups";
import { defineRule, timeRange, type AlertCandidate, termCounts } from "../rule";
import { linkedSubjectGroups } from "../../domain/events/subject-links";

type Query = estypes.QueryDslQueryContainer;

/** Distinct residents counted exactly up to this many (HyperLogLog's precision threshold); the pairs come from a sample below it. */
const EXACT_SUBJECTS = 30_000;

/**
 * The distinct pairs of the day's looked-up residents with operators and organisations: sums of
 * per-operator and per-organisation distinct residents. Those are exact only below the cardinality
 * precision threshold, so on a busy day they come from a random sample of the residents: those whose
 * pseudonymous reference (a keyed hash) starts with "0" (1/16), "00" (1/256) …, the shortest prefix
 * that leaves fewer than EXACT_SUBJECTS.
 */
async function lookupPopulation(scope: Scope, filter: Query[], operators: number): Promise<Population> {
  const ref = "jukinet.subject.ref";
  const day = await scopedSearch(scope, "events", {
    size: 0,
    query: { bool: { filter } },
    aggs: { subjects: { cardinality: { field: ref, precision_threshold: 40_000 } } },
  });
  const subjects = aggsOf<{ subjects: Cardinality }>(day).subjects.value;
  let prefix = "";
  while (subjects / 16 ** prefix.length > EXACT_SUBJECTS && prefix.length < 4) prefix += "0";
  const res = await scopedSearch(scope, "events", {
    size: 0,
    query: { bool: { filter: [...filter, ...(prefix ? [{ prefix: { [ref]: prefix } }] : [])] } },
    aggs: {
      subjects: { cardinality: { field: ref, precision_threshold: 40_000 } },
      by_operator: {
        terms: { field: "user.id", size: Math.min(65_000, operators + 1000) },
        aggs: { subjects: { cardinality: { field: ref, precision_threshold: 3000 } } },
      },
      by_org: { terms: { field: "organization.id", size: 2000 }, aggs: { subjects: { cardinality: { field: ref, precision_threshold: 40_000 } } } },
    },
  });
  type PerLooker = Terms<{ subjects: Cardinality }>;
  const a = aggsOf<{ subjects: Cardinality; by_operator: PerLooker; by_org: PerLooker }>(res);
  const pairs = (agg: PerLooker) => agg.buckets.reduce((n, b) => n + b.subjects.value, 0);
  return { subjects, prefix, sampleSubjects: a.subjects.value, operatorPairs: pairs(a.by_operator), organizationPairs: pairs(a.by_org) };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

interface Finding {
  org: string;
  subject: string;
  /** A person whose code was changed: every keyed reference of theirs (subject is the newest). */
  refs?: string[];
  day: string;
  repeat?: { operator: string; inSpan: number; onDay: number; start: number; end: number };
  many?: {
    operators: number;
    organizations: number;
    lookups: number;
    byOrg: Record<string, number>;
    byOperator: Record<string, number>;
    population: { subjects: number; operatorRate: number; organizationRate: number; operators: number; organizations: number };
  };
}

export default defineRule({
  id: "subject-repeat-access",
  name: { ja: "同一住民の反復照会", en: "Repeated access to one resident" },
  description: {
    ja: "同じ住民の本人確認情報を、一人の操作者が短時間（既定60分）に繰り返し照会した、または一日のうちに偶然では説明できない数の操作者・団体が照会した（閾値はその日に照会された住民数と一住民あたりの照会者数から算出）。",
    en: "One resident's record was looked up repeatedly by one operator within a short span (60 minutes by default), or by more distinct operators or organisations within one day than chance explains (the threshold follows from how many residents were looked up that day and how many lookers each had).",
  },
  severity: "medium",
  riskScore: 55,
  entityType: "subject",
  control:
    "不審な業務パターンの常時監視・操作者の操作履歴管理（目的外の閲覧・のぞき見の防止）; 本人確認情報提供状況の開示 (seed 000 内部の不正利用の防止, seed 002)",
  falsePositives: [
    "A counter clerk looking a resident up twice in a day (certificate in the morning, follow-up in the afternoon) stays far below the repeat threshold of look-ups in one 60-minute span.",
    "System accounts' provisions and notices are not look-ups: only search/view by person accounts count.",
    "A resident with a genuine case handled by several offices on one day (a move between municipalities, a certificate issued elsewhere, a prefectural check) touches two or three organisations; the floors are five operators or four organisations.",
    "The more residents are looked up, the more reach several lookers by coincidence: each day the thresholds rise above the floors to the smallest count that, given the day's residents looked up (D) and their mean further lookers (μ), no more than `chancePerDay` residents reach by chance (bound D·μ^(k−1), detectors/chance.ts). The figures are in the alert's baseline.",
  ],
  bucket: "day",
  params: { spanMinutes: 60, minLookups: 10, minOperators: 5, minOrganizations: 4, chancePerDay: 0.01 },
  async run(ctx) {
    // Aggregation thresholds low enough for every organisation's parameters; each finding is then judged with its own.
    const least = (k: "minLookups" | "minOperators" | "minOrganizations") =>
      Math.min(...[...ctx.registry.organizations.keys(), undefined].map((o) => ctx.params(o)[k]));
    const [minLookups, minOperators, minOrganizations] = [least("minLookups"), least("minOperators"), least("minOrganizations")];
    const lookups = lookupQuery(ctx.registry, true);
    const findings = new Map<string, Finding>();
    const finding = (org: string, subject: string, day: string, refs?: string[]) => {
      const k = [org, subject, day].join("\u0000");
      return findings.get(k) ?? findings.set(k, { org, subject, day, ...(refs ? { refs } : {}) }).get(k)!;
    };
    // One person across changes of code (code_change): their references are judged together, apart from the rest.
    const groups = await linkedSubjectGroups(ctx.scope, new Date(ctx.window.to));
    const linked = groups.flatMap((g) => g.refs);
    const groupOf = new Map(groups.flatMap((g) => g.refs.map((r) => [r, g] as const)));
    const notLinked: Query[] = linked.length ? [{ bool: { must_not: [{ terms: { "jukinet.subject.ref": linked } }] } }] : [];

    for (const day of windowDays(ctx.window)) {
      const w = dayWindow(day);
      const dayFilter: Query[] = [timeRange(w.start, w.end), lookups];
      // Candidates: enough look-ups to reach the floors (a resident with k distinct lookers has at least k look-ups).
      const minMany = Math.min(minOperators, minOrganizations);
      const many: { subject: string; operators: number; organizations: number; refs?: string[] }[] = [];

      // Stage 1, counts only: the residents with enough look-ups that day to
      // reach either test (k distinct lookers are at least k look-ups; so are k look-ups by one operator).
      // Sub-aggregations here would be collected for every resident of the day.
      const floor = Math.min(minLookups, minMany);
      let busy: Terms["buckets"] = [];
      for (let size = 5000; ; size *= 4) {
        const res = await scopedSearch(ctx.scope, "events", {
          size: 0,
          query: { bool: { filter: [...dayFilter, ...notLinked] } },
          aggs: { busy: { terms: { field: "jukinet.subject.ref", size, min_doc_count: floor } } },
        });
        busy = aggsOf<{ busy: Terms }>(res).busy.buckets;
        if (busy.length < size || size >= 80_000) break;
      }
      // Stage 2, for those residents only: their distinct lookers; and for the few with enough look-ups for
      // the repeat test, each operator's look-ups in 5-minute bins (the costlier part, so only for them).
      const chunks = <T>(xs: T[]) => Array.from({ length: Math.ceil(xs.length / 5000) }, (_, i) => xs.slice(i * 5000, i * 5000 + 5000));
      const perResident = async <B>(include: string[], aggs: Record<string, estypes.AggregationsAggregationContainer>) => {
        const res = await scopedSearch(ctx.scope, "events", {
          size: 0,
          query: { bool: { filter: dayFilter } },
          aggs: { residents: { terms: { field: "jukinet.subject.ref", include, size: include.length }, aggs } },
        });
        return aggsOf<{ residents: Terms<B> }>(res).residents.buckets;
      };
      for (const include of chunks(busy.filter((b) => b.doc_count >= minMany).map((b) => b.key))) {
        const residents = await perResident<{ operators: Cardinality; organizations: Cardinality }>(include, {
          operators: { cardinality: { field: "user.id", precision_threshold: 100 } },
          organizations: { cardinality: { field: "organization.id", precision_threshold: 100 } },
        });
        // Candidates with many operators or organisations on one day (judged below, once their owner is known).
        for (const s of residents) {
          if (s.operators.value >= minOperators || s.organizations.value >= minOrganizations)
            many.push({ subject: s.key, operators: s.operators.value, organizations: s.organizations.value });
        }
      }
      for (const include of chunks(busy.filter((b) => b.doc_count >= minLookups).map((b) => b.key))) {
        const residents = await perResident<{ by_operator: Terms<{ org: Terms; bins: Histogram }> }>(include, {
          by_operator: {
            terms: { field: "user.id", size: 10, min_doc_count: minLookups },
            aggs: {
              org: { terms: { field: "organization.id", size: 1 } },
              bins: { date_histogram: { field: "@timestamp", fixed_interval: "5m", min_doc_count: 1 } },
            },
          },
        });
        // One operator, one subject, many look-ups within one span.
        for (const s of residents) {
          for (const u of s.by_operator.buckets) {
            const org = u.org.buckets[0].key;
            const p = ctx.params(org);
            const span = densestSpan(
              u.bins.buckets.map((x) => ({ start: Number(x.key), value: x.doc_count })),
              p.spanMinutes * 60_000,
            );
            if (!span || span.value < p.minLookups) continue;
            const f = finding(org, s.key, day);
            if (!f.repeat || span.value > f.repeat.inSpan)
              f.repeat = { operator: u.key, inSpan: span.value, onDay: u.doc_count, start: span.start, end: span.end };
          }
        }
      }
      // The people with a changed code: their references' look-ups merged, then the same two tests.
      for (const include of chunks(linked)) {
        const residents = await perResident<{ by_operator: Terms<{ org: Terms; bins: Histogram }>; orgs: Terms }>(include, {
          by_operator: {
            terms: { field: "user.id", size: 100 },
            aggs: {
              org: { terms: { field: "organization.id", size: 1 } },
              bins: { date_histogram: { field: "@timestamp", fixed_interval: "5m", min_doc_count: 1 } },
            },
          },
          orgs: { terms: { field: "organization.id", size: 100 } },
        });
        const merged = new Map<string, { operators: Map<string, { org: string; bins: Map<number, number>; n: number }>; orgs: Set<string>; total: number }>();
        for (const s of residents) {
          const g = groupOf.get(s.key)!;
          const m = merged.get(g.current) ?? merged.set(g.current, { operators: new Map(), orgs: new Set(), total: 0 }).get(g.current)!;
          m.total += s.doc_count;
          for (const o of s.orgs.buckets) m.orgs.add(o.key);
          for (const u of s.by_operator.buckets) {
            const op = m.operators.get(u.key) ?? m.operators.set(u.key, { org: u.org.buckets[0].key, bins: new Map(), n: 0 }).get(u.key)!;
            op.n += u.doc_count;
            for (const x of u.bins.buckets) op.bins.set(Number(x.key), (op.bins.get(Number(x.key)) ?? 0) + x.doc_count);
          }
        }
        for (const [current, m] of merged) {
          const refs = groupOf.get(current)!.refs;
          if (m.total < floor) continue;
          for (const [operator, u] of m.operators) {
            const p = ctx.params(u.org);
            if (u.n < p.minLookups) continue;
            const bins = [...u.bins].sort(([a], [b]) => a - b).map(([start, value]) => ({ start, value }));
            const span = densestSpan(bins, p.spanMinutes * 60_000);
            if (!span || span.value < p.minLookups) continue;
            const f = finding(u.org, current, day, refs);
            if (!f.repeat || span.value > f.repeat.inSpan) f.repeat = { operator, inSpan: span.value, onDay: u.n, start: span.start, end: span.end };
          }
          if (m.operators.size >= minOperators || m.orgs.size >= minOrganizations)
            many.push({ subject: current, operators: m.operators.size, organizations: m.orgs.size, refs });
        }
      }
      if (!many.length) continue;
      // The day's population: how many residents were looked up, and how many further operators and
      // organisations each had on average. The thresholds of "many" rise with both (detectors/chance.ts).
      const population = await lookupPopulation(ctx.scope, dayFilter, ctx.registry.operators.size);
      // The organisation that looked the resident up first owns the alert, and its thresholds decide.
      for (const c of many) {
        const res = await scopedSearch(ctx.scope, "events", {
          size: 0,
          query: { bool: { filter: [...dayFilter, { terms: { "jukinet.subject.ref": c.refs ?? [c.subject] } }] } },
          aggs: {
            by_org: { terms: { field: "organization.id", size: 20 }, aggs: { first: { min: { field: "@timestamp" } } } },
            by_operator: { terms: { field: "user.id", size: 20 } },
          },
        });
        const a = aggsOf<{ by_org: Terms<{ first: Metric }>; by_operator: Terms }>(res);
        const org = [...a.by_org.buckets].sort((x, y) => (x.first.value as number) - (y.first.value as number))[0].key;
        const t = thresholdsFor(population, c, ctx.params(org));
        if (c.operators < t.operators && c.organizations < t.organizations) continue;
        finding(org, c.subject, day, c.refs).many = {
          operators: c.operators,
          organizations: c.organizations,
          lookups: totalHits(res),
          byOrg: termCounts(a.by_org),
          byOperator: termCounts(a.by_operator),
          population: { subjects: population.subjects, ...t },
        };
      }
    }

    const out: AlertCandidate[] = [];
    for (const f of findings.values()) {
      const p = ctx.params(f.org);
      const window = dayWindow(f.day);
      const r = f.repeat;
      const m = f.many;
      const filter: Query[] = [
        timeRange(window.start, window.end),
        lookups,
        { terms: { "jukinet.subject.ref": f.refs ?? [f.subject] } },
        ...(r && !m ? [{ term: { "user.id": r.operator } }] : []),
      ];
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
        severity: (r && m) || (r && r.inSpan >= 2 * p.minLookups) || (m && m.organizations >= m.population.organizations + 2) ? "high" : undefined,
        summary: `同一住民（${f.subject.slice(0, 8)}…）を${parts.join("、")}（${f.day}）`,
        evidence: {
          counts: {
            ...(r ? { lookups_in_span: r.inSpan, lookups_by_operator_on_day: r.onDay } : {}),
            ...(m ? { distinct_operators: m.operators, distinct_organizations: m.organizations, lookups_on_day: m.lookups } : {}),
          },
          baseline: {
            threshold_lookups_in_span: p.minLookups,
            span_minutes: p.spanMinutes,
            threshold_operators: m?.population.operators ?? p.minOperators,
            threshold_organizations: m?.population.organizations ?? p.minOrganizations,
            ...(m
              ? {
                  residents_looked_up_on_day: m.population.subjects,
                  further_operators_per_resident: round(m.population.operatorRate),
                  further_organizations_per_resident: round(m.population.organizationRate),
                  chance_alerts_per_day: p.chancePerDay,
                }
              : {}),
          },
          ...(r ? { repeat: { operator: r.operator, span: { start: new Date(r.start).toISOString(), end: new Date(r.end).toISOString() } } } : {}),
          ...(m ? { by_organization: m.byOrg, by_operator: m.byOperator } : {}),
          // The person's code was changed on request: look-ups under every one of their codes count.
          ...(f.refs ? { linked_refs: f.refs.length } : {}),
          ...reproduce(aggsOf<{ samples: SampleHits }>(detail).samples, filter),
        },
      });
    }
    return out;
  },
});

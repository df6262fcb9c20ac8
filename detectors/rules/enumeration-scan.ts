import { jstTimeLabel } from "../../lib/calendar";
import { scopedSearch } from "../../lib/es/scoped";
import { aggsOf, type Cardinality, type Histogram, type Terms } from "../aggs";
import { dayWindow, windowDays } from "../days";
import { reproduce } from "../evidence";
import { lookupQuery } from "../lookups";
import { defineRule, timeRange, type AlertCandidate, termCounts } from "../rule";
import { burstThreshold, findScan, peakPair, ROUGH_SUBJECTS, SCAN_DEFAULTS, typicalLoad, usualPeak } from "../scan";

const ENTITIES = [
  { type: "operator", field: "user.id", label: "操作者" },
  { type: "terminal", field: "host.id", label: "端末" },
] as const;

/** Per entity type (operator, terminal), what a request aggregated under that type's name. */
type PerEntity<B> = Partial<Record<(typeof ENTITIES)[number]["type"], Terms<B>>>;

export default defineRule({
  id: "enumeration-scan",
  name: { ja: "本人確認情報の網羅的照会（スキャン）", en: "Enumeration scan" },
  description: {
    ja: "一人の操作者または一台の端末が、短時間（既定30分）に多数の異なる住民を照会した、または住民票コードを連番で順に照会した（同じコード帯に多数の住民）。",
    en: "One operator or one terminal looked up many distinct residents in a short span (30 minutes by default), or walked through near-sequential resident codes (many distinct subjects inside one or two code blocks).",
  },
  severity: "high",
  riskScore: 73,
  entityType: "operator",
  control:
    "照会条件の限定と不審な業務パターンの常時監視; 市区町村での操作履歴の確認・指定情報処理機関での業務アクセスログの常時監視 (seed 000 内部の不正利用の防止, seed 002)",
  falsePositives: [
    "A busy counter handles at most a few dozen residents an hour: the threshold is distinct subjects in any 30-minute span, far above a clerk's pace.",
    "An operator or a terminal whose ordinary load is high (a terminal shared by several clerks, a prefectural desk working through its requests in bursts) is judged against itself: the span must also hold `typicalFactor` times its typical 30-minute look-ups that day (the median of its other busy half-hours) and `usualFactor` times its usual daily peak over the previous `baselineDays` (once it has `minHistoryDays` active days). A code walk is judged on the code blocks alone.",
    "Legitimate bulk work (e.g. checking a list of residents for a survey) should use batch provisions; if done at a terminal by arrangement, add a suppression for the operator with the reason.",
    "Random resident codes almost never share a block (first 8 of 11 digits), so the code-walk test does not fire on ordinary traffic.",
  ],
  bucket: "day",
  params: { ...SCAN_DEFAULTS },
  async run(ctx) {
    const base = ctx.params();
    // Aggregation thresholds low enough for every organisation's parameters; each candidate is then judged with its own.
    const least = (k: "minSubjects" | "minWalkSubjects") => Math.min(...[...ctx.registry.organizations.keys(), undefined].map((o) => ctx.params(o)[k]));
    const [minSubjects, minWalkSubjects] = [least("minSubjects"), least("minWalkSubjects")];
    const out: AlertCandidate[] = [];
    for (const day of windowDays(ctx.window)) {
      const w = dayWindow(day);
      // Stage 1, one request per day, counts only (distinct counts over every half-hour of every entity
      // would cost more than the rest of the rule):
      // - bursts: per operator and per terminal, look-ups per window-long bin; a candidate has two
      //   neighbouring bins (they bound any span of the window's length) holding at least the subjects floor
      //   and `typicalFactor` times its typical half-hour — a scan of N subjects is at least N look-ups;
      // - walks: the code blocks with at least half the walk threshold of distinct subjects that day (a walk
      //   of N subjects within two blocks fills one with N/2), and who looked them up.
      const candidates = new Map<string, { entity: (typeof ENTITIES)[number]; org: string; id: string; typical: number }>();
      const halfWalk = Math.ceil(minWalkSubjects / 2);
      const floor = Math.min(minSubjects, halfWalk);
      const typicals = new Map<string, number>();
      const bursts = new Map<string, { entity: (typeof ENTITIES)[number]; org: string; id: string; typical: number }>();
      const walkBlocks = new Set<string>();
      // One request covers every registered operator and terminal (plus unregistered ones seen); grow only if that was not enough.
      for (let size = Math.min(10_000, Math.max(ctx.registry.operators.size, ctx.registry.terminals.size) + 100); ; size *= 4) {
        const res = await scopedSearch(ctx.scope, "events", {
          size: 0,
          query: { bool: { filter: [timeRange(w.start, w.end), lookupQuery(ctx.registry, true)] } },
          aggs: {
            ...Object.fromEntries(
              ENTITIES.map((e) => [
                e.type,
                {
                  terms: { field: e.field, size, min_doc_count: minSubjects, collect_mode: "breadth_first" },
                  aggs: {
                    orgs: { terms: { field: "organization.id", size: 5 } },
                    bins: { date_histogram: { field: "@timestamp", fixed_interval: `${base.windowMinutes}m`, min_doc_count: 1 } },
                  },
                },
              ]),
            ),
            // Bare: sub-aggregations here would be collected for every block of the day (almost every look-up has its own).
            blocks: { terms: { field: "jukinet.subject.block_ref", size: 10_000, min_doc_count: floor } },
          },
          // Every half-hour of every entity comes back: only the figures used.
          filter_path: [
            "aggregations.*.buckets.key",
            "aggregations.*.buckets.doc_count",
            "aggregations.*.buckets.orgs.buckets.key",
            "aggregations.*.buckets.bins.buckets.doc_count",
          ],
        });
        // (filter_path leaves out whatever is empty.)
        const a = aggsOf<PerEntity<{ orgs?: Terms; bins?: Histogram }> & { blocks?: Terms }>(res);
        let more = false;
        for (const entity of ENTITIES) {
          const buckets = a[entity.type]?.buckets ?? [];
          for (const b of buckets) {
            const bins = (b.bins?.buckets ?? []).map((x) => x.doc_count);
            const typical = typicalLoad(bins);
            typicals.set(`${entity.type}\u0000${b.key}`, typical);
            for (const o of b.orgs?.buckets ?? []) {
              const threshold = burstThreshold(ctx.params(o.key), typical);
              if (peakPair(bins) >= threshold) bursts.set(`${entity.type}\u0000${o.key}\u0000${b.key}`, { entity, org: o.key, id: b.key, typical });
            }
          }
          more ||= buckets.length === size;
        }
        for (const b of a.blocks?.buckets ?? []) walkBlocks.add(b.key);
        if (!more || size >= 10_000) break;
      }
      // Stage 1b, for the bursts only: distinct subjects per bin; a burst of look-ups of few residents is not a scan.
      if (bursts.size) {
        const ids = (type: string) => [...new Set([...bursts.values()].filter((c) => c.entity.type === type).map((c) => c.id))];
        const res = await scopedSearch(ctx.scope, "events", {
          size: 0,
          query: { bool: { filter: [timeRange(w.start, w.end), lookupQuery(ctx.registry, true)] } },
          aggs: Object.fromEntries(
            ENTITIES.filter((e) => ids(e.type).length).map((e) => [
              e.type,
              {
                terms: { field: e.field, include: ids(e.type), size: ids(e.type).length },
                aggs: {
                  bins: {
                    date_histogram: { field: "@timestamp", fixed_interval: `${base.windowMinutes}m`, min_doc_count: 1 },
                    aggs: { subjects: ROUGH_SUBJECTS },
                  },
                },
              },
            ]),
          ),
        });
        const a = aggsOf<PerEntity<{ bins: Histogram<{ subjects: Cardinality }> }>>(res);
        const subjectBins = new Map<string, number[]>();
        for (const e of ENTITIES)
          for (const b of a[e.type]?.buckets ?? [])
            subjectBins.set(
              `${e.type}\u0000${b.key}`,
              b.bins.buckets.map((x) => x.subjects.value),
            );
        for (const [k, c] of bursts) {
          const bins = subjectBins.get(`${c.entity.type}\u0000${c.id}`) ?? [];
          if (bins.some((v, i) => v + (bins[i + 1] ?? 0) >= ctx.params(c.org).minSubjects)) candidates.set(k, c);
        }
      }
      // Stage 1c, for the blocks looked up often that day: their distinct subjects, and who looked them up.
      if (walkBlocks.size) {
        const res = await scopedSearch(ctx.scope, "events", {
          size: 0,
          query: { bool: { filter: [timeRange(w.start, w.end), lookupQuery(ctx.registry, true)] } },
          aggs: {
            blocks: {
              terms: { field: "jukinet.subject.block_ref", include: [...walkBlocks], size: walkBlocks.size },
              aggs: {
                subjects: { cardinality: { field: "jukinet.subject.ref", precision_threshold: 100 } },
                ...Object.fromEntries(
                  ENTITIES.map((e) => [e.type, { terms: { field: e.field, size: 5 }, aggs: { orgs: { terms: { field: "organization.id", size: 3 } } } }]),
                ),
              },
            },
          },
        });
        const a = aggsOf<{ blocks: Terms<{ subjects: Cardinality } & PerEntity<{ orgs?: Terms }>> }>(res);
        for (const block of a.blocks.buckets) {
          if (block.subjects.value < halfWalk) continue;
          for (const entity of ENTITIES) {
            for (const e of block[entity.type]?.buckets ?? []) {
              for (const o of e.orgs?.buckets ?? []) {
                const k = `${entity.type}\u0000${o.key}\u0000${e.key}`;
                if (!candidates.has(k)) candidates.set(k, { entity, org: o.key, id: e.key, typical: typicals.get(`${entity.type}\u0000${e.key}`) ?? 0 });
              }
            }
          }
        }
      }
      // Stage 2: the densest span of each candidate, counted exactly.
      for (const { entity, org, id, typical } of candidates.values()) {
        const p = ctx.params(org);
        const usual = await usualPeak(ctx.scope, ctx.registry, p, { field: entity.field, id, org, day });
        const minEvents = burstThreshold(p, typical, usual.peak);
        const scan = await findScan(ctx.scope, ctx.registry, p, { field: entity.field, id, org, day, minEvents });
        if (!scan) continue;
        const a = scan.agg;
        out.push({
          entity: { type: entity.type, id },
          organization: org,
          window: dayWindow(day),
          severity: scan.subjects >= p.criticalSubjects ? "critical" : undefined,
          summary: `${entity.label} ${id} が ${jstTimeLabel(scan.start)}〜${jstTimeLabel(scan.end)} の${p.windowMinutes}分間に ${scan.subjects} 人の住民を照会${scan.walk ? `（連番照会の疑い: 同一コード帯に ${scan.subjectsInTopBlocks} 人）` : ""}（${day}）`,
          evidence: {
            counts: {
              distinct_subjects: scan.subjects,
              distinct_blocks: scan.blocks,
              subjects_in_top_blocks: scan.subjectsInTopBlocks,
              events: scan.events,
              not_found: a.not_found.doc_count,
              ...termCounts(a.actions),
            },
            baseline: {
              threshold_subjects: p.minSubjects,
              typical_lookups_per_window: typical,
              usual_peak_lookups: usual.peak,
              history_days: usual.days,
              threshold_lookups: minEvents,
              threshold_walk_subjects: p.minWalkSubjects,
              window_minutes: p.windowMinutes,
            },
            code_walk: scan.walk,
            span: { start: new Date(scan.start).toISOString(), end: new Date(scan.end).toISOString() },
            first: a.first.value_as_string,
            last: a.last.value_as_string,
            query_kinds: termCounts(a.kinds),
            operators: termCounts(a.users),
            terminals: termCounts(a.hosts),
            ...reproduce(a.samples, scan.query),
          },
        });
      }
    }
    return out;
  },
});

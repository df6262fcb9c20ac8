import type { estypes } from "@elastic/elasticsearch";
import { daysBefore, medianMad } from "../baseline";
import { dayWindow, windowDays } from "../days";
import type { Metric, Terms } from "../aggs";
import { detailOf } from "../evidence";
import { personActivity } from "../registry";
import { defineRule, timeRange, type AlertCandidate, termCounts } from "../rule";
import { dailySeries } from "../series";

type Query = estypes.QueryDslQueryContainer;
const OUTPUTS: Query = { terms: { "event.action": ["export", "print"] } };

export default defineRule({
  id: "bulk-export",
  name: { ja: "本人確認情報の大量出力", en: "Bulk export" },
  description: {
    ja: "一人の操作者が1日に出力（ファイル出力・印刷）した本人確認情報のレコード数の合計が閾値を超え、本人の通常の出力量も大きく上回った。",
    en: "The records one operator exported or printed in one day (sum of record_count over export and print events) exceeded the threshold and were far above the operator's usual daily output.",
  },
  severity: "high",
  riskScore: 73,
  entityType: "operator",
  control:
    "端末から本人確認情報を任意のファイルとして出力できない設定; 本人確認情報の漏えい防止（守秘義務・操作履歴の確認）(seed 004, seed 000 内部の不正利用の防止)",
  falsePositives: [
    "Certificates printed at the counter (広域交付) are one or two records each: a clerk prints a few dozen records a day at most, far below the threshold.",
    "An operator whose duties regularly print many records (e.g. a statistics section): the day must also be `factor` times the operator's own median of the previous 28 days.",
    "An operator with no output in the previous 28 days is judged on `minRecords` alone (a first large output is always worth a look).",
    "A planned, approved bulk output (e.g. for an election register check): add a suppression for the operator with the reason.",
  ],
  bucket: "day",
  params: { minRecords: 100, factor: 5, baselineDays: 28, criticalRecords: 3000 },
  async run(ctx) {
    // Records output per (organisation, operator, day) over the window and its baseline period.
    const series = await dailySeries(ctx, "user.id", [OUTPUTS, personActivity(ctx.registry)], { records: { sum: "jukinet.record_count" } });

    const out: AlertCandidate[] = [];
    for (const {
      org,
      id: user,
      days: { records: days },
    } of series) {
      const p = ctx.params(org);
      for (const day of windowDays(ctx.window)) {
        const records = days.get(day);
        if (records === undefined || records < p.minRecords) continue;
        const history = daysBefore(days, day, p.baselineDays).map(([, v]) => v);
        const { median, mad } = medianMad(history);
        if (records < p.factor * median) continue;

        const window = dayWindow(day);
        const filter: Query[] = [timeRange(window.start, window.end), OUTPUTS, { term: { "user.id": user } }, { term: { "organization.id": org } }];
        const { a, tail } = await detailOf<{ actions: Terms<{ records: Metric }>; largest: Metric; hosts: Terms }>(
          ctx.scope,
          filter,
          {
            actions: { terms: { field: "event.action", size: 2 }, aggs: { records: { sum: { field: "jukinet.record_count" } } } },
            largest: { max: { field: "jukinet.record_count" } },
            hosts: { terms: { field: "host.id", size: 5 } },
          },
          // The largest outputs first.
          { top_hits: { size: 5, sort: [{ "jukinet.record_count": "desc" }, { "@timestamp": "asc" }], _source: ["event.id", "observer.id", "@timestamp"] } },
        );
        const perAction = Object.fromEntries(a.actions.buckets.map((x) => [`${x.key}_records`, x.records.value]));
        const jobs = termCounts(a.actions);
        out.push({
          entity: { type: "operator", id: user },
          organization: org,
          window,
          severity: records >= p.criticalRecords ? "critical" : undefined,
          summary: `${user} が ${records.toLocaleString("ja-JP")} 件の本人確認情報を出力（ファイル出力 ${jobs.export ?? 0} 回・印刷 ${jobs.print ?? 0} 回、最大 ${a.largest.value} 件/回）（${day}）`,
          evidence: {
            counts: {
              records,
              events: (jobs.export ?? 0) + (jobs.print ?? 0),
              exports: jobs.export ?? 0,
              prints: jobs.print ?? 0,
              largest_job: a.largest.value ?? 0,
              ...perAction,
            },
            baseline: {
              history_days: history.length,
              median_records: median,
              mad_records: mad,
              threshold_records: Math.max(p.minRecords, Math.ceil(p.factor * median)),
            },
            terminals: termCounts(a.hosts),
            ...tail,
          },
        });
      }
    }
    return out;
  },
});

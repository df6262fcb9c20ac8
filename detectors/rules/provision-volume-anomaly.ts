import type { estypes } from "@elastic/elasticsearch";
import { baselineBefore } from "../baseline";
import { dayWindow, windowDays } from "../days";
import type { Terms } from "../aggs";
import { detailOf } from "../evidence";
import { defineRule, timeRange, type AlertCandidate, termCounts } from "../rule";
import { dailySeries } from "../series";
import { batchesWithRecords, withoutSummariesOf } from "../../domain/statistics/figures";

const PROVISIONS: estypes.QueryDslQueryContainer = { terms: { "event.action": ["provide", "batch_provide"] } };
/** A per-resident record of a batch (INTERFACE.md §1 `jukinet.batch.id`): part of its batch, not a provision of its own. */
const BATCH_RECORD: estypes.QueryDslQueryContainer = { bool: { filter: [{ term: { "event.action": "provide" } }, { exists: { field: "jukinet.batch.id" } }] } };
const DAY = 86_400_000;

export default defineRule({
  id: "provision-volume-anomaly",
  name: { ja: "提供件数の異常", en: "Provision volume anomaly" },
  description: {
    ja: "提供先ごとの1日の提供件数（即時提供の回数）または提供レコード数（一括提供の件数合計）が、過去28日間の通常水準（中央値・MAD、平日・休日の別を考慮）を大きく上回った。",
    en: "The provisions to a recipient in one day (number of provisions, or records summed over batch provisions) were far above that recipient's usual level (median and MAD of the previous 28 days, business and non-business days told apart).",
  },
  severity: "medium",
  riskScore: 50,
  entityType: "recipient",
  control:
    "本人確認情報の提供は法定の提供先・事務に限る（住基法 別表第1〜第6・条例）; 提供状況の記録と監視（全国センターでの業務アクセスログの常時監視, seeds 001/003）",
  falsePositives: [
    "Large nightly online batches (e.g. 日本年金機構, tens of thousands of records): compared with the recipient's own median, so a usual large batch is not far above it.",
    "Weekends and holidays have few immediate provisions: only upward deviations fire, the baseline is the median of days with activity, and after a run of holidays (year-end closure, Golden Week) a business day is compared with the business days of the baseline.",
    "A new recipient or a recipient with fewer than `minHistoryDays` active days in the baseline is not judged.",
    "A planned one-off batch (e.g. annual re-registration): add a suppression for the recipient with the reason.",
  ],
  bucket: "day",
  params: { baselineDays: 28, minHistoryDays: 5, factor: 3, madK: 6, minExcessCount: 50, minExcessRecords: 1000, highFactor: 10 },
  async run(ctx) {
    // Daily provisions and records per (organisation, recipient), over the window and its baseline period.
    // A batch counts once however the node sent it: as one provision (its summary, when sent), and its records once
    // (the per-resident records when present, else the summary's record_count), as the provision statistics count.
    const batches = await batchesWithRecords(ctx.scope, {
      from: new Date(ctx.window.from.getTime() - (ctx.params().baselineDays + 1) * DAY),
      to: ctx.window.to,
    });
    const provisions = await dailySeries(ctx, "jukinet.recipient.id", [PROVISIONS, { bool: { must_not: [BATCH_RECORD] } }], { count: "events" });
    const recordSeries = await dailySeries(ctx, "jukinet.recipient.id", [PROVISIONS, ...withoutSummariesOf(batches)], {
      records: { sum: "jukinet.record_count" },
    });
    // Recipients served by per-resident records only have records and no provision count.
    const countOf = new Map(provisions.map((y) => [`${y.org}\u0000${y.id}`, y.days.count]));
    const series = recordSeries.map((x) => ({
      ...x,
      days: { count: countOf.get(`${x.org}\u0000${x.id}`) ?? new Map<string, number>(), records: x.days.records },
    }));

    const out: AlertCandidate[] = [];
    for (const {
      org,
      id: recipient,
      days: { count, records },
    } of series) {
      const p = ctx.params(org);
      for (const day of windowDays(ctx.window)) {
        const r = records.get(day);
        if (r === undefined) continue;
        const n = count.get(day) ?? 0;
        const bc = baselineBefore(count, day, p, p.minExcessCount);
        const br = baselineBefore(records, day, p, p.minExcessRecords);
        if (Math.max(bc.days, br.days) < p.minHistoryDays) continue;
        const countHigh = bc.days >= p.minHistoryDays && n >= bc.threshold;
        const recordsHigh = br.days >= p.minHistoryDays && r >= br.threshold;
        if (!countHigh && !recordsHigh) continue;

        const window = dayWindow(day);
        const filter = [timeRange(window.start, window.end), PROVISIONS, { term: { "organization.id": org } }, { term: { "jukinet.recipient.id": recipient } }];
        const { a, tail } = await detailOf<{ name: Terms; channels: Terms; items: Terms }>(ctx.scope, filter, {
          name: { terms: { field: "jukinet.recipient.name", size: 1 } },
          channels: { terms: { field: "jukinet.channel", size: 5 } },
          items: { terms: { field: "jukinet.purpose.item", size: 5 } },
        });
        const name = a.name.buckets[0]?.key ?? recipient;
        const factor = Math.max(countHigh ? n / Math.max(bc.median, 1) : 0, recordsHigh ? r / Math.max(br.median, 1) : 0);
        out.push({
          entity: { type: "recipient", id: recipient },
          organization: org,
          window,
          severity: factor >= p.highFactor ? "high" : undefined,
          summary: `${name}への提供が通常の約${Math.round(factor)}倍（${n}回・${r}件、通常は中央値${bc.median}回・${br.median}件）（${day}）`,
          evidence: {
            counts: { provisions: n, records: r },
            baseline: {
              history_days: bc.days,
              median_provisions: bc.median,
              mad_provisions: bc.mad,
              threshold_provisions: bc.threshold,
              median_records: br.median,
              mad_records: br.mad,
              threshold_records: br.threshold,
            },
            exceeded: [...(countHigh ? ["provisions"] : []), ...(recordsHigh ? ["records"] : [])],
            recipient_name: name,
            channels: termCounts(a.channels),
            items: termCounts(a.items),
            ...tail,
          },
        });
      }
    }
    return out;
  },
});

import type { estypes } from "@elastic/elasticsearch";
import { scopedBuckets } from "../../lib/es/scoped";
import { baselineBefore, withBaselinePeriod } from "../baseline";
import { dayWindow, windowDays } from "../days";
import type { Terms } from "../aggs";
import { detailOf } from "../evidence";
import { defineRule, timeRange, type AlertCandidate, termCounts } from "../rule";
const UPDATE: estypes.QueryDslQueryContainer = { term: { "event.action": "update" } };

/** Declared maintenance windows per organisation, overlapping [from, to), merged where they overlap. */
function windowsByOrg(list: { organizationId: string; start: Date; end: Date }[], from: number, to: number): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  for (const w of [...list].sort((a, b) => a.start.getTime() - b.start.getTime())) {
    const [s, e] = [w.start.getTime(), w.end.getTime()];
    if (e <= from || s >= to) continue;
    const spans = out.get(w.organizationId) ?? out.set(w.organizationId, []).get(w.organizationId)!;
    const last = spans[spans.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else spans.push([s, e]);
  }
  return out;
}

const inSpans = (org: string, spans: [number, number][]): estypes.QueryDslQueryContainer => ({
  bool: { filter: [{ term: { "organization.id": org } }], should: spans.map(([s, e]) => timeRange(s, e)), minimum_should_match: 1 },
});

export default defineRule({
  id: "maintenance-window-update",
  name: { ja: "保守作業時間帯の更新（連携制御漏れ）", en: "Update during maintenance window" },
  description: {
    ja: "団体が届け出た保守・試験作業の時間帯に本人確認情報の更新が届いた（既存住基システムとの連携を停止していない疑い）、または更新件数が団体の通常水準を大きく超えた。",
    en: "Identity-record updates arrived during the organisation's declared maintenance/test window (the link to the resident-records system was not switched off), or an update burst far above the organisation's usual level.",
  },
  severity: "high",
  riskScore: 73,
  entityType: "organization",
  control:
    "システム更改・試験時の連携制御（既存住基システムとCSの連携停止）: seed 000（2015年 試験データによる本人確認情報の誤更新の通知）; DOMAIN: declared maintenance windows",
  falsePositives: [
    "Moving season (March–April) roughly doubles updates in business hours: bursts are judged against the organisation's own last 28 days (which include the season once it has begun) and need `burstFactor` × the usual peak hour and day.",
    "A maintenance window declared over business hours while clerks keep working: every update in a declared window counts; declare windows outside counter hours or suppress the organisation for that window.",
    "An organisation with fewer than `minHistoryDays` days of updates in its baseline is only judged on declared windows.",
  ],
  bucket: "day",
  params: { minWindowUpdates: 1, baselineDays: 28, minHistoryDays: 5, burstFactor: 3, madK: 6, burstMinExcessHour: 30, burstMinExcessDay: 60 },
  async run(ctx) {
    const days = new Set(windowDays(ctx.window));
    const spans = windowsByOrg(ctx.registry.maintenanceWindows, ctx.window.from.getTime(), ctx.window.to.getTime());
    const inWindow: estypes.QueryDslQueryContainer = { bool: { should: [...spans].map(([org, s]) => inSpans(org, s)), minimum_should_match: 1 } };

    // Updates per (organisation, day, hour) over the window and its baseline period, with those inside declared windows.
    const perDay = new Map<string, { org: string; day: string; total: number; peak: number; peakHour: number; inWindow: number }>();
    for await (const b of scopedBuckets(
      ctx.scope,
      "events",
      { bool: { filter: [withBaselinePeriod(ctx.window, ctx.params().baselineDays), UPDATE] } },
      [
        { org: { terms: { field: "organization.id" } } },
        { day: { terms: { field: "jukinet.time.date" } } },
        { hour: { terms: { field: "jukinet.time.hour" } } },
      ],
      spans.size ? { in_window: { filter: inWindow } } : {},
    )) {
      const { org, day, hour } = b.key as { org: string; day: string; hour: number };
      const k = `${org}\u0000${day}`;
      const d = perDay.get(k) ?? perDay.set(k, { org, day, total: 0, peak: 0, peakHour: hour, inWindow: 0 }).get(k)!;
      d.total += b.doc_count;
      d.inWindow += b.in_window?.doc_count ?? 0;
      if (b.doc_count > d.peak) [d.peak, d.peakHour] = [b.doc_count, hour];
    }
    const byOrg = new Map<string, { peaks: Map<string, number>; totals: Map<string, number> }>();
    for (const d of perDay.values()) {
      const s = byOrg.get(d.org) ?? byOrg.set(d.org, { peaks: new Map(), totals: new Map() }).get(d.org)!;
      s.peaks.set(d.day, d.peak);
      s.totals.set(d.day, d.total);
    }

    const out: AlertCandidate[] = [];
    for (const d of perDay.values()) {
      if (!days.has(d.day)) continue;
      const p = ctx.params(d.org);
      const history = byOrg.get(d.org)!;
      const hourly = baselineBefore(history.peaks, d.day, { ...p, factor: p.burstFactor }, p.burstMinExcessHour);
      const daily = baselineBefore(history.totals, d.day, { ...p, factor: p.burstFactor }, p.burstMinExcessDay);
      const judged = hourly.days >= p.minHistoryDays;
      const windowHit = d.inWindow >= p.minWindowUpdates;
      // A burst is burstFactor × the median, and at least burstMinExcessHour / burstMinExcessDay above it.
      const burst = judged && (d.peak >= hourly.threshold || d.total >= daily.threshold);
      if (!windowHit && !burst) continue;

      const window = dayWindow(d.day);
      const filter = [
        timeRange(window.start, window.end),
        UPDATE,
        ...(windowHit ? [inSpans(d.org, spans.get(d.org)!)] : [{ term: { "organization.id": d.org } }]),
      ];
      const { a, tail } = await detailOf<{ reasons: Terms; sources: Terms; users: Terms }>(ctx.scope, filter, {
        reasons: { terms: { field: "jukinet.change.reason", size: 10 } },
        sources: { terms: { field: "jukinet.change.source_system", size: 5 } },
        users: { terms: { field: "user.id", size: 5 } },
      });
      const declared = ctx.registry.maintenanceWindows
        .filter((w) => w.organizationId === d.org && w.start.getTime() < Date.parse(window.end) && w.end.getTime() > Date.parse(window.start))
        .map((w) => ({ start: w.start.toISOString(), end: w.end.toISOString(), note: w.note }));
      const orgName = ctx.registry.organizations.get(d.org)?.name ?? d.org;
      out.push({
        entity: { type: "organization", id: d.org },
        organization: d.org,
        window,
        severity: windowHit ? undefined : "medium",
        summary: windowHit
          ? `${orgName}: 保守作業時間帯に本人確認情報の更新 ${d.inWindow} 件（連携制御の確認を）（${d.day}）`
          : `${orgName}: 更新件数が通常を大きく超過（1日 ${d.total} 件・最多時間帯 ${d.peakHour}時台 ${d.peak} 件、通常は ${daily.median} 件・${hourly.median} 件）（${d.day}）`,
        evidence: {
          counts: { updates: d.total, in_maintenance_window: d.inWindow, peak_hour_updates: d.peak, peak_hour: d.peakHour },
          baseline: {
            history_days: hourly.days,
            median_peak_hour: hourly.median,
            mad_peak_hour: hourly.mad,
            threshold_peak_hour: judged ? hourly.threshold : null,
            median_day: daily.median,
            mad_day: daily.mad,
            threshold_day: judged ? daily.threshold : null,
          },
          reasons: [...(windowHit ? ["maintenance_window"] : []), ...(burst ? ["burst"] : [])],
          maintenance_windows: declared,
          change_reasons: termCounts(a.reasons),
          source_systems: termCounts(a.sources),
          users: termCounts(a.users),
          ...tail,
        },
      });
    }
    return out;
  },
});

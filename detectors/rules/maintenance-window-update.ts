import type { estypes } from "@elastic/elasticsearch";
import { scopedBuckets } from "../../lib/es/scoped";
import { baselineBefore, withBaselinePeriod } from "../baseline";
import { dayWindow, windowDays } from "../days";
import type { Terms } from "../aggs";
import { detailOf } from "../evidence";
import { defineRule, timeRange, type AlertCandidate, termCounts } from "../rule";
import type { LinkControlRecord, RegistrySnapshot } from "../registry";
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

/**
 * Link control of system-work records (domain/systemwork): per organisation the spans while it was set
 * ([set, released), open while not released) and the spans right after a release ([released, released + minutes)).
 */
function linkControlSpans(list: LinkControlRecord[], from: number, to: number, afterMinutes: number) {
  const set = new Map<string, [number, number][]>();
  const after = new Map<string, [number, number][]>();
  const push = (m: Map<string, [number, number][]>, org: string, s: number, e: number) => {
    if (e <= from || s >= to) return;
    (m.get(org) ?? m.set(org, []).get(org)!).push([Math.max(s, from), Math.min(e, to)]);
  };
  for (const w of list) {
    const released = w.linkControlReleasedAt?.getTime();
    push(set, w.organizationId, w.linkControlSetAt.getTime(), released ?? to);
    if (released !== undefined) push(after, w.organizationId, released, released + afterMinutes * 60_000);
  }
  return { set, after };
}

/** System activity (detectors/README.md): no operator, or a registry account of kind `system`. */
function systemActivity(registry: RegistrySnapshot): estypes.QueryDslQueryContainer {
  const accounts = [...registry.operators.values()].filter((o) => o.kind === "system").map((o) => o.id);
  return {
    bool: {
      should: [{ bool: { must_not: { exists: { field: "user.id" } } } }, ...(accounts.length ? [{ terms: { "user.id": accounts.sort() } }] : [])],
      minimum_should_match: 1,
    },
  };
}

const anyOf = (spans: Map<string, [number, number][]>, extra: estypes.QueryDslQueryContainer): estypes.QueryDslQueryContainer => ({
  bool: { filter: [extra], should: [...spans].map(([org, s]) => inSpans(org, s)), minimum_should_match: 1 },
});

export default defineRule({
  id: "maintenance-window-update",
  name: { ja: "保守作業時間帯の更新（連携制御漏れ）", en: "Update during maintenance window" },
  description: {
    ja: "団体が届け出た保守・試験作業の時間帯、または連携制御記録で連携制御を設定している間に本人確認情報の更新が届いた（既存住基システムとの連携を停止していない疑い）、連携制御の解除直後に既存住基システムからの更新が集中した、または更新件数が団体の通常水準を大きく超えた。",
    en: "Identity-record updates arrived during the organisation's declared maintenance/test window or, from the resident-records system, while a system-work record has link control set (the link was not switched off); a burst of such updates right after link control was released; or an update burst far above the organisation's usual level.",
  },
  severity: "high",
  riskScore: 73,
  entityType: "organization",
  control:
    "システム更改・試験時の連携制御（既存住基システムとCSの連携停止）: seed 000（2015年 試験データによる本人確認情報の誤更新の通知）; DOMAIN: declared maintenance windows",
  falsePositives: [
    "Link control recorded as set (system-work records) while the vendor pushes its own test updates under an operator account: only system activity (no operator, or a `system` account) counts against a record; record link control only once the link is actually stopped.",
    "A planned bulk correction right after release (`releaseBurstMinutes`): the first `releaseBurstMinUpdates` system updates after a release are normal catch-up; raise the parameter for an organisation whose resident-records system queues changes during the work.",
    "Moving season (March–April) roughly doubles updates in business hours: bursts are judged against the organisation's own last 28 days (which include the season once it has begun) and need `burstFactor` × the usual peak hour and day.",
    "A maintenance window declared over business hours while clerks keep working: every update in a declared window counts; declare windows outside counter hours or suppress the organisation for that window.",
    "An organisation with fewer than `minHistoryDays` days of updates in its baseline is only judged on declared windows.",
  ],
  bucket: "day",
  params: {
    minWindowUpdates: 1,
    baselineDays: 28,
    minHistoryDays: 5,
    burstFactor: 3,
    madK: 6,
    burstMinExcessHour: 30,
    burstMinExcessDay: 60,
    releaseBurstMinutes: 120,
    releaseBurstMinUpdates: 10,
  },
  async run(ctx) {
    const days = new Set(windowDays(ctx.window));
    const spans = windowsByOrg(ctx.registry.maintenanceWindows, ctx.window.from.getTime(), ctx.window.to.getTime());
    const inWindow: estypes.QueryDslQueryContainer = { bool: { should: [...spans].map(([org, s]) => inSpans(org, s)), minimum_should_match: 1 } };
    // System-work records: system updates while link control is set, and right after its release.
    const records = ctx.registry.linkControl ?? [];
    const lc = linkControlSpans(records, ctx.window.from.getTime(), ctx.window.to.getTime(), ctx.params().releaseBurstMinutes);
    const system = systemActivity(ctx.registry);
    const lcAggs = {
      ...(lc.set.size ? { in_link_control: { filter: anyOf(lc.set, system) } } : {}),
      ...(lc.after.size ? { after_release: { filter: anyOf(lc.after, system) } } : {}),
    };

    // Updates per (organisation, day, hour) over the window and its baseline period, with those inside declared windows.
    const perDay = new Map<
      string,
      { org: string; day: string; total: number; peak: number; peakHour: number; inWindow: number; inLinkControl: number; afterRelease: number }
    >();
    for await (const b of scopedBuckets(
      ctx.scope,
      "events",
      { bool: { filter: [withBaselinePeriod(ctx.window, ctx.params().baselineDays), UPDATE] } },
      [
        { org: { terms: { field: "organization.id" } } },
        { day: { terms: { field: "jukinet.time.date" } } },
        { hour: { terms: { field: "jukinet.time.hour" } } },
      ],
      { ...(spans.size ? { in_window: { filter: inWindow } } : {}), ...lcAggs },
    )) {
      const { org, day, hour } = b.key as { org: string; day: string; hour: number };
      const k = `${org}\u0000${day}`;
      const d = perDay.get(k) ?? perDay.set(k, { org, day, total: 0, peak: 0, peakHour: hour, inWindow: 0, inLinkControl: 0, afterRelease: 0 }).get(k)!;
      d.total += b.doc_count;
      d.inWindow += b.in_window?.doc_count ?? 0;
      d.inLinkControl += b.in_link_control?.doc_count ?? 0;
      d.afterRelease += b.after_release?.doc_count ?? 0;
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
      const lcHit = d.inLinkControl >= p.minWindowUpdates;
      const releaseBurst = d.afterRelease >= p.releaseBurstMinUpdates;
      if (!windowHit && !burst && !lcHit && !releaseBurst) continue;

      const window = dayWindow(d.day);
      const hits: estypes.QueryDslQueryContainer[] = [
        ...(windowHit ? [inSpans(d.org, spans.get(d.org)!)] : []),
        ...(lcHit ? [{ bool: { filter: [system, inSpans(d.org, lc.set.get(d.org)!)] } }] : []),
        ...(releaseBurst ? [{ bool: { filter: [system, inSpans(d.org, lc.after.get(d.org)!)] } }] : []),
      ];
      const filter = [
        timeRange(window.start, window.end),
        UPDATE,
        ...(hits.length
          ? [{ bool: { filter: [{ term: { "organization.id": d.org } }], should: hits, minimum_should_match: 1 } }]
          : [{ term: { "organization.id": d.org } }]),
      ];
      const { a, tail } = await detailOf<{ reasons: Terms; sources: Terms; users: Terms }>(ctx.scope, filter, {
        reasons: { terms: { field: "jukinet.change.reason", size: 10 } },
        sources: { terms: { field: "jukinet.change.source_system", size: 5 } },
        users: { terms: { field: "user.id", size: 5 } },
      });
      const declared = ctx.registry.maintenanceWindows
        .filter((w) => w.organizationId === d.org && w.start.getTime() < Date.parse(window.end) && w.end.getTime() > Date.parse(window.start))
        .map((w) => ({ start: w.start.toISOString(), end: w.end.toISOString(), note: w.note }));
      const [dayStart, dayEnd] = [Date.parse(window.start), Date.parse(window.end)];
      const afterMs = p.releaseBurstMinutes * 60_000;
      const linkControl = records
        .filter(
          (w) =>
            w.organizationId === d.org &&
            w.linkControlSetAt.getTime() < dayEnd &&
            (w.linkControlReleasedAt === null || w.linkControlReleasedAt.getTime() + afterMs > dayStart),
        )
        .map((w) => ({
          id: w.id,
          title: w.title,
          vendor: w.vendor,
          purpose: w.purpose,
          set_at: w.linkControlSetAt.toISOString(),
          released_at: w.linkControlReleasedAt?.toISOString() ?? null,
          tests_ended_at: w.testsEndedAt?.toISOString() ?? null,
          tests_ended_by: w.testsEndedBy,
          test_data_deleted_at: w.testDataDeletedAt?.toISOString() ?? null,
          test_data_deleted_by: w.testDataDeletedBy,
        }));
      const orgName = ctx.registry.organizations.get(d.org)?.name ?? d.org;
      const vendor = linkControl[0]?.vendor ?? "";
      out.push({
        entity: { type: "organization", id: d.org },
        organization: d.org,
        window,
        severity: windowHit || lcHit || releaseBurst ? undefined : "medium",
        summary: lcHit
          ? `${orgName}: 連携制御中に住民記録システムからの更新 ${d.inLinkControl} 件（作業記録: ${vendor}）（${d.day}）`
          : windowHit
            ? `${orgName}: 保守作業時間帯に本人確認情報の更新 ${d.inWindow} 件（連携制御の確認を）（${d.day}）`
            : releaseBurst
              ? `${orgName}: 連携制御解除の直後に住民記録システムからの更新 ${d.afterRelease} 件（試験終了・試験データ削除の確認を）（作業記録: ${vendor}）（${d.day}）`
              : `${orgName}: 更新件数が通常を大きく超過（1日 ${d.total} 件・最多時間帯 ${d.peakHour}時台 ${d.peak} 件、通常は ${daily.median} 件・${hourly.median} 件）（${d.day}）`,
        evidence: {
          counts: {
            updates: d.total,
            in_maintenance_window: d.inWindow,
            in_link_control: d.inLinkControl,
            after_release: d.afterRelease,
            peak_hour_updates: d.peak,
            peak_hour: d.peakHour,
          },
          baseline: {
            history_days: hourly.days,
            median_peak_hour: hourly.median,
            mad_peak_hour: hourly.mad,
            threshold_peak_hour: judged ? hourly.threshold : null,
            median_day: daily.median,
            mad_day: daily.mad,
            threshold_day: judged ? daily.threshold : null,
          },
          reasons: [
            ...(windowHit ? ["maintenance_window"] : []),
            ...(lcHit ? ["link_control"] : []),
            ...(releaseBurst ? ["after_release"] : []),
            ...(burst ? ["burst"] : []),
          ],
          maintenance_windows: declared,
          link_control: linkControl,
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

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../../lib/db";
import { es } from "../../../lib/es/client";
import { aliasName } from "../../../lib/es/indices";
import { ingestLines } from "../../../lib/ingest/pipeline";
import { isBusinessDay } from "../../../lib/calendar";
import { at, businessWeek, DATES, detect, ev, FIXTURE_REGISTRY, ingest, PREF, SHIMONOSEKI, useFixtureRegistry, WAKI, YAMAGUCHI } from "./harness";

const RULE = "node-silence";
const day = businessWeek(DATES[RULE].start);
const D = day(1); // a Tuesday; heartbeats run from the Monday to the end of Wednesday
const NEW_NODE = `CS-${SHIMONOSEKI}-NEW`;
const iso = (t: number) => new Date(t).toISOString();

/** JST "HH:MM" of an instant. */
const hhmm = (t: number) => new Date(t + 9 * 3600_000).toISOString().slice(11, 16);

beforeAll(async () => {
  await useFixtureRegistry({ nodes: [...FIXTURE_REGISTRY.nodes, { id: NEW_NODE, type: "municipal_cs", organization: SHIMONOSEKI, expected_interval_minutes: 60 }] });
  // Registered on D and never heard from.
  await db().node.update({ where: { id: NEW_NODE }, data: { createdAt: new Date(at(D, "00:00")) } });

  const start = Date.parse(at(day(0), "00:00"));
  const end = Date.parse(at(day(3), "00:00"));
  const silent = (node: string, t: number) =>
    // 和木町's CS: line failure on D 10:00–15:30. 山口市's CS: silent from D+1 16:00 to the end.
    (node === `CS-${WAKI}` && t >= Date.parse(at(D, "10:00")) && t < Date.parse(at(D, "15:30"))) ||
    (node === `CS-${YAMAGUCHI}` && t >= Date.parse(at(day(2), "16:00")));
  const events = [];
  // Periodic notifications every 20 minutes from every access node.
  for (const n of FIXTURE_REGISTRY.nodes.filter((n) => n.type !== "ids_sensor")) {
    for (let t = start; t < end; t += 20 * 60_000) {
      if (silent(n.id, t)) continue;
      events.push(ev({ t: at(new Date(t + 9 * 3600_000).toISOString().slice(0, 10), hhmm(t)), org: n.organization, node: n.id, action: "notify", user: `SYS-${n.organization}-CS`, records: 0 }));
    }
  }
  await ingest(events);
  // Hard negative: the IDS sensor only writes when something is detected — every 55 minutes here, within its 60 minutes.
  const lines = [];
  for (let t = start, i = 1; t < end; t += 55 * 60_000, i++) {
    const ts = new Date(t + 9 * 3600_000).toISOString().replace("Z", "000+0900");
    lines.push({ number: i, text: JSON.stringify({ timestamp: ts, event_type: "alert", src_ip: "198.51.100.7", dest_ip: "172.16.3.9", proto: "TCP", alert: { signature_id: 2001219, signature: "ET SCAN Potential SSH Scan", category: "Attempted Information Leak", severity: 2 } }) });
  }
  const r = await ingestLines("ids", (async function* () { yield lines; })(), { id: `IDS-${PREF}`, type: "ids_sensor", organizationId: PREF });
  expect(r.rejected).toEqual([]);
  await es().indices.refresh({ index: aliasName("ids") });
});

afterAll(async () => {
  await db().node.delete({ where: { id: NEW_NODE } });
});

describe(RULE, () => {
  it("fires on a gap, an ongoing silence and a node never heard from, not on regular or sparse-but-tolerated senders", async () => {
    const { alerts } = await detect(RULE, at(D, "00:00"), at(day(3), "00:00"));
    const byNode = new Map(alerts.map((a) => [a.entity.id, a]));
    expect([...byNode.keys()].sort()).toEqual([`CS-${WAKI}`, `CS-${YAMAGUCHI}`, NEW_NODE].sort());

    const gap = byNode.get(`CS-${WAKI}`)!;
    expect(gap.entity.type).toBe("node");
    expect(gap.organization.id).toBe(WAKI);
    expect(gap.window.start).toBe(iso(Date.parse(at(D, "00:00"))));
    const ge = gap.evidence as any;
    // The registered interval is the threshold, plus the small grace for transport delay.
    expect(ge.counts).toEqual({ silence_minutes: 360, threshold_minutes: 65, expected_interval_minutes: 60 });
    expect(ge.baseline).toEqual({ expected_interval_minutes: 60, grace_minutes: 5 });
    expect(ge.last_seen).toBe(iso(Date.parse(at(D, "09:40"))));
    expect(ge.resumed_at).toBe(iso(Date.parse(at(D, "15:40"))));
    expect(ge.sample_events).toHaveLength(2);

    const ongoing = byNode.get(`CS-${YAMAGUCHI}`)!;
    expect(ongoing.window.start).toBe(iso(Date.parse(at(day(2), "00:00"))));
    expect(ongoing.severity).toBe("high");
    expect((ongoing.evidence as any).ongoing).toBe(true);
    // Measured up to the newest event of any node (23:40), not to the end of the window.
    expect((ongoing.evidence as any).counts.silence_minutes).toBe(8 * 60);

    const never = byNode.get(NEW_NODE)!;
    expect(never.organization.id).toBe(SHIMONOSEKI);
    expect(never.window.start).toBe(iso(Date.parse(at(D, "00:00"))));
    expect((never.evidence as any).last_seen).toBeNull();
  });

  it("keeps the bucket of the day the silence started, so reruns over other windows create nothing new", async () => {
    const again = await detect(RULE, at(D, "00:00"), at(day(3), "00:00"));
    expect(again.summary.created).toBe(0);
    // Later and shorter: 山口市's silence is already 4 h 20 min at 20:00 on D+1.
    const later = await detect(RULE, at(day(2), "12:00"), at(day(2), "20:00"));
    expect(later.summary.created).toBe(0);
    expect(later.summary.alerts).toBe(2); // 山口市 (D+1) and the never-seen node (D)
    expect(later.alerts.map((a) => a.entity.id)).toEqual([`CS-${YAMAGUCHI}`]);
  });
});

/**
 * Intervals as registered (issue 11): a CS that reports weekly, and nodes that only send on business days.
 * These nodes exist only while this block runs (their long intervals would widen the look-ahead of the runs above).
 * Golden Week 2025 (Sat 3 May – Tue 6 May) lies just before this file's first business week.
 */
describe(`${RULE}: the registered interval is the threshold`, () => {
  const WEEKLY_SILENT = `CS-${SHIMONOSEKI}-W12`;
  const WEEKLY_OK = `CS-${SHIMONOSEKI}-W6`;
  const BUSINESS_DAYS = `CS-${YAMAGUCHI}-BD`;
  const WEEKEND_ONLY = `CS-${YAMAGUCHI}-BD3`;
  const w0 = day(14); // a Monday, two weeks after the runs above
  const added = [
    { id: WEEKLY_SILENT, type: "municipal_cs", organization: SHIMONOSEKI, expected_interval_minutes: 10080 },
    { id: WEEKLY_OK, type: "municipal_cs", organization: SHIMONOSEKI, expected_interval_minutes: 10080 },
    // Covers the longest quiet stretch, a four-day long weekend (Fri 17:15 → Wed 08:30).
    { id: BUSINESS_DAYS, type: "municipal_cs", organization: YAMAGUCHI, expected_interval_minutes: 7200 },
    // Control: covers an ordinary weekend but not the long one.
    { id: WEEKEND_ONLY, type: "municipal_cs", organization: YAMAGUCHI, expected_interval_minutes: 4320 },
  ];
  const shift = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    await useFixtureRegistry({ nodes: [...FIXTURE_REGISTRY.nodes, ...added] });
    for (const n of added) await db().node.update({ where: { id: n.id }, data: { createdAt: new Date(at("2025-04-28", "00:00")) } });
    const events = [
      // Silent for 12 days, then back.
      ev({ t: at(w0, "10:00"), node: WEEKLY_SILENT, action: "notify", user: "SYS-CS", records: 0 }),
      ev({ t: at(shift(w0, 12), "10:00"), node: WEEKLY_SILENT, action: "notify", user: "SYS-CS", records: 0 }),
      // Silent for 6 days, then back.
      ev({ t: at(w0, "10:00"), node: WEEKLY_OK, action: "notify", user: "SYS-CS", records: 0 }),
      ev({ t: at(shift(w0, 6), "10:00"), node: WEEKLY_OK, action: "notify", user: "SYS-CS", records: 0 }),
    ];
    // Every 30 minutes from 08:30 to 17:00 on business days, from 28 April to the end of the file's period.
    for (let d = "2025-04-28"; d < DATES[RULE].end; d = shift(d, 1)) {
      if (!isBusinessDay(d)) continue;
      for (let m = 8 * 60 + 30; m <= 17 * 60; m += 30) {
        const hm = `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
        for (const node of [BUSINESS_DAYS, WEEKEND_ONLY]) events.push(ev({ t: at(d, hm), org: YAMAGUCHI, node, action: "notify", user: "SYS-CS", records: 0 }));
      }
    }
    await ingest(events);
  });

  afterAll(async () => {
    await db().node.deleteMany({ where: { id: { in: added.map((n) => n.id) } } });
  });

  it("fires for a weekly CS silent for 12 days, not for one silent for 6 days", async () => {
    const { alerts } = await detect(RULE, at(w0, "00:00"), at(shift(w0, 13), "00:00"));
    const mine = alerts.filter((a) => a.entity.id === WEEKLY_SILENT || a.entity.id === WEEKLY_OK);
    expect(mine.map((a) => a.entity.id)).toEqual([WEEKLY_SILENT]);
    expect((mine[0].evidence as any).counts).toEqual({ silence_minutes: 12 * 1440, threshold_minutes: 10085, expected_interval_minutes: 10080 });
  });

  it("does not fire over a long weekend for a business-days node registered with an interval that covers it", async () => {
    const { alerts } = await detect(RULE, at("2025-05-02", "00:00"), at("2025-05-08", "00:00"));
    const mine = alerts.filter((a) => a.entity.id === BUSINESS_DAYS || a.entity.id === WEEKEND_ONLY);
    // Only the control, whose interval covers an ordinary weekend but not these four days off.
    expect(mine.map((a) => a.entity.id)).toEqual([WEEKEND_ONLY]);
    expect((mine[0].evidence as any).counts.silence_minutes).toBe(4 * 1440 + 15 * 60 + 30);
    // Ordinary weekends of the period: nothing for either.
    const later = await detect(RULE, at(day(0), "00:00"), at(day(28), "00:00"));
    expect(later.alerts.filter((a) => a.entity.id === BUSINESS_DAYS || a.entity.id === WEEKEND_ONLY)).toEqual([]);
  });
});

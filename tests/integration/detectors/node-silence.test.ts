import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../../lib/db";
import { es } from "../../../lib/es/client";
import { aliasName } from "../../../lib/es/indices";
import { ingestLines } from "../../../lib/ingest/pipeline";
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
  // Hard negative: the IDS sensor only writes when something is detected — every 100 minutes here, within 3 × 60 minutes.
  const lines = [];
  for (let t = start, i = 1; t < end; t += 100 * 60_000, i++) {
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
    expect(ge.counts).toEqual({ silence_minutes: 360, threshold_minutes: 180, expected_interval_minutes: 60 });
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

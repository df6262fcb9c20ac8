import { beforeAll, describe, expect, it } from "vitest";
import { es } from "../../../lib/es/client";
import { aliasName } from "../../../lib/es/indices";
import { ingestLines } from "../../../lib/ingest/pipeline";
import { at, businessWeek, DATES, detect, ev, ingest, plus, PREF, resident, SHIMONOSEKI, useFixtureRegistry, YAMAGUCHI } from "./harness";

const RULE = "ids-alert";
const day = businessWeek(DATES[RULE].start);

const SIG = {
  eternalblue: { signature_id: 2024218, signature: "ET EXPLOIT Possible ETERNALBLUE MS17-010 Echo Request (set)", category: "Attempted Administrator Privilege Gain", severity: 1 },
  beacon: { signature_id: 2027865, signature: "ET TROJAN Cobalt Strike Beacon Observed", category: "A Network Trojan was detected", severity: 1 },
  ssh: { signature_id: 2001219, signature: "ET SCAN Potential SSH Scan", category: "Attempted Information Leak", severity: 2 },
  checksum: { signature_id: 2200074, signature: "SURICATA TCPv4 invalid checksum", category: "Generic Protocol Command Decode", severity: 3 },
};

/** One Suricata EVE alert line at a JST ISO time. */
const eve = (t: string, src: string, dest: string, alert: (typeof SIG)[keyof typeof SIG]) =>
  JSON.stringify({ timestamp: t.replace("+09:00", ".000000+0900"), event_type: "alert", src_ip: src, src_port: 40000, dest_ip: dest, dest_port: 445, proto: "TCP", alert });

/** A clerk's session at a terminal: login, a search and a view every 4 minutes, logout. */
function session(start: string, minutes: number, user: string, host: string, ip: string, org = SHIMONOSEKI) {
  const out = [ev({ t: start, action: "login", org, user, host, ip })];
  for (let m = 2; m < minutes; m += 4) {
    out.push(ev({ t: plus(start, m), org, user, host, ip, resident: resident(m) }), ev({ t: plus(start, m + 1), action: "view", org, user, host, ip, resident: resident(m) }));
  }
  out.push(ev({ t: plus(start, minutes), action: "logout", org, user, host, ip }));
  return out;
}

beforeAll(async () => {
  await useFixtureRegistry();
  await ingest([
    // An operator works at 下関市's TM-02 while it is attacked; another worked at TM-03 in the morning only.
    ...session(at(day(1), "10:00"), 40, `OP-${SHIMONOSEKI}-002`, `TM-${SHIMONOSEKI}-02`, "10.35.201.12"),
    ...session(at(day(3), "09:00"), 30, `OP-${SHIMONOSEKI}-003`, `TM-${SHIMONOSEKI}-03`, "10.35.201.13"),
  ]);
  const lines: string[] = [
    // Must fire, critical: exploit attempts against TM-352012-02 during the session.
    ...[12, 14, 17].map((m) => eve(plus(at(day(1), "10:00"), m), "10.35.201.250", "10.35.201.12", SIG.eternalblue)),
    // Must fire, high: 山口市's TM-01 beaconing out at night, nobody at it.
    eve(at(day(2), "03:00"), "10.35.203.11", "203.0.113.50", SIG.beacon),
    // Must fire, medium: a scan of TM-352012-03 at 15:00, hours after its only session.
    eve(at(day(3), "15:00"), "10.35.201.250", "10.35.201.13", SIG.ssh),
    // Hard negative: routine low-severity noise against office and internet addresses — never one alert per line.
    ...Array.from({ length: 90 }, (_, i) => eve(plus(at(day(1), "00:05"), i * 16), `198.51.100.${(i % 50) + 2}`, `172.16.${i % 30}.${(i % 7) + 10}`, i % 2 ? SIG.ssh : SIG.checksum)),
    ...Array.from({ length: 20 }, (_, i) => eve(plus(at(day(2), "09:00"), i * 5), "203.0.113.9", "172.16.9.9", SIG.ssh)),
    // A flood against one office host is reported once, as one low-severity aggregate.
    ...Array.from({ length: 60 }, (_, i) => eve(plus(at(day(3), "01:00"), i), "203.0.113.77", "172.16.7.7", SIG.checksum)),
  ];
  const r = await ingestLines("ids", (async function* () { yield lines.map((text, i) => ({ number: i + 1, text })); })(), { id: `IDS-${PREF}`, type: "ids_sensor", organizationId: PREF });
  expect(r.rejected).toEqual([]);
  await es().indices.refresh({ index: aliasName("ids") });
});

describe(RULE, () => {
  it("escalates alerts on registered terminals with operator activity nearby and aggregates routine noise", async () => {
    const { alerts } = await detect(RULE, at(day(0), "00:00"), at(day(5), "00:00"));
    const byEntity = new Map(alerts.map((a) => [`${a.entity.type}:${a.entity.id}`, a]));
    expect([...byEntity.keys()].sort()).toEqual(["host:172.16.7.7", `terminal:TM-${SHIMONOSEKI}-02`, `terminal:TM-${SHIMONOSEKI}-03`, `terminal:TM-${YAMAGUCHI}-01`]);

    const attacked = byEntity.get(`terminal:TM-${SHIMONOSEKI}-02`)!;
    expect(attacked.organization.id).toBe(SHIMONOSEKI);
    expect(attacked.severity).toBe("critical");
    expect(attacked.window.start).toBe(new Date(at(day(1), "00:00")).toISOString());
    const ae = attacked.evidence as any;
    expect(ae.counts).toMatchObject({ ids_alerts: 3, min_severity: 1, operators_nearby: 1 });
    expect(ae.counts.operator_events_nearby).toBeGreaterThan(10);
    expect(Object.keys(ae.operator_activity.users)).toEqual([`OP-${SHIMONOSEKI}-002`]);
    expect(ae.peers).toEqual({ "10.35.201.250": 3 });
    expect(ae.sample_events).toHaveLength(3);

    const beacon = byEntity.get(`terminal:TM-${YAMAGUCHI}-01`)!;
    expect(beacon.organization.id).toBe(YAMAGUCHI);
    expect(beacon.severity).toBe("high");
    expect((beacon.evidence as any).counts).toMatchObject({ ids_alerts: 1, operator_events_nearby: 0 });

    const scanned = byEntity.get(`terminal:TM-${SHIMONOSEKI}-03`)!;
    expect(scanned.severity).toBe("medium");
    expect((scanned.evidence as any).counts.operator_events_nearby).toBe(0);

    const flood = byEntity.get("host:172.16.7.7")!;
    expect(flood.organization.id).toBe(PREF);
    expect(flood.severity).toBe("low");
    expect((flood.evidence as any).counts.ids_alerts).toBe(60);
  });

  it("creates no new alerts when rerun", async () => {
    const again = await detect(RULE, at(day(1), "06:00"), at(day(3), "18:00"));
    expect(again.summary.created).toBe(0);
    expect(again.summary.alerts).toBe(4);
  });
});

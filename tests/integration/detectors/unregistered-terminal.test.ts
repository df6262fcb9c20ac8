import { beforeAll, describe, expect, it } from "vitest";
import { at, businessWeek, DATES, detect, ev, ingest, ingestSystemActivity, PREF, resident, SHIMONOSEKI, useFixtureRegistry, WAKI, YAMAGUCHI } from "./harness";

const RULE = "unregistered-terminal";
const day = businessWeek(DATES[RULE].start);
const OP = (org: string, n: number) => `OP-${org}-${String(n).padStart(3, "0")}`;

/** A night batch by the prefecture's system account: no terminal at all. */
function serverBatch(t: string) {
  const e = ev({ t, org: PREF, action: "batch_provide", user: `SYS-${PREF}-BATCH`, records: 900, schedule: "5", item: "5-1", recipient: "pref-zeimu" });
  delete e.host;
  return e;
}

beforeAll(async () => {
  await useFixtureRegistry();
  const unknownHost = { user: OP(SHIMONOSEKI, 5), host: `TM-${SHIMONOSEKI}-99`, ip: "10.35.201.250" };
  const wrongIp = { org: YAMAGUCHI, user: OP(YAMAGUCHI, 3), host: `TM-${YAMAGUCHI}-02` };
  await ingest([
    // Must fire: a whole session from a host id that is not a registered terminal.
    ev({ t: at(day(1), "14:10"), action: "login", ...unknownHost, card: `IC-${SHIMONOSEKI}-005` }),
    ev({ t: at(day(1), "14:12"), ...unknownHost, resident: resident(1) }),
    ev({ t: at(day(1), "14:13"), action: "view", ...unknownHost, resident: resident(1) }),
    ev({ t: at(day(1), "14:20"), action: "logout", ...unknownHost }),
    // Must fire: a registered terminal id used from two addresses that are not its registered 10.35.203.12.
    ev({ t: at(day(2), "10:30"), ...wrongIp, ip: "10.35.203.251", resident: resident(2) }),
    ev({ t: at(day(2), "10:35"), action: "view", ...wrongIp, ip: "10.35.203.251", resident: resident(2) }),
    ev({ t: at(day(2), "11:05"), ...wrongIp, ip: "10.35.203.252", resident: resident(3) }),
    // Must fire: a 和木町 operator working on a terminal registered to 下関市.
    ev({ t: at(day(3), "09:40"), org: WAKI, user: OP(WAKI, 1), host: `TM-${SHIMONOSEKI}-01`, ip: "10.35.201.11", resident: resident(4) }),
    // Hard negatives: registered terminals from their registered address or without an address,
    // and server-side batch work by a system account (no terminal).
    ev({ t: at(day(1), "10:00"), user: OP(SHIMONOSEKI, 1), host: `TM-${SHIMONOSEKI}-01`, ip: "10.35.201.11", resident: resident(5) }),
    ev({ t: at(day(1), "10:05"), user: OP(SHIMONOSEKI, 2), host: `TM-${SHIMONOSEKI}-02`, resident: resident(6) }),
    ev({ t: at(day(2), "09:00"), org: YAMAGUCHI, user: OP(YAMAGUCHI, 1), host: `TM-${YAMAGUCHI}-02`, ip: "10.35.203.12", resident: resident(7) }),
    serverBatch(at(day(2), "02:00")),
    serverBatch(at(day(3), "02:00")),
    // Hard negative: a registry account of kind system working from an address no terminal is registered at.
    ev({ t: at(day(3), "03:00"), org: PREF, action: "notify", user: `SYS-${PREF}-BATCH`, host: null, ip: "10.35.100.240", records: 0 }),
  ]);
  // Hard negative: the resident-records system's updates without an operator (system activity, §1), sent from its own server's address.
  await ingestSystemActivity([
    ev({ t: at(day(3), "20:00"), action: "update", user: null, host: null, ip: "10.35.201.240", resident: resident(8) }),
    ev({ t: at(day(3), "20:01"), action: "update", user: null, host: `RR-${SHIMONOSEKI}`, ip: "10.35.201.240", resident: resident(9) }),
  ]);
});

describe(RULE, () => {
  it("fires on unregistered hosts, wrong addresses and other organisations' terminals, not on registered use or server batches", async () => {
    const { alerts } = await detect(RULE, at(day(0), "00:00"), at(day(6), "00:00"));
    const key = (a: (typeof alerts)[number]) => `${a.organization.id}/${a.entity.type}/${a.entity.id}`;
    expect(alerts.map(key).sort()).toEqual([
      `${SHIMONOSEKI}/host/TM-${SHIMONOSEKI}-99`,
      `${YAMAGUCHI}/terminal/TM-${YAMAGUCHI}-02`,
      `${WAKI}/terminal/TM-${SHIMONOSEKI}-01`,
    ].sort());

    const host = alerts.find((a) => a.entity.id === `TM-${SHIMONOSEKI}-99`)!;
    const e1 = host.evidence as any;
    expect(e1.reason).toBe("unregistered_host");
    expect(e1.counts).toMatchObject({ events: 4, login: 1, search: 1, view: 1, logout: 1 });
    expect(e1.users).toEqual([OP(SHIMONOSEKI, 5)]);
    expect(e1.sample_events).toHaveLength(4);

    const moved = alerts.find((a) => a.entity.id === `TM-${YAMAGUCHI}-02`)!;
    const e2 = moved.evidence as any;
    expect(e2.reason).toBe("address_mismatch");
    expect(e2.registered_ip).toBe("10.35.203.12");
    expect(e2.source_ips.sort()).toEqual(["10.35.203.251", "10.35.203.252"]);
    expect(e2.counts.events).toBe(3);

    const other = alerts.find((a) => a.organization.id === WAKI)!;
    expect((other.evidence as any).reason).toBe("other_organization");
  });

  it("evidence query reproduces the events and reruns create no new alerts", async () => {
    const again = await detect(RULE, at(day(0), "00:00"), at(day(6), "00:00"));
    expect(again.summary.created).toBe(0);
    const moved = again.alerts.find((a) => a.entity.id === `TM-${YAMAGUCHI}-02`)!;
    const q = (moved.evidence as any).query;
    const { es } = await import("../../../lib/es/client");
    expect((await es().count({ index: q.index, query: q.query })).count).toBe(3);
    const overlapping = await detect(RULE, at(day(2), "10:00"), at(day(2), "10:40"));
    expect(overlapping.summary.created).toBe(0);
    expect(overlapping.alerts.map((a) => a.entity.id)).toEqual([`TM-${YAMAGUCHI}-02`]);
  });
});

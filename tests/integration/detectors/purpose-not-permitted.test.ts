import { beforeAll, describe, expect, it } from "vitest";
import { at, businessWeek, DATES, detect, ev, ingest, PREF, resident, SHIMONOSEKI, useFixtureRegistry, YAMAGUCHI } from "./harness";

const RULE = "purpose-not-permitted";
const day = businessWeek(DATES[RULE].start);
const OP = (org: string, n: number) => `OP-${org}-${String(n).padStart(3, "0")}`;

beforeAll(async () => {
  await useFixtureRegistry();
  await ingest([
    // Must fire: a municipal clerk searching and viewing for 別表第5 item 5-1 (prefectural tax), not permitted to a municipality.
    ev({ t: at(day(1), "10:44"), user: OP(SHIMONOSEKI, 2), schedule: "5", item: "5-1", resident: resident(1) }),
    ev({ t: at(day(1), "10:45"), action: "view", user: OP(SHIMONOSEKI, 2), schedule: "5", item: "5-1", resident: resident(1) }),
    ev({ t: at(day(1), "10:50"), user: OP(SHIMONOSEKI, 2), schedule: "5", item: "5-1", resident: resident(2) }),
    ev({ t: at(day(1), "10:51"), action: "view", user: OP(SHIMONOSEKI, 2), schedule: "5", item: "5-1", resident: resident(2) }),
    // Must fire: a prefectural operator using ordinance-20, which the prefecture has not registered
    // (two ordinary tax look-ups the same day are permitted and not part of the alert).
    ev({ t: at(day(2), "14:21"), org: PREF, user: OP(PREF, 1), host: `TM-${PREF}-01`, schedule: "5", item: "5-1", resident: resident(3) }),
    ev({ t: at(day(2), "14:23"), org: PREF, user: OP(PREF, 1), host: `TM-${PREF}-01`, schedule: "5", item: "5-2", resident: resident(4) }),
    ev({ t: at(day(2), "14:25"), org: PREF, user: OP(PREF, 1), host: `TM-${PREF}-01`, schedule: "ordinance", item: "ordinance-20", resident: resident(5) }),
    ev({ t: at(day(2), "14:26"), org: PREF, action: "view", user: OP(PREF, 1), host: `TM-${PREF}-01`, schedule: "ordinance", item: "ordinance-20", resident: resident(5) }),
    ev({ t: at(day(2), "14:30"), org: PREF, user: OP(PREF, 1), host: `TM-${PREF}-01`, schedule: "ordinance", item: "ordinance-20", resident: resident(6) }),
    // Hard negatives: permitted purposes — 住基法 duties of municipalities ("*"), registered ordinance items,
    // night batches of the prefecture and national provisions under 別表第1 ("*").
    ev({ t: at(day(1), "09:00"), user: OP(SHIMONOSEKI, 1), schedule: "jukiho", item: "jukiho-7", resident: resident(7) }),
    ev({ t: at(day(1), "09:30"), org: YAMAGUCHI, user: OP(YAMAGUCHI, 1), schedule: "jukiho", item: "jukiho-2", resident: resident(8) }),
    ev({ t: at(day(2), "11:00"), org: PREF, user: OP(PREF, 2), host: `TM-${PREF}-01`, schedule: "ordinance", item: "ordinance-2", resident: resident(9) }),
    ev({ t: at(day(3), "02:00"), org: PREF, action: "batch_provide", user: `SYS-${PREF}-BATCH`, host: undefined, records: 900, schedule: "5", item: "5-3", recipient: "pref-zeimu" }),
    ev({ t: at(day(3), "10:00"), org: "000001", action: "provide", user: "SYS-000001-BATCH", schedule: "1", item: "1-7", resident: resident(10) }),
  ]);
});

describe(RULE, () => {
  it("fires on purposes the organisation is not permitted, not on registered ones", async () => {
    const { alerts } = await detect(RULE, at(day(0), "00:00"), at(day(6), "00:00"));
    expect(alerts.map((a) => `${a.organization.id}/${a.entity.id}`).sort()).toEqual([`${PREF}/${OP(PREF, 1)}`, `${SHIMONOSEKI}/${OP(SHIMONOSEKI, 2)}`]);

    const muni = alerts.find((a) => a.entity.id === OP(SHIMONOSEKI, 2))!;
    const e1 = muni.evidence as any;
    expect(muni.entity.type).toBe("operator");
    expect(e1.counts).toMatchObject({ events: 4, subjects: 2, search: 2, view: 2 });
    expect(e1.purposes).toEqual([{ schedule: "5", item: "5-1", events: 4 }]);
    expect(e1.registered_purposes).toEqual({ jukiho: ["*"] });

    const pref = alerts.find((a) => a.entity.id === OP(PREF, 1))!;
    const e2 = pref.evidence as any;
    expect(e2.counts.events).toBe(3);
    expect(e2.purposes).toEqual([{ schedule: "ordinance", item: "ordinance-20", events: 3 }]);
    expect(e2.sample_events).toHaveLength(3);
    expect(pref.summary).toContain("条例 ordinance-20");
  });

  it("evidence query reproduces the events and reruns create no new alerts", async () => {
    const again = await detect(RULE, at(day(0), "00:00"), at(day(6), "00:00"));
    expect(again.summary.created).toBe(0);
    const pref = again.alerts.find((a) => a.entity.id === OP(PREF, 1))!;
    const q = (pref.evidence as any).query;
    const { es } = await import("../../../lib/es/client");
    expect((await es().count({ index: q.index, query: q.query })).count).toBe(3);
    const overlapping = await detect(RULE, at(day(2), "14:00"), at(day(2), "15:00"));
    expect(overlapping.summary.created).toBe(0);
    expect(overlapping.alerts.map((a) => a.entity.id)).toEqual([OP(PREF, 1)]);
  });
});

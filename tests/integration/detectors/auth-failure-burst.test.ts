import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { at, businessWeek, DATES, detect, ev, FIXTURE_REGISTRY, ingest, plus, SHIMONOSEKI, useFixtureRegistry, YAMAGUCHI } from "./harness";

const RULE = "auth-failure-burst";
const day = businessWeek(DATES[RULE].start);
const OP = (org: string, n: number) => `OP-${org}-${String(n).padStart(3, "0")}`;
const CARD = (org: string, n: number) => `IC-${org}-${String(n).padStart(3, "0")}`;
const ADMIN = OP(SHIMONOSEKI, 1);

const fail = (t: string, org: string, n: number, host = `TM-${org}-01`) =>
  ev({ t, org, action: "auth_failure", outcome: "failure", user: OP(org, n), card: CARD(org, n), host });

beforeAll(async () => {
  // 下関市's operator 001 is the information-systems administrator (another department than the counter).
  await useFixtureRegistry({ operators: FIXTURE_REGISTRY.operators.map((o) => (o.id === ADMIN ? { ...o, department: "情報政策課" } : o)) });
  const t0 = at(day(1), "13:20");
  await ingest([
    // Must fire: six wrong passwords on one card within minutes, then the card is locked;
    // the administrator releases it in the afternoon from their own terminal.
    ...[0, 0.5, 1, 1.5, 2.2, 3].map((m) => fail(plus(t0, m), SHIMONOSEKI, 4)),
    ev({ t: plus(t0, 3.2), action: "card_locked", outcome: "success", user: OP(SHIMONOSEKI, 4), card: CARD(SHIMONOSEKI, 4) }),
    ev({ t: at(day(1), "15:38"), action: "login", user: ADMIN, card: CARD(SHIMONOSEKI, 1), host: `TM-${SHIMONOSEKI}-02` }),
    ev({ t: at(day(1), "15:39"), action: "card_unlocked", user: ADMIN, card: CARD(SHIMONOSEKI, 4), host: `TM-${SHIMONOSEKI}-02` }),
    ev({ t: at(day(1), "15:52"), action: "login", user: OP(SHIMONOSEKI, 4), card: CARD(SHIMONOSEKI, 4) }),
    // Must fire: one terminal, three colleagues' cards failing within eight minutes (one or two tries each).
    fail(at(day(2), "12:14"), SHIMONOSEKI, 2, `TM-${SHIMONOSEKI}-03`),
    fail(at(day(2), "12:16"), SHIMONOSEKI, 3, `TM-${SHIMONOSEKI}-03`),
    fail(at(day(2), "12:17"), SHIMONOSEKI, 3, `TM-${SHIMONOSEKI}-03`),
    fail(at(day(2), "12:21"), SHIMONOSEKI, 5, `TM-${SHIMONOSEKI}-03`),
    // Must fire: an operator releasing the lock of their own card.
    ev({ t: at(day(3), "10:00"), org: YAMAGUCHI, action: "card_unlocked", user: OP(YAMAGUCHI, 2), card: CARD(YAMAGUCHI, 2) }),
    // Hard negative: one mistyped password followed by a successful login on the same card.
    fail(at(day(2), "08:41"), YAMAGUCHI, 1),
    ev({ t: at(day(2), "08:41", 25), org: YAMAGUCHI, action: "login", user: OP(YAMAGUCHI, 1), card: CARD(YAMAGUCHI, 1) }),
    // Hard negative: two mistypes in the morning and two in the afternoon on one card (never three within ten minutes).
    fail(at(day(3), "09:00"), SHIMONOSEKI, 2),
    fail(at(day(3), "09:01"), SHIMONOSEKI, 2),
    fail(at(day(3), "15:00"), SHIMONOSEKI, 2),
    fail(at(day(3), "15:02"), SHIMONOSEKI, 2),
  ]);
});

afterAll(async () => {
  await useFixtureRegistry();
});

describe(RULE, () => {
  it("fires on a failure burst with lock, several cards on one terminal and a self-unlock; not on one mistype or scattered mistypes", async () => {
    const { alerts } = await detect(RULE, at(day(0), "00:00"), at(day(6), "00:00"));
    const key = (a: (typeof alerts)[number]) => `${a.organization.id}/${a.entity.type}/${a.entity.id}`;
    expect(alerts.map(key).sort()).toEqual(
      [`${SHIMONOSEKI}/card/${CARD(SHIMONOSEKI, 4)}`, `${SHIMONOSEKI}/terminal/TM-${SHIMONOSEKI}-03`, `${YAMAGUCHI}/card/${CARD(YAMAGUCHI, 2)}`].sort(),
    );

    const locked = alerts.find((a) => a.entity.id === CARD(SHIMONOSEKI, 4))!;
    const e1 = locked.evidence as any;
    expect(locked.severity).toBe("high");
    expect(e1.counts).toMatchObject({ failures: 6, max_failures_in_window: 6, locked: 1, unlocked: 1, improper_unlocks: 0 });
    expect(e1.owner).toBe(OP(SHIMONOSEKI, 4));
    expect(e1.unlocked_by).toEqual([ADMIN]);
    expect(e1.sample_events).toHaveLength(5);

    const terminal = alerts.find((a) => a.entity.type === "terminal")!;
    const e2 = terminal.evidence as any;
    expect(e2.counts).toMatchObject({ failures: 4, cards: 3, max_cards_in_window: 3 });
    expect(e2.cards).toEqual([CARD(SHIMONOSEKI, 2), CARD(SHIMONOSEKI, 3), CARD(SHIMONOSEKI, 5)]);

    const self = alerts.find((a) => a.entity.id === CARD(YAMAGUCHI, 2))!;
    expect((self.evidence as any).counts).toMatchObject({ failures: 0, locked: 0, improper_unlocks: 1 });
  });

  it("evidence query reproduces the events and reruns create no new alerts", async () => {
    const again = await detect(RULE, at(day(0), "00:00"), at(day(6), "00:00"));
    expect(again.summary.created).toBe(0);
    const locked = again.alerts.find((a) => a.entity.id === CARD(SHIMONOSEKI, 4))!;
    const q = (locked.evidence as any).query;
    const { es } = await import("../../../lib/es/client");
    expect((await es().count({ index: q.index, query: q.query })).count).toBe(8);
    const overlapping = await detect(RULE, at(day(1), "13:00"), at(day(1), "14:00"));
    expect(overlapping.summary.created).toBe(0);
  });
});

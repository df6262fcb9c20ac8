/**
 * The dashboard's event figures read from the six-hour tallies plus the edges' events equal those read from
 * the events alone, for a monitor and an officer, over a 6-hour and a daily histogram across a month's end;
 * and the tallies follow the events: late events in a tallied bucket, a month's index deleted and written
 * again with as many other events, several readers at once. Real Elasticsearch; dates of its own (2004).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../lib/auth/accounts";
import type { Principal } from "../../lib/auth/principal";
import { scopeOf, systemScope, type Scope } from "../../lib/auth/scope";
import { es } from "../../lib/es/client";
import { aliasName } from "../../lib/es/indices";
import { scopedCount } from "../../lib/es/scoped";
import { eventFigures, type Interval } from "../../domain/events/figures";
import { lookupQuery, lookupTallies } from "../../detectors/lookups";
import { loadRegistry } from "../../detectors/registry";
import { dailySeries } from "../../detectors/series";
import { at, ev, ingest, PREF, SHIMONOSEKI, useFixtureRegistry, WAKI, YAMAGUCHI } from "./detectors/harness";

const ORGS = [SHIMONOSEKI, YAMAGUCHI, WAKI, PREF];
const ACTIONS = ["search", "view", "update", "login"];
/** A deterministic generator (the same events on every run). */
function lcg(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** `n` events from a JST day on, spread over every hour, organisations, operators and actions (some failed sign-ins without one). */
function events(n: number, seed: number, fromDay: string, days: number, operators = 3) {
  const rnd = lcg(seed);
  const start = Date.parse(at(fromDay, "00:00"));
  return Array.from({ length: n }, () => {
    const org = ORGS[Math.floor(rnd() * ORGS.length)];
    const t = new Date(start + Math.floor(rnd() * days * 86_400_000)).toISOString();
    const action = ACTIONS[Math.floor(rnd() * ACTIONS.length)];
    const who = Math.floor(rnd() * (operators + 1));
    // One in (operators + 1) is a failed sign-in that names no operator.
    return who === operators ? ev({ t, org, action: "auth_failure", user: null }) : ev({ t, org, action, user: `OP-${org}-00${who + 1}` });
  });
}

type Ev = ReturnType<typeof ev>;
let monitor: Scope, officer: Scope;
const SIX_HOURS = { from: new Date(at("2004-08-28", "03:17")).toISOString(), to: new Date(at("2004-09-03", "14:42")).toISOString() };
const DAILY = { from: new Date(at("2004-08-10", "05:00")).toISOString(), to: new Date(at("2004-09-09", "07:30")).toISOString() };

async function principal(loginId: string, role: Principal["role"], organizationId: string): Promise<Scope> {
  const u = await createUser({ loginId, name: loginId, role, organizationId, password: "tallies integration password" });
  return scopeOf({ kind: "user", id: u.id, login: String(u.id), role, organizationId });
}

const total = (f: Awaited<ReturnType<typeof eventFigures>>) =>
  f.overTime.reduce((sum, row) => sum + Object.entries(row).reduce((s, [k, v]) => (k === "t" ? s : s + (v as number)), 0), 0);

/** Both ways, for one scope, range and interval: equal, and returned for further checks. */
async function same(scope: Scope, range: { from: string; to: string }, interval: Interval) {
  const tallied = await eventFigures(scope, range, interval);
  const direct = await eventFigures(scope, range, interval, { tallies: false });
  expect(tallied.source).toBe("tallies");
  expect(direct.source).toBe("events");
  expect({ ...tallied, source: "-" }).toEqual({ ...direct, source: "-" });
  return tallied;
}

const inRange = (list: Ev[], r: { from: string; to: string }, orgs = ORGS) =>
  list.filter((e) => orgs.includes(e.organization.id) && Date.parse(e["@timestamp"]) >= Date.parse(r.from) && Date.parse(e["@timestamp"]) < Date.parse(r.to))
    .length;

const all: Ev[] = [];

beforeAll(async () => {
  await useFixtureRegistry();
  monitor = await principal("tallies-monitor", "monitor", PREF);
  officer = await principal("tallies-officer", "municipal_officer", SHIMONOSEKI);
  all.push(...events(3000, 7, "2004-08-08", 33));
  await ingest(all);
});

describe("dashboard figures from the tallies", () => {
  it("equal those read from the events, for a monitor and an officer, 6-hour and daily bars across a month's end", async () => {
    const six = await same(monitor, SIX_HOURS, "6h");
    expect(total(six)).toBe(inRange(all, SIX_HOURS));
    expect(six.overTime.length).toBeGreaterThan(24);
    const daily = await same(monitor, DAILY, "1d");
    expect(total(daily)).toBe(inRange(all, DAILY));
    expect(daily.topOperators).toHaveLength(10);
    for (const o of daily.topOperators) expect(o.events).toBe(all.filter((e) => e.user?.id === o.operator && inRange([e], DAILY) === 1).length);
    expect(daily.byOrganization.map((o) => o.organization).sort()).toEqual([...ORGS].sort());
    const mine = await same(officer, DAILY, "1d");
    expect(total(mine)).toBe(inRange(all, DAILY, [SHIMONOSEKI]));
    expect(mine.byOrganization.map((o) => o.organization)).toEqual([SHIMONOSEKI]);
    // The whole buckets really came from the tallies: both months are tallied.
    for (const month of ["2004.08", "2004.09"]) expect(await scopedCount(systemScope("test"), "tallies", { term: { month } })).toBeGreaterThan(0);
  });

  it("follow late events in a bucket already tallied, and lift an operator busy only at the range's end", async () => {
    // 40 late events at 下関市 on 2004-08-20 (a tallied bucket), and a new operator with 400 events in the last partial bucket.
    const late = events(40, 11, "2004-08-20", 1).map((e) => ({
      ...e,
      organization: { id: SHIMONOSEKI },
      observer: { id: `CS-${SHIMONOSEKI}`, type: "municipal_cs" },
    }));
    const busy = Array.from({ length: 400 }, (_, i) =>
      ev({ t: new Date(Date.parse(at("2004-09-09", "06:05")) + i * 1000).toISOString(), org: WAKI, user: "OP-353213-009" }),
    );
    all.push(...late, ...busy);
    await ingest([...late, ...busy]);
    const daily = await same(monitor, DAILY, "1d");
    expect(total(daily)).toBe(inRange(all, DAILY));
    expect(daily.topOperators[0]).toEqual({ operator: "OP-353213-009", organization: WAKI, events: 400 });
    const officerDaily = await same(officer, DAILY, "1d");
    expect(total(officerDaily)).toBe(inRange(all, DAILY, [SHIMONOSEKI]));
  });

  it("are not mixed with a month deleted and written again with as many other events", async () => {
    const index = `${aliasName("events")}-2004.08`;
    const august = all.filter((e) => e["@timestamp"] < new Date(at("2004-09-01", "00:00")).toISOString());
    await es().indices.delete({ index });
    // As many events in August as before, other organisations' and operators' (seed 13; five operators each).
    const again = events(august.length, 13, "2004-08-08", 24, 5);
    await ingest(again);
    all.splice(0, all.length, ...all.filter((e) => !august.includes(e)), ...again);
    const daily = await same(monitor, DAILY, "1d");
    expect(total(daily)).toBe(inRange(all, DAILY));
    // Each operator listed has the events the new August gives them (stale tallies would add the old ones).
    for (const o of daily.topOperators) expect(o.events).toBe(all.filter((e) => e.user?.id === o.operator && inRange([e], DAILY) === 1).length);
    // The earlier generation's tallies of August are gone.
    const uuid = Object.values(await es().indices.getSettings({ index }))[0]?.settings?.index?.uuid as string;
    expect(
      await scopedCount(systemScope("test"), "tallies", { bool: { filter: [{ term: { month: "2004.08" } }], must_not: [{ term: { generation: uuid } }] } }),
    ).toBe(0);
  });

  it("give every reader the same figures when several bring them up to date at once", async () => {
    const more = events(300, 17, "2004-08-15", 10);
    all.push(...more);
    await ingest(more);
    const direct = { ...(await eventFigures(monitor, DAILY, "1d", { tallies: false })), source: "tallies" as const };
    const results = await Promise.all([monitor, monitor, officer, monitor].map((s) => eventFigures(s, DAILY, "1d")));
    for (const r of [results[0], results[1], results[3]]) expect(r).toEqual(direct);
    expect(results[2]).toEqual({ ...(await eventFigures(officer, DAILY, "1d", { tallies: false })), source: "tallies" });
    expect(total(direct)).toBe(inRange(all, DAILY));
  });

  it("give operator-volume-spike's daily look-up series, whole buckets from the tallies and the window's last hours from the events", async () => {
    const registry = await loadRegistry();
    // A scheduler pass at 15:10 JST: the window is the day so far, the series its 28 days before too.
    const ctx = {
      scope: systemScope("test"),
      window: { from: new Date(at("2004-09-05", "00:00")), to: new Date(at("2004-09-05", "15:10")) },
      params: () => ({ baselineDays: 28 }),
    };
    const read = async (tallied: boolean) =>
      (await dailySeries(ctx, "user.id", [lookupQuery(registry)], { lookups: "events" }, tallied ? lookupTallies(registry) : undefined))
        .map((s) => ({ org: s.org, id: s.id, days: [...s.days.lookups].sort(([a], [b]) => (a < b ? -1 : 1)) }))
        .sort((a, b) => (a.org + a.id < b.org + b.id ? -1 : 1));
    const direct = await read(false);
    expect(await read(true)).toEqual(direct);
    // Look-ups of the fixture's person accounts only, on 29 days at most (the 28 before and the day so far).
    const lookups = all.filter(
      (e) =>
        ["search", "view"].includes(e.event.action) &&
        e.user &&
        Date.parse(e["@timestamp"]) >= ctx.window.from.getTime() - 28 * 86_400_000 &&
        Date.parse(e["@timestamp"]) < ctx.window.to.getTime(),
    );
    expect(direct.reduce((sum, s) => sum + s.days.reduce((d, [, n]) => d + n, 0), 0)).toBe(lookups.length);
  });
});

/**
 * The dashboard's node health: each node's newest arrival is the newest of all its events, whether it was heard from
 * in the last hour, the last two days, long ago or never, and an event stamped a little in the future (a node's clock
 * ahead) counts, also read long after intake stopped. Real Elasticsearch; four nodes of its own and dates of its own (2003).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { lastArrivalPerNode, nodeHealth } from "../../domain/node-health";
import { systemScope } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { ev, ingest, SHIMONOSEKI, useFixtureRegistry } from "./detectors/harness";

const NOW = Date.parse("2003-05-20T03:00:00Z");
const MIN = 60_000;
const DAY = 1_440 * MIN;
const node = (k: string) => `CS-${SHIMONOSEKI}-NH${k}`;
/** Minutes before NOW of each node's events (negative: after NOW). */
const ARRIVALS: Record<string, number[]> = {
  A: [200, 10, (3 * DAY) / MIN, -5],
  B: [DAY / MIN, (3 * DAY) / MIN, 2_000],
  C: [(20 * DAY) / MIN, (40 * DAY) / MIN],
  D: [],
};

beforeAll(async () => {
  await useFixtureRegistry();
  for (const k of Object.keys(ARRIVALS))
    await db().node.upsert({
      where: { id: node(k) },
      create: { id: node(k), type: "municipal_cs", organizationId: SHIMONOSEKI, expectedIntervalMinutes: 60 },
      update: {},
    });
  await ingest(
    Object.entries(ARRIVALS).flatMap(([k, minutes]) => minutes.map((m) => ev({ t: new Date(NOW - m * MIN).toISOString(), node: node(k), action: "login" }))),
  );
});

describe("node health", () => {
  it("finds each node's newest event however long ago it arrived, and none for a node never heard from", async () => {
    const nodes = Object.keys(ARRIVALS).map(node);
    const last = await lastArrivalPerNode(systemScope("ingest"), nodes, NOW);
    const expected = new Map(
      Object.entries(ARRIVALS)
        .filter(([, m]) => m.length)
        .map(([k, m]) => [node(k), NOW - Math.min(...m) * MIN]),
    );
    expect(last).toEqual(expected);
  });

  it("marks the nodes silent past their interval and grace, at the dashboard's own read", async () => {
    const health = await nodeHealth(systemScope("ingest"), NOW);
    const row = (k: string) => health.nodes.find((n) => n.node === node(k));
    expect(row("A")).toMatchObject({ silent: false, lastEvent: new Date(NOW + 5 * MIN).toISOString() });
    expect(row("B")).toMatchObject({ silent: true, silentMinutes: 1_440 });
    expect(row("C")).toMatchObject({ silent: true, silentMinutes: 20 * 1_440 });
    expect(row("D")).toMatchObject({ lastEvent: null, silentMinutes: null });
  });

  it("reads the same last arrivals a month after intake stopped (its lookbacks start at the last arrival, not now)", async () => {
    const later = NOW + 30 * DAY;
    const health = await nodeHealth(systemScope("ingest"), later);
    const lastEvent = (k: string) => health.nodes.find((n) => n.node === node(k))?.lastEvent;
    expect(lastEvent("A")).toBe(new Date(NOW + 5 * MIN).toISOString());
    expect(lastEvent("B")).toBe(new Date(NOW - DAY).toISOString());
    expect(lastEvent("C")).toBe(new Date(NOW - 20 * DAY).toISOString());
    expect(lastEvent("D")).toBeNull();
    expect(health.nodes.find((n) => n.node === node("C"))?.silentMinutes).toBe(50 * 1_440);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { runScheduledOnce } from "../../detectors/scheduler";
import { db } from "../../lib/db";
import { at, businessWeek, DATES, ev, ingest, resident, SHIMONOSEKI, useFixtureRegistry } from "./detectors/harness";

const RULE = "after-hours-access";
// Two weeks into the engine's period, clear of the other engine tests.
const day = businessWeek(new Date(Date.parse(`${DATES.engine.start}T00:00:00Z`) + 14 * 86_400_000).toISOString().slice(0, 10));

beforeAll(async () => {
  await useFixtureRegistry();
  await db().detectorCheckpoint.deleteMany({ where: { ruleId: RULE } });
  await ingest([ev({ t: at(day(1), "22:10"), user: `OP-${SHIMONOSEKI}-005`, resident: resident(7001) })]);
});

describe("scheduled detection", () => {
  it("keeps a checkpoint so that the next pass (also after a restart) neither skips nor repeats a window", async () => {
    const now1 = new Date(at(day(1), "23:00"));
    const [first] = await runScheduledOnce(now1, undefined, [RULE]);
    expect(first.created).toBe(1);
    expect(first.to).toEqual(new Date(now1.getTime() - 2 * 60_000));
    const cp = await db().detectorCheckpoint.findUniqueOrThrow({ where: { ruleId: RULE } });
    expect(cp.coveredTo).toEqual(first.to);

    // A new pass five minutes later, as a restarted worker would do: the window starts
    // before the checkpoint (overlap for late events) and after the previous start.
    const now2 = new Date(now1.getTime() + 5 * 60_000);
    await ingest([ev({ t: at(day(1), "22:57"), user: `OP-${SHIMONOSEKI}-005`, resident: resident(7002) })]);
    const [second] = await runScheduledOnce(now2, undefined, [RULE]);
    expect(second.from.getTime()).toBeLessThanOrEqual(first.to.getTime());
    expect(second.from.getTime()).toBeGreaterThan(first.from.getTime());
    expect(second.created).toBe(0);
    expect(second.alerts).toBe(1);
    const runs = await db().detectorRun.findMany({ where: { ruleId: RULE, trigger: "schedule" }, orderBy: { id: "asc" } });
    expect(runs.slice(-2).map((r) => r.error)).toEqual([null, null]);
  });

  it("records a gap when the worker was away longer than the catch-up limit", async () => {
    const now3 = new Date(Date.parse(at(day(1), "23:05")) + 9 * 86_400_000);
    const [third] = await runScheduledOnce(now3, undefined, [RULE]);
    expect(third.gap).toBeDefined();
    const gap = await db().detectorRun.findFirst({ where: { ruleId: RULE, error: { startsWith: "gap" } } });
    expect(gap?.from).toEqual(third.gap!.from);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDetectors } from "../../detectors/engine";
import { db } from "../../lib/db";
import { systemScope } from "../../lib/auth/scope";
import { addException, addSuppression } from "../../domain/registry/suppressions";
import { at, businessWeek, DATES, ev, ingest, resident, SHIMONOSEKI, useFixtureRegistry, YAMAGUCHI } from "./detectors/harness";

const RULE = "after-hours-access";
// Four weeks into the engine's period, clear of the other engine tests.
const day = businessWeek(new Date(Date.parse(`${DATES.engine.start}T00:00:00Z`) + 28 * 86_400_000).toISOString().slice(0, 10));
const window = { from: new Date(at(day(0), "00:00")), to: new Date(at(day(5), "00:00")) };

beforeAll(async () => {
  await useFixtureRegistry();
  await ingest([
    ev({ t: at(day(1), "21:00"), user: `OP-${SHIMONOSEKI}-001`, resident: resident(8001) }),
    ev({ t: at(day(1), "21:30"), user: `OP-${SHIMONOSEKI}-002`, resident: resident(8002) }),
    ev({ t: at(day(2), "22:00"), org: YAMAGUCHI, user: `OP-${YAMAGUCHI}-001`, resident: resident(8003) }),
  ]);
});

// The exception and suppression must not leak into other test files sharing the database.
afterAll(async () => {
  await db().ruleException.deleteMany({ where: { createdBy: "test" } });
  await db().suppression.deleteMany({ where: { createdBy: "test" } });
});

describe("detector engine", () => {
  it("drops standing exceptions and suppressed entities, and caps a run while recording what it dropped", async () => {
    await addException(
      { ruleId: "*", entityType: "operator", entityId: `OP-${SHIMONOSEKI}-001`, reason: "batch terminal operator" },
      "test",
      systemScope("test"),
    );
    await addSuppression(
      { ruleId: RULE, entityType: "operator", entityId: `OP-${YAMAGUCHI}-001`, until: new Date(Date.now() + 86_400_000), reason: "overtime approved" },
      "test",
      systemScope("test"),
    );
    const capped = await runDetectors(window, { rules: [RULE], trigger: "test", maxAlertsPerRun: 0 });
    expect(capped.rules[0]).toMatchObject({ alerts: 0, suppressed: 2, dropped: 1 });
    const run = await db().detectorRun.findFirst({ where: { ruleId: RULE, trigger: "test" }, orderBy: { id: "desc" } });
    expect(run).toMatchObject({ dropped: 1, suppressed: 2, error: "cap reached: 1 alerts dropped" });

    const full = await runDetectors(window, { rules: [RULE], trigger: "test" });
    expect(full.rules[0]).toMatchObject({ alerts: 1, created: 1, suppressed: 2, dropped: 0 });
  });

  it("refuses unknown rule ids and empty windows", async () => {
    await expect(runDetectors(window, { rules: ["no-such-rule"] })).rejects.toThrow(/unknown rule id/);
    await expect(runDetectors({ from: window.to, to: window.from })).rejects.toThrow(/before/);
  });
});

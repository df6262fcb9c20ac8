import { describe, expect, it } from "vitest";
import { parseSteps, releaseBlockers, serializeSteps, slippage, STEPS } from "./slippage";

describe("system-work steps", () => {
  it("parses every step in order, dropping unknown steps and bad dates", () => {
    const s = parseSteps(
      JSON.stringify([{ step: "work_end", plannedAt: "2026-01-10T09:00:00+09:00" }, { step: "bogus" }, { step: "work_start", plannedAt: "nope" }]),
    );
    expect(s.map((x) => x.step)).toEqual([...STEPS]);
    expect(s[0].plannedAt).toBeNull();
    expect(s[5].plannedAt).toBe("2026-01-10T00:00:00.000Z");
    expect(parseSteps("{not json")).toHaveLength(STEPS.length);
    expect(parseSteps(serializeSteps(s))).toEqual(s);
  });

  it("counts days late in JST calendar days, early as negative, and an unfinished due step as overdue", () => {
    const now = new Date("2026-01-20T12:00:00+09:00");
    const steps = parseSteps(
      JSON.stringify([
        // planned 23:30 JST on the 5th, done 00:30 JST on the 6th: one JST day late although one hour apart
        { step: "work_start", plannedAt: "2026-01-05T23:30:00+09:00", actualAt: "2026-01-06T00:30:00+09:00" },
        { step: "link_control_set", plannedAt: "2026-01-06T09:00:00+09:00", actualAt: "2026-01-06T18:00:00+09:00" },
        { step: "operation_test", plannedAt: "2026-01-10T09:00:00+09:00", actualAt: "2026-01-08T09:00:00+09:00" },
        { step: "test_data_delete", plannedAt: "2026-01-15T09:00:00+09:00" },
        { step: "link_control_release", plannedAt: "2026-01-25T09:00:00+09:00" },
      ]),
    );
    const r = slippage(steps, now);
    expect(r.map((x) => [x.step, x.daysLate, x.late, x.overdue])).toEqual([
      ["work_start", 1, true, false],
      ["link_control_set", 0, false, false],
      ["operation_test", -2, false, false],
      ["test_data_delete", 5, true, true],
      ["link_control_release", null, false, false],
      ["work_end", null, false, false],
    ]);
  });

  it("refuses release without both confirmations, naming each missing one", () => {
    const base = {
      linkControlSetAt: new Date(),
      linkControlReleasedAt: null,
      testsEndedAt: null,
      testsEndedBy: null,
      testDataDeletedAt: null,
      testDataDeletedBy: null,
    };
    expect(releaseBlockers(base)).toEqual(["tests_not_ended", "test_data_not_deleted"]);
    expect(releaseBlockers({ ...base, testsEndedAt: new Date(), testsEndedBy: "山田" })).toEqual(["test_data_not_deleted"]);
    expect(releaseBlockers({ ...base, testsEndedAt: new Date(), testsEndedBy: "山田", testDataDeletedAt: new Date(), testDataDeletedBy: "" })).toEqual([
      "test_data_not_deleted",
    ]);
    expect(releaseBlockers({ ...base, testsEndedAt: new Date(), testsEndedBy: "山田", testDataDeletedAt: new Date(), testDataDeletedBy: "佐藤" })).toEqual([]);
    expect(releaseBlockers({ ...base, linkControlSetAt: null })).toEqual(["not_set"]);
    expect(releaseBlockers({ ...base, linkControlReleasedAt: new Date() })).toEqual(["already_released"]);
  });
});

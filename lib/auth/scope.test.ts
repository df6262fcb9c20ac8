import { describe, expect, it } from "vitest";
import { grantsFilter, Scope, systemScope } from "./scope";

const period = { from: new Date("2026-06-01T00:00:00+09:00"), to: new Date("2026-07-01T00:00:00+09:00") };

describe("grantsFilter", () => {
  it("filters by the organisations when none is limited in time", () => {
    expect(
      grantsFilter(
        new Map([
          ["352039", []],
          ["352012", []],
        ]),
        "events",
      ),
    ).toEqual([{ terms: { "organization.id": ["352012", "352039"] } }]);
  });
  it("limits an organisation granted for a period to that period, on @timestamp for events and the window for alerts", () => {
    const grants = new Map([
      ["352012", [period]],
      ["352039", []],
    ]);
    expect(grantsFilter(grants, "events")).toEqual([
      {
        bool: {
          should: [
            { terms: { "organization.id": ["352039"] } },
            {
              bool: {
                filter: [
                  { term: { "organization.id": "352012" } },
                  { range: { "@timestamp": { gte: "2026-05-31T15:00:00.000Z", lt: "2026-06-30T15:00:00.000Z" } } },
                ],
              },
            },
          ],
          minimum_should_match: 1,
        },
      },
    ]);
    const alerts = grantsFilter(new Map([["352012", [period]]]), "alerts");
    expect(JSON.stringify(alerts)).toContain('"window.end":{"gt":"2026-05-31T15:00:00.000Z"}');
    expect(JSON.stringify(alerts)).toContain('"window.start":{"lt":"2026-06-30T15:00:00.000Z"}');
    // Tallies count a whole six-hour bucket stamped with its start: only buckets ending by the period's end.
    const tallies = grantsFilter(new Map([["352012", [period]]]), "tallies");
    expect(JSON.stringify(tallies)).toContain('"@timestamp":{"gte":"2026-05-31T15:00:00.000Z","lte":"2026-06-30T09:00:00.000Z"}');
  });
  it("matches nothing for no organisation", () => {
    expect(grantsFilter(new Map(), "ids")).toEqual([{ bool: { must_not: { match_all: {} } } }]);
  });
});

describe("Scope", () => {
  it("cannot be made outside its module", () => {
    expect(() => new Scope(Symbol("scope"), "forged", null)).toThrow(/scopeOf\(\) or systemScope\(\)/);
  });
  it("a system scope is named, sees every organisation and adds no filter", () => {
    const s = systemScope("detector");
    expect(s.label).toBe("system:detector");
    expect(s.isSystem).toBe(true);
    expect(s.includes("352012")).toBe(true);
    expect(s.where()).toEqual({});
    expect(s.esFilter("events")).toEqual([]);
    expect(s.recorded).toEqual(["*"]);
    const one = s.narrow("352012");
    expect(one.organizations).toEqual(["352012"]);
    expect(one.where()).toEqual({ organizationId: { in: ["352012"] } });
    expect(() => one.require("352039")).toThrow(/outside your scope/);
  });
});

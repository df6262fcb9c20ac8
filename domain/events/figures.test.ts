import { describe, expect, it } from "vitest";
import { finish, merge, type Partial } from "./figures";

const partial = (p: {
  overTime?: [number, string, Record<string, number>][];
  orgs?: Record<string, number>;
  ops?: Record<string, [number, string]>;
}): Partial => ({
  overTime: new Map((p.overTime ?? []).map(([k, t, a]) => [k, { t, actions: new Map(Object.entries(a)) }])),
  organizations: new Map(Object.entries(p.orgs ?? {})),
  operators: new Map(Object.entries(p.ops ?? {}).map(([id, [n, org]]) => [id, { events: n, organizations: new Map([[org, n]]) }])),
  truncated: false,
});

describe("merging tallies with the edges", () => {
  it("adds the histogram and organisations, zero-filling every action seen", () => {
    const tallies = partial({
      overTime: [
        [1, "d1", { search: 5 }],
        [2, "d2", { view: 2 }],
      ],
      orgs: { "352012": 7 },
    });
    const edges = partial({
      overTime: [
        [1, "d1", {}],
        [2, "d2", { search: 1 }],
      ],
      orgs: { "352012": 1, "352039": 3 },
    });
    const f = finish(merge(tallies, undefined, edges), "tallies");
    expect(f.overTime).toEqual([
      { t: "d1", search: 5, view: 0 },
      { t: "d2", search: 1, view: 2 },
    ]);
    expect(f.byOrganization).toEqual([
      { organization: "352012", events: 8 },
      { organization: "352039", events: 3 },
    ]);
  });

  it("lifts an operator outside the tallies' top list with their exact tallied events plus the edges', never counting the tallies twice", () => {
    // Tallies' top 10: OP-00 … OP-09 with 100 … 91 events; OP-99 has 90 tallied events (11th) and 20 at the edges.
    const top: Record<string, [number, string]> = {};
    for (let i = 0; i < 10; i++) top[`OP-0${i}`] = [100 - i, "352012"];
    const tallies = partial({ ops: top });
    const lookup = partial({ ops: { "OP-99": [90, "352039"], "OP-05": [95, "352012"] } });
    const edges = partial({ ops: { "OP-99": [20, "352039"], "OP-05": [1, "352012"] } });
    const f = finish(merge(tallies, lookup, edges), "tallies");
    expect(f.topOperators[0]).toEqual({ operator: "OP-99", organization: "352039", events: 110 });
    expect(f.topOperators.find((o) => o.operator === "OP-05")).toEqual({ operator: "OP-05", organization: "352012", events: 96 });
    expect(f.topOperators).toHaveLength(10);
    expect(f.topOperators.map((o) => o.operator)).not.toContain("OP-09");
  });

  it("breaks ties by id, as Elasticsearch's terms order does", () => {
    const f = finish(merge(partial({ orgs: { b: 2, a: 2, c: 3 }, ops: { y: [1, "o"], x: [1, "o"] } }), undefined, undefined), "tallies");
    expect(f.byOrganization.map((o) => o.organization)).toEqual(["c", "a", "b"]);
    expect(f.topOperators.map((o) => o.operator)).toEqual(["x", "y"]);
  });
});

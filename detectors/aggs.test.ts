import { describe, expect, it } from "vitest";
import { aggsOf, type Metric, type Terms } from "./aggs";

describe("aggsOf", () => {
  it("reads the aggregations a search returned", () => {
    const res = { aggregations: { busy: { buckets: [{ key: "a", doc_count: 3 }] } } };
    expect(aggsOf<{ busy: Terms }>(res).busy.buckets).toEqual([{ key: "a", doc_count: 3 }]);
  });

  it("reads every aggregation as empty when the search found no index (no `aggregations` in the answer)", () => {
    const a = aggsOf<{ busy: Terms; last: Metric; day: { doc_count: number } }>({});
    expect(a.busy.buckets).toEqual([]);
    expect(a.last.value).toBeNull();
    expect(a.day.doc_count).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { parseRange } from "./range";

describe("parseRange", () => {
  it("reads a date alone as a JST calendar day: from its start, to through its end", () => {
    expect(parseRange({ from: "2026-12-01", to: "2026-12-31" })).toEqual({
      from: "2026-11-30T15:00:00.000Z",
      to: "2026-12-31T15:00:00.000Z",
      key: "custom",
    });
  });

  it("keeps instants as given", () => {
    expect(parseRange({ from: "2026-12-01T09:00:00+09:00", to: "2026-12-01T10:00:00+09:00" })).toEqual({
      from: "2026-12-01T00:00:00.000Z",
      to: "2026-12-01T01:00:00.000Z",
      key: "custom",
    });
  });

  it("falls back to the last 30 days on a reversed range", () => {
    const now = Date.parse("2026-12-01T00:00:00Z");
    expect(parseRange({ from: "2026-12-31", to: "2026-12-01" }, now)).toEqual({ from: "2026-11-01T00:00:00.000Z", to: "2026-12-01T00:00:00.000Z", key: "30d" });
  });
});

import { describe, expect, it } from "vitest";
import { toIsoTimestamp } from "./eve";

describe("Suricata timestamps", () => {
  it("normalises microseconds and offsets without a colon to UTC milliseconds", () => {
    expect(toIsoTimestamp("2026-11-03T10:15:02.123456+0900")).toBe("2026-11-03T01:15:02.123Z");
    expect(toIsoTimestamp("2026-11-03T10:15:02+09:00")).toBe("2026-11-03T01:15:02.000Z");
    expect(toIsoTimestamp("2026-11-03T01:15:02.5Z")).toBe("2026-11-03T01:15:02.500Z");
  });
  it("refuses what it cannot read", () => {
    expect(toIsoTimestamp("03/11/2026 10:15")).toBeUndefined();
    expect(toIsoTimestamp("2026-11-03T10:15:02")).toBeUndefined();
  });
});

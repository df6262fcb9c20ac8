import { describe, expect, it } from "vitest";
import { monthsOf, splitRange, TALLY_BUCKET_MS, tallyBucketStart } from "./tallies";

const t = (s: string) => Date.parse(s);

describe("tally buckets", () => {
  it("start at JST 00:00, 06:00, 12:00 and 18:00", () => {
    expect(new Date(tallyBucketStart(t("2026-11-20T05:59:59.999+09:00"))).toISOString()).toBe("2026-11-19T15:00:00.000Z");
    expect(tallyBucketStart(t("2026-11-20T06:00:00+09:00"))).toBe(t("2026-11-20T06:00:00+09:00"));
    expect(tallyBucketStart(t("2026-11-20T23:30:00+09:00"))).toBe(t("2026-11-20T18:00:00+09:00"));
    expect(TALLY_BUCKET_MS).toBe(6 * 3600_000);
  });

  it("split a range into whole buckets and the partial ones at its ends", () => {
    expect(splitRange(t("2026-11-01T03:17:00+09:00"), t("2026-11-03T14:42:00+09:00"))).toEqual({
      interior: { from: t("2026-11-01T06:00:00+09:00"), to: t("2026-11-03T12:00:00+09:00") },
      edges: [
        { from: t("2026-11-01T03:17:00+09:00"), to: t("2026-11-01T06:00:00+09:00") },
        { from: t("2026-11-03T12:00:00+09:00"), to: t("2026-11-03T14:42:00+09:00") },
      ],
    });
    // Aligned ends: no edges.
    expect(splitRange(t("2026-11-01T00:00:00+09:00"), t("2026-11-02T00:00:00+09:00"))).toEqual({
      interior: { from: t("2026-11-01T00:00:00+09:00"), to: t("2026-11-02T00:00:00+09:00") },
      edges: [],
    });
    // No whole bucket: the range is one edge.
    expect(splitRange(t("2026-11-01T01:00:00+09:00"), t("2026-11-01T08:00:00+09:00"))).toEqual({
      edges: [{ from: t("2026-11-01T01:00:00+09:00"), to: t("2026-11-01T08:00:00+09:00") }],
    });
  });

  it("name the JST months a span touches, across a year's end", () => {
    expect(monthsOf({ from: t("2025-12-31T20:00:00+09:00"), to: t("2026-02-01T00:00:00+09:00") })).toEqual([
      { key: "2025.12", start: t("2025-12-01T00:00:00+09:00"), end: t("2026-01-01T00:00:00+09:00") },
      { key: "2026.01", start: t("2026-01-01T00:00:00+09:00"), end: t("2026-02-01T00:00:00+09:00") },
    ]);
  });
});

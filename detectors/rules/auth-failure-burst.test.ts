import { describe, expect, it } from "vitest";
import { densest } from "./auth-failure-burst";

const T0 = Date.parse("2026-06-01T04:00:00Z");
const at = (minute: number, n = 1, keys?: string[]) => ({ t: T0 + minute * 60_000, n, keys });

describe("auth-failure-burst densest window", () => {
  it("counts the most failures within the window", () => {
    expect(densest([at(0, 2), at(3, 1), at(9, 2), at(30, 4)], 10).value).toBe(5);
    expect(densest([at(0, 2), at(3, 1), at(9, 2), at(30, 4)], 5).value).toBe(4);
    // One mistype in the morning, two in the afternoon: never three within ten minutes.
    expect(densest([at(0), at(300), at(302)], 10).value).toBe(2);
  });

  it("counts distinct cards within the window", () => {
    const best = densest([at(0, 1, ["A"]), at(2, 2, ["B"]), at(6, 1, ["B", "C"]), at(40, 1, ["D"])], 15, "keys");
    expect(best).toMatchObject({ value: 3, start: T0, end: T0 + 7 * 60_000 });
  });
});

import { describe, expect, it } from "vitest";
import { overlaps, sessionsOf, type Minute } from "./concurrent-session";

const T0 = Date.parse("2026-06-01T00:00:00Z");
const m = (minute: number, extra: Partial<Minute> = {}): Minute => ({ t: T0 + minute * 60_000, n: 1, logins: 0, logouts: 0, anchors: 0, ...extra });

describe("concurrent-session sessions", () => {
  it("ends a session at a logout, at a new login and after an idle gap", () => {
    const s = sessionsOf([m(0, { logins: 1 }), m(5), m(10, { logouts: 1 }), m(12), m(20, { logins: 1 }), m(25), m(70)], 30);
    expect(s.map((x) => [(x.start - T0) / 60_000, (x.end - T0) / 60_000])).toEqual([
      [0, 11],
      [12, 13],
      [20, 26],
      [70, 71],
    ]);
  });

  it("finds overlapping sessions at different terminals, not consecutive ones", () => {
    const a = sessionsOf([m(0, { logins: 1 }), m(20), m(40, { logouts: 1 })], 30);
    const later = sessionsOf([m(44, { logins: 1 }), m(60, { logouts: 1 })], 30);
    expect(
      overlaps(
        new Map([
          ["TM-A", a],
          ["TM-B", later],
        ]),
      ),
    ).toEqual([]);
    const during = sessionsOf([m(15, { logins: 1 }), m(25, { logouts: 1 })], 30);
    const found = overlaps(
      new Map([
        ["TM-B", during],
        ["TM-A", a],
      ]),
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ hosts: ["TM-A", "TM-B"], minutes: 11 });
  });
});

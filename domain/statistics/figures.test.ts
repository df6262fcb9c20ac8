import { describe, expect, it } from "vitest";
import { figureCounts, figureLabel, figureQuery, FIGURES, SESSION_ACTIONS, USAGE_ACTIONS } from "./figures";

const period = { from: new Date("2026-04-01T00:00:00+09:00"), to: new Date("2027-04-01T00:00:00+09:00") };

describe("figures: one definition per figure", () => {
  it("uses are successful searches only, within the period", () => {
    expect(USAGE_ACTIONS).toEqual(["search"]);
    expect(figureQuery("uses", period)).toEqual({
      bool: {
        filter: [
          { range: { "@timestamp": { gte: "2026-03-31T15:00:00.000Z", lt: "2027-03-31T15:00:00.000Z" } } },
          { bool: { filter: [{ terms: { "event.action": ["search"] } }], must_not: [{ term: { "event.outcome": "failure" } }] } },
        ],
      },
    });
  });

  it("operator actions leave out sign-in and card records, so they are never the total of all records", () => {
    expect(SESSION_ACTIONS).toEqual(expect.arrayContaining(["login", "logout", "auth_failure", "card_locked"]));
    expect(JSON.stringify(FIGURES.operatorActions.filter())).toContain('"must_not":[{"terms":{"event.action":["login"');
    expect(FIGURES.allRecords.filter()).toEqual({ match_all: {} });
  });

  it("every figure has a name and says what it counts", () => {
    for (const id of Object.keys(FIGURES) as (keyof typeof FIGURES)[]) {
      expect(figureLabel(id)).toMatch(/\p{Script=Han}|\p{Script=Katakana}/u);
      expect(figureCounts(id).length).toBeGreaterThan(3);
    }
    expect(figureCounts("uses")).toContain("検索（成功）のみ");
    expect(figureLabel("allRecords")).not.toBe(figureLabel("operatorActions"));
  });
});

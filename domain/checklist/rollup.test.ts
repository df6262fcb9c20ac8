import { describe, expect, it } from "vitest";
import { countAnswers, rollupRound, scoreOf, type AssessmentAnswers } from "./rollup";
import type { ChecklistTemplate } from "./template";

const item = (id: string) => ({
  id,
  text: `${id} の点検項目`,
  guidance: "確認の観点",
  evidence: ["記録"],
  controls: [],
  rules: [],
  signals: [],
  allowNotApplicable: true,
});
const template = (fiscalYear: number, ids: Record<string, string[]>): ChecklistTemplate => ({
  version: `fy${fiscalYear}`,
  fiscalYear,
  title: "テスト用点検票",
  sources: ["test"],
  sections: Object.entries(ids).map(([id, items]) => ({ id, title: `${id} 区分`, items: items.map(item) })),
});

// Two sections: AAA (3 items), BBB (2 items).
const T = template(2026, { AAA: ["AAA-01", "AAA-02", "AAA-03"], BBB: ["BBB-01", "BBB-02"] });
const PREV = template(2025, { AAA: ["AAA-01", "AAA-02"], BBB: ["BBB-01", "BBB-02"] });
const deadline = new Date("2027-01-29T00:00:00+09:00");

const A: AssessmentAnswers = {
  organizationId: "352012",
  organizationName: "下関市",
  status: "accepted",
  // AAA: 実施, 一部, 未実施 → (1 + 0.5) / 3 = 50 %; BBB: 実施, 該当なし → 1 / 1 = 100 %; overall (2 + 0.5) / 4 = 62.5 %
  answers: { "AAA-01": "implemented", "AAA-02": "partial", "AAA-03": "not_implemented", "BBB-01": "implemented", "BBB-02": "not_applicable" },
};
const B: AssessmentAnswers = {
  organizationId: "352021",
  organizationName: "宇部市",
  status: "draft",
  // Half done: AAA: 一部, 一部 → 50 %; BBB unanswered → null; overall 50 %
  answers: { "AAA-01": "partial", "AAA-02": "partial" },
};
const C: AssessmentAnswers = { organizationId: "352039", organizationName: "山口市", status: "draft", answers: {} };
const D: AssessmentAnswers = {
  organizationId: "352063",
  organizationName: "岩国市",
  status: "returned",
  // AAA: 未実施 ×3 → 0 %; BBB: 実施 ×2 → 100 %; overall 2 / 5 = 40 %
  answers: { "AAA-01": "not_implemented", "AAA-02": "not_implemented", "AAA-03": "not_implemented", "BBB-01": "implemented", "BBB-02": "implemented" },
};

describe("checklist roll-up", () => {
  it("scores 実施 1, 一部実施 ½, 未実施 0, and leaves 該当なし and unanswered out", () => {
    expect(scoreOf(countAnswers(["implemented", "partial", "not_implemented", "not_applicable", null]))).toBe(50);
    expect(scoreOf(countAnswers(["not_applicable", undefined]))).toBeNull();
    expect(countAnswers(["implemented", "implemented", null])).toEqual({ implemented: 2, partial: 0, not_implemented: 0, not_applicable: 0, unanswered: 1 });
  });

  const previous = {
    template: PREV,
    assessments: [
      // 下関市 last year: 実施, 未実施, 実施, 実施 → 75 %; 宇部市 last year everything 実施 → 100 %
      { ...A, answers: { "AAA-01": "implemented", "AAA-02": "not_implemented", "BBB-01": "implemented", "BBB-02": "implemented" } } as AssessmentAnswers,
      {
        ...B,
        status: "accepted",
        answers: { "AAA-01": "implemented", "AAA-02": "implemented", "BBB-01": "implemented", "BBB-02": "implemented" },
      } as AssessmentAnswers,
    ],
  };
  const r = rollupRound({ template: T, assessments: [A, B, C, D], deadline, now: new Date("2027-02-01T00:00:00+09:00"), previous });

  it("counts progress by status, with an empty draft as not started, and overdue against the deadline", () => {
    expect(r.total).toBe(4);
    expect(r.progress).toEqual({ not_started: 1, draft: 1, submitted: 0, returned: 1, resubmitted: 0, accepted: 1 });
    // After the deadline: the two drafts and the returned one are overdue; the accepted one is not.
    expect(r.overdue).toBe(3);
    expect(r.municipalities.map((m) => [m.organizationId, m.overdue])).toEqual([
      ["352012", false],
      ["352021", true],
      ["352039", true],
      ["352063", true],
    ]);
    const early = rollupRound({ template: T, assessments: [A, B, C, D], deadline, now: new Date("2027-01-28T00:00:00+09:00") });
    expect(early.overdue).toBe(0);
  });

  it("scores each municipality and section, and averages sections over the municipalities that have a score", () => {
    const byOrg = Object.fromEntries(r.municipalities.map((m) => [m.organizationId, m]));
    expect(byOrg["352012"]).toMatchObject({ score: 62.5, answered: 5, total: 5, sections: { AAA: 50, BBB: 100 } });
    expect(byOrg["352021"]).toMatchObject({ score: 50, answered: 2, sections: { AAA: 50, BBB: null } });
    expect(byOrg["352039"]).toMatchObject({ score: null, answered: 0, progress: "not_started" });
    expect(byOrg["352063"]).toMatchObject({ score: 40, sections: { AAA: 0, BBB: 100 } });
    // Section averages count finished assessments only: 下関市 (accepted) alone; the draft and the returned one stay out.
    expect(r.sections).toEqual([
      { sectionId: "AAA", title: "AAA 区分", average: 50, scored: 1 },
      { sectionId: "BBB", title: "BBB 区分", average: 100, scored: 1 },
    ]);
    // With 岩国市 handed in again, it counts: AAA (50 + 0) / 2 = 25; BBB (100 + 100) / 2 = 100.
    const again = rollupRound({ template: T, assessments: [A, B, C, { ...D, status: "resubmitted" }], deadline });
    expect(again.sections.map((x) => [x.sectionId, x.average, x.scored])).toEqual([
      ["AAA", 25, 2],
      ["BBB", 100, 2],
    ]);
  });

  it("separates finished assessments from those in progress", () => {
    expect([r.finished, r.inProgress]).toEqual([1, 3]);
    expect(r.municipalities.map((m) => [m.organizationId, m.finished])).toEqual([
      ["352012", true],
      ["352021", false],
      ["352039", false],
      ["352063", false],
    ]);
    const submitted = rollupRound({ template: T, assessments: [{ ...B, status: "submitted" }, C], deadline });
    expect([submitted.finished, submitted.inProgress, submitted.municipalities[0].finished]).toEqual([1, 1, true]);
  });

  it("ranks the items most often 未実施 or 一部実施 in finished assessments", () => {
    // Only 下関市 is finished: AAA-03 未実施, AAA-02 一部 (more 未実施 first).
    expect(r.weakestItems.map((i) => [i.itemId, i.shortfall, i.counts.not_implemented, i.counts.partial])).toEqual([
      ["AAA-03", 1, 1, 0],
      ["AAA-02", 1, 0, 1],
    ]);
    // All four handed in: AAA-01: 一部(B) + 未実施(D) = 2; AAA-02: 一部(A) + 一部(B) + 未実施(D) = 3; AAA-03: 未実施(A, D) = 2
    const all = rollupRound({ template: T, assessments: [A, B, C, D].map((x) => ({ ...x, status: "submitted" as const })), deadline });
    expect(all.weakestItems.map((i) => [i.itemId, i.shortfall, i.counts.not_implemented, i.counts.partial])).toEqual([
      ["AAA-02", 3, 1, 2],
      ["AAA-03", 2, 2, 0],
      ["AAA-01", 2, 1, 1],
    ]);
  });

  it("compares each municipality with last year over last year's items", () => {
    const byOrg = Object.fromEntries(r.municipalities.map((m) => [m.organizationId, m]));
    expect(byOrg["352012"]).toMatchObject({ previousScore: 75, change: -12.5 });
    expect(byOrg["352021"]).toMatchObject({ previousScore: 100, change: -50 });
    expect(byOrg["352063"]).toMatchObject({ previousScore: null, change: null });
  });
});

describe("improvement plans in the roll-up", () => {
  const now = new Date("2026-12-01T12:00:00+09:00");
  const PREF: AssessmentAnswers = {
    organizationId: "350001",
    organizationName: "山口県",
    status: "submitted",
    answers: { "AAA-01": "partial" },
    plans: [
      { status: "in_progress", dueDate: new Date("2026-11-30T23:59:59+09:00") }, // overdue
      { status: "not_started", dueDate: new Date("2027-03-31T23:59:59+09:00") },
      { status: "done", dueDate: new Date("2026-06-30T23:59:59+09:00") }, // done: neither open nor overdue
    ],
  };
  const CITY: AssessmentAnswers = { ...A, plans: [{ status: "not_started", dueDate: new Date("2026-10-01T00:00:00+09:00") }] };
  const r = rollupRound({ template: T, assessments: [PREF, CITY, B], deadline, now });

  it("counts open and overdue plans per organisation, the prefecture's own assessment included", () => {
    const byOrg = Object.fromEntries(r.municipalities.map((m) => [m.organizationId, [m.openPlans, m.overduePlans]]));
    expect(byOrg).toEqual({ "350001": [2, 1], "352012": [1, 1], "352021": [0, 0] });
    expect([r.openPlans, r.overduePlans]).toEqual([3, 2]);
    expect(r.total).toBe(3);
  });

  it("a plan due later than now is open but not overdue", () => {
    const later = rollupRound({ template: T, assessments: [PREF], deadline, now: new Date("2026-11-01T00:00:00+09:00") });
    expect([later.openPlans, later.overduePlans]).toEqual([2, 0]);
  });
});

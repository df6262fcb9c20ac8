/**
 * Issue 18 item 3 against the real database: a round covers the prefecture's
 * own assessment (answered by its staff, reviewed by another member of its
 * staff, never by the one who answered), improvement plans for items answered
 * 未実施/一部実施, and open plans carried into the next year's round and
 * counted on its roll-up. Uses fiscal years no other test file opens.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthError, type Principal } from "../../lib/auth/principal";
import { createUser } from "../../lib/auth/accounts";
import { db } from "../../lib/db";
import { assessmentDocument, roundSummary } from "../../domain/checklist/documents";
import { addPlan, plansOfAssessment, updatePlan } from "../../domain/checklist/plans";
import { allItems, templateForYear } from "../../domain/checklist/template";
import { acceptAssessment, ChecklistError, getAssessment, openRound, saveAnswer, submitAssessment } from "../../domain/checklist/workflow";
import { renderAssessmentXlsx } from "../../reports/checklist/export";
import { PREF, SHIMONOSEKI, useFixtureRegistry, WAKI, YAMAGUCHI } from "./detectors/harness";
import ExcelJS from "exceljs";

const PASSWORD = "checklist plans integration password";
const FY = 2041;
let prefAdmin: Principal, monitor: Principal, officer: Principal;
const rounds: string[] = [];

async function user(loginId: string, role: Principal["role"], organizationId: string): Promise<Principal> {
  const u = await createUser({ loginId, name: loginId, role, organizationId, password: PASSWORD });
  return { kind: "user" as const, id: u.id, login: u.loginId, role, organizationId };
}
const code = async (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e) => (e instanceof ChecklistError ? e.code : e instanceof AuthError ? e.status : String(e)),
  );
const future = () => new Date(Date.now() + 30 * 86_400_000);

beforeAll(async () => {
  await useFixtureRegistry();
  prefAdmin = await user("cp-pref-admin", "admin", PREF);
  monitor = await user("cp-pref-monitor", "monitor", PREF);
  officer = await user("cp-shimonoseki", "municipal_officer", SHIMONOSEKI);
});

afterAll(async () => {
  const assessments = (await db().assessment.findMany({ where: { roundId: { in: rounds } }, select: { id: true } })).map((a) => a.id);
  await db().improvementPlan.deleteMany({ where: { assessmentId: { in: assessments } } });
  await db().assessmentHistory.deleteMany({ where: { assessmentId: { in: assessments } } });
  await db().assessmentAnswer.deleteMany({ where: { assessmentId: { in: assessments } } });
  await db().assessmentEvidence.deleteMany({ where: { assessmentId: { in: assessments } } });
  await db().assessment.deleteMany({ where: { id: { in: assessments } } });
  await db().checklistRound.deleteMany({ where: { id: { in: rounds } } });
});

/** Answers every item of an assessment: `shortfall` items as given, the rest 実施. */
async function answerAll(actor: Principal, assessmentId: string, shortfall: Record<string, "partial" | "not_implemented">) {
  const a = await getAssessment(actor, assessmentId, { history: false });
  for (const item of allItems(a.template)) await saveAnswer(actor, assessmentId, item.id, { answer: shortfall[item.id] ?? "implemented" });
}

describe("every organisation's self-inspection and improvement plans", () => {
  let prefA: string, cityA: string, planId: string, cityPlan: string;
  const T = () => templateForYear(FY);

  it("a round contains the prefecture's own assessment beside its municipalities'", async () => {
    const round = await openRound(monitor, { fiscalYear: FY, deadline: future(), carryOver: false });
    rounds.push(round.id);
    const orgs = (await db().assessment.findMany({ where: { roundId: round.id } })).map((a) => a.organizationId);
    expect(orgs).toEqual(expect.arrayContaining([PREF, SHIMONOSEKI, YAMAGUCHI, WAKI]));
    expect(orgs.filter((o) => o === PREF)).toHaveLength(1);
    const byOrg = await db().assessment.findMany({ where: { roundId: round.id, organizationId: { in: [PREF, SHIMONOSEKI] } } });
    prefA = byOrg.find((a) => a.organizationId === PREF)!.id;
    cityA = byOrg.find((a) => a.organizationId === SHIMONOSEKI)!.id;
    // The municipality's officer does not see the prefecture's own assessment.
    expect(await code(getAssessment(officer, prefA))).toBe(403);
  });

  it("the prefecture's staff answer it and add a plan to a shortfall item; another member reviews it, never the one who answered", async () => {
    const [weak, strong] = allItems(T()).map((i) => i.id);
    await answerAll(prefAdmin, prefA, { [weak]: "not_implemented" });
    expect(await code(addPlan(prefAdmin, prefA, strong, { measure: "不要", owner: "総務課", dueDate: future() }))).toBe("plan_needs_shortfall");
    expect(await code(addPlan(prefAdmin, prefA, weak, { measure: " ", owner: "総務課", dueDate: future() }))).toBe("bad_input");
    expect(await code(addPlan(officer, prefA, weak, { measure: "x", owner: "y", dueDate: future() }))).toBe(403);
    // Due already passed: open and overdue on the next round's roll-up.
    const p = await addPlan(prefAdmin, prefA, weak, {
      measure: "操作履歴の点検手順を定め毎月実施する",
      owner: "情報政策課長",
      dueDate: new Date("2026-01-31T23:59:59+09:00"),
    });
    planId = p.id;
    const history = (await getAssessment(prefAdmin, prefA)).history.map((h) => [h.action, h.itemId]);
    expect(history).toContainEqual(["plan_add", weak]);
    await submitAssessment(prefAdmin, prefA);
    // The admin who answered may not accept their own answers, even as prefecture staff.
    expect(await code(acceptAssessment(prefAdmin, prefA))).toBe("own_answers");
    expect((await getAssessment(prefAdmin, prefA)).canReview).toBe(false);
    expect((await getAssessment(monitor, prefA)).canReview).toBe(true);
    await acceptAssessment(monitor, prefA);
    // Locked once accepted: no more plans on it.
    expect(await code(addPlan(prefAdmin, prefA, weak, { measure: "x", owner: "y", dueDate: future() }))).toBe("locked");

    // A municipality's plan as well.
    const item = allItems(T())[2].id;
    await answerAll(officer, cityA, { [item]: "partial" });
    cityPlan = (await addPlan(officer, cityA, item, { measure: "研修を実施する", owner: "市民課長", dueDate: future() })).id;

    // The assessment's export lists its plans.
    const doc = await assessmentDocument(monitor, prefA);
    expect(doc.plans?.map((x) => [x.itemId, x.status, x.carried])).toEqual([[weak, "not_started", false]]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderAssessmentXlsx(doc)) as unknown as ArrayBuffer);
    const sheet = wb.worksheets.find((w) => w.name === "改善計画")!;
    expect(sheet.getRow(2).values).toEqual(expect.arrayContaining([weak, "操作履歴の点検手順を定め毎月実施する", "情報政策課長", "未着手"]));
  });

  it("open plans are carried into the next year's round, counted on its roll-up, and can be completed there", async () => {
    const round = await openRound(monitor, { fiscalYear: FY + 1, deadline: future(), carryOver: true });
    rounds.push(round.id);
    const next = await db().assessment.findMany({ where: { roundId: round.id, organizationId: { in: [PREF, SHIMONOSEKI] } } });
    const prefNext = next.find((a) => a.organizationId === PREF)!.id;
    const cityNext = next.find((a) => a.organizationId === SHIMONOSEKI)!.id;
    const carried = await plansOfAssessment(prefAdmin, prefNext);
    expect(carried.map((p) => [p.id, p.carried, p.fiscalYear])).toEqual([[planId, true, FY]]);
    expect((await plansOfAssessment(officer, cityNext)).map((p) => p.id)).toEqual([cityPlan]);
    // Not shown to another organisation's assessment.
    expect((await plansOfAssessment(officer, cityNext)).map((p) => p.id)).not.toContain(planId);

    const before = await roundSummary(monitor, round.id);
    const pref = before.rollup.municipalities.find((m) => m.organizationId === PREF)!;
    const city = before.rollup.municipalities.find((m) => m.organizationId === SHIMONOSEKI)!;
    expect([pref.openPlans, pref.overduePlans]).toEqual([1, 1]);
    expect([city.openPlans, city.overduePlans]).toEqual([1, 0]);
    // The summary lists them, carried and overdue as they are (its XLSX sheet 改善計画: reports/checklist/export.test.ts).
    const listed = before.plans.filter((p) => p.organizationId === PREF || p.organizationId === SHIMONOSEKI);
    expect(listed.map((p) => [p.organizationId, p.measure, p.fiscalYear, p.overdue]).sort()).toEqual(
      [
        [PREF, "操作履歴の点検手順を定め毎月実施する", FY, true],
        [SHIMONOSEKI, "研修を実施する", FY, false],
      ].sort(),
    );

    // Completed on this year's assessment: recorded there, no longer open, still shown there.
    await updatePlan(prefAdmin, prefNext, planId, { status: "done" });
    const row = await db().improvementPlan.findUniqueOrThrow({ where: { id: planId } });
    expect([row.status, row.completedInAssessmentId]).toEqual(["done", prefNext]);
    expect((await getAssessment(prefAdmin, prefNext)).history.map((h) => h.action)).toContain("plan_update");
    expect((await plansOfAssessment(prefAdmin, prefNext)).map((p) => [p.id, p.status])).toEqual([[planId, "done"]]);
    const after = await roundSummary(monitor, round.id);
    expect(after.rollup.municipalities.find((m) => m.organizationId === PREF)!.openPlans).toBe(0);
    // The municipality cannot touch the prefecture's plan through its own assessment.
    expect(await code(updatePlan(officer, cityNext, planId, { status: "not_started" }))).toBe("bad_input");
  });
});

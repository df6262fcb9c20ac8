/**
 * Periodic log review (操作履歴の点検) against the real database and
 * Elasticsearch: the schedule makes one task per ended period (idempotent,
 * also when two passes run at once); the review page's material is read
 * through the scope and its sample is stable; a review goes draft → done →
 * signed off by a second person, and its reviewer cannot sign it off; an
 * overdue review is listed first and notified once; another municipality's
 * review is not found and its list is refused; the figures for the checklist
 * and the audit report.
 *
 * Dates: September–October 2011 (JST; the calendar and holidays of 2022), which no other test file uses (the statistics fixture counts 2022); rows
 * made here are removed at the end.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditReviewSection,
  completeReview,
  ensureReviewTasks,
  getReview,
  listReviews,
  notifyOverdueReviews,
  overdueReviewCount,
  reviewFigures,
  reviewMaterial,
  ReviewError,
  saveReview,
  setSchedule,
  signOffReview,
  SAMPLE_SIZE,
} from "../../domain/reviews";
import { indexAlerts, type AlertDocument } from "../../domain/alerts";
import { createUser } from "../../lib/auth/accounts";
import { AuthError, type SessionUser } from "../../lib/auth/principal";
import { scopeOf, systemScope } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { ev, ingest, PREF, SHIMONOSEKI, useFixtureRegistry, YAMAGUCHI } from "./detectors/harness";

const ORGS = [SHIMONOSEKI, YAMAGUCHI];
const SEPT = new Date("2011-09-01T00:00:00+09:00");
const OCT = new Date("2011-10-01T00:00:00+09:00");
/** Mid-October: September has ended, its review is due 2011-10-11. */
const NOW1 = new Date("2011-10-05T12:00:00+09:00");
/** Late November: October's review (due 2011-11-10) is overdue. */
const NOW2 = new Date("2011-11-20T12:00:00+09:00");
const ALERT_ID = "7e".repeat(12);

let officer: SessionUser, cityAdmin: SessionUser, monitor: SessionUser, prefAdmin: SessionUser, otherOfficer: SessionUser;

async function user(loginId: string, role: SessionUser["role"], organizationId: string): Promise<SessionUser> {
  const u = await createUser({ loginId, name: `${loginId} 氏名`, role, organizationId, password: "review integration password" });
  return { kind: "user", id: u.id, login: u.loginId, name: u.name, role, organizationId };
}

async function cleanUp() {
  const reviews = await db().logReview.findMany({ where: { organizationId: { in: ORGS }, periodStart: { lt: new Date("2012-01-01T00:00:00+09:00") } } });
  const event = { refKind: "review", refId: { in: reviews.map((r) => r.id) } };
  await db().notificationAttempt.deleteMany({ where: { delivery: { event } } });
  await db().notificationDelivery.deleteMany({ where: { event } });
  await db().notification.deleteMany({ where: { event } });
  await db().notificationEvent.deleteMany({ where: event });
  await db().logReview.deleteMany({ where: { id: { in: reviews.map((r) => r.id) } } });
  await db().logReviewSchedule.deleteMany({ where: { organizationId: { in: ORGS } } });
}

const refused = async (p: Promise<unknown>, code: string) => {
  const e = await p.then(
    () => undefined,
    (x) => x,
  );
  expect(e, `expected ${code}`).toBeInstanceOf(ReviewError);
  expect((e as ReviewError).code).toBe(code);
};

const alertDoc = (id: string, org: string, start: string): AlertDocument => ({
  id,
  "@timestamp": start,
  rule: { id: "after-hours-access", name: "業務時間外の照会", name_en: "After-hours access" },
  severity: "high",
  risk_score: 70,
  window: { start, end: new Date(Date.parse(start) + 3600_000).toISOString() },
  entity: { type: "operator", id: `OP-${org}-002` },
  organization: { id: org },
  summary: "review test alert",
  status: "open",
  evidence: {},
  detection: { first_seen: start, last_seen: start },
});

/** 下関市's September: 40 operator events on business days (OP-001 most), 4 after hours, 3 system updates; one 山口市 event. */
function septemberEvents() {
  const out: Record<string, unknown>[] = [];
  const days = ["2011-09-05", "2011-09-06", "2011-09-07", "2011-09-08", "2011-09-09"];
  for (let i = 0; i < 40; i++) {
    const day = days[i % days.length];
    const minute = 10 + (i % 40);
    const op = i % 4 === 0 ? "002" : "001";
    out.push(
      ev({ t: `${day}T10:${String(minute).padStart(2, "0")}:00+09:00`, user: `OP-${SHIMONOSEKI}-${op}`, host: `TM-${SHIMONOSEKI}-0${op === "001" ? 1 : 2}` }),
    );
  }
  for (let i = 0; i < 4; i++) out.push(ev({ t: `2011-09-13T2${i}:15:00+09:00`, user: `OP-${SHIMONOSEKI}-002` }));
  for (let i = 0; i < 3; i++) out.push(ev({ t: `2011-09-14T03:0${i}:00+09:00`, action: "update", user: null, host: null }));
  out.push(ev({ t: "2011-09-05T11:00:00+09:00", org: YAMAGUCHI, user: `OP-${YAMAGUCHI}-001` }));
  return out;
}

beforeAll(async () => {
  await useFixtureRegistry();
  await cleanUp();
  officer = await user("rev-shimonoseki", "municipal_officer", SHIMONOSEKI);
  cityAdmin = await user("rev-shimonoseki-admin", "admin", SHIMONOSEKI);
  monitor = await user("rev-monitor", "monitor", PREF);
  prefAdmin = await user("rev-pref-admin", "admin", PREF);
  otherOfficer = await user("rev-yamaguchi", "municipal_officer", YAMAGUCHI);
  await ingest(septemberEvents());
  await indexAlerts([alertDoc(ALERT_ID, SHIMONOSEKI, "2011-09-13T11:15:00.000Z")]);
});

afterAll(cleanUp);

describe("log reviews", () => {
  let septId: string;

  it("a schedule makes one task per ended period, idempotently (two passes at once make no duplicate)", async () => {
    await expect(setSchedule(officer, SHIMONOSEKI, { frequency: "monthly", dueDays: 10 }, NOW1)).rejects.toBeInstanceOf(AuthError);
    await expect(setSchedule(cityAdmin, YAMAGUCHI, { frequency: "monthly", dueDays: 10 }, NOW1)).rejects.toBeInstanceOf(AuthError);
    await refused(setSchedule(cityAdmin, SHIMONOSEKI, { frequency: "weekly", dueDays: 10 }, NOW1), "bad_input");
    const s = await setSchedule(cityAdmin, SHIMONOSEKI, { frequency: "monthly", dueDays: 10 }, NOW1);
    expect(s.startsOn.toISOString()).toBe(SEPT.toISOString());
    await expect(setSchedule(monitor, YAMAGUCHI, { frequency: "monthly", dueDays: 10 }, NOW1)).rejects.toBeInstanceOf(AuthError);
    // The prefecture's admin sets its municipalities' schedules.
    await setSchedule(prefAdmin, YAMAGUCHI, { frequency: "monthly", dueDays: 10 }, NOW1);
    const scope = systemScope("test").narrow(SHIMONOSEKI);
    const made = await Promise.all([ensureReviewTasks(scope, NOW1), ensureReviewTasks(scope, NOW1)]);
    expect(made[0] + made[1]).toBe(1);
    expect(await ensureReviewTasks(scope, NOW1)).toBe(0);
    const rows = await db().logReview.findMany({ where: { organizationId: SHIMONOSEKI, periodStart: { lt: new Date("2012-01-01T00:00:00+09:00") } } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "draft", frequency: "monthly" });
    expect(rows[0].periodStart.toISOString()).toBe(SEPT.toISOString());
    expect(rows[0].periodEnd.toISOString()).toBe(OCT.toISOString());
    expect(rows[0].dueAt.toISOString()).toBe(new Date("2011-10-11T00:00:00+09:00").toISOString());
    septId = rows[0].id;
    await ensureReviewTasks(systemScope("test").narrow(YAMAGUCHI), NOW1);
  });

  it("the review page's material is the period's, read in the scope, and its sample is stable", async () => {
    const { review, scope } = await getReview(officer, septId, NOW1);
    const m = await reviewMaterial(scope, review);
    expect(m.events).toBe(47);
    expect(m.operatorEvents).toBe(44);
    expect(m.system.events).toBe(3);
    expect(m.system.byAction).toEqual([{ key: "update", count: 3 }]);
    expect(m.afterHours.events).toBe(4);
    expect(m.afterHours.operators).toEqual([{ key: `OP-${SHIMONOSEKI}-002`, count: 4 }]);
    expect(m.topOperators[0]).toEqual({ key: `OP-${SHIMONOSEKI}-001`, count: 30 });
    expect(m.topTerminals.map((t) => t.key)).toContain(`TM-${SHIMONOSEKI}-01`);
    expect(m.alerts.rows.map((a) => a.id)).toEqual([ALERT_ID]);
    expect(m.alerts.byStatus).toEqual([{ key: "open", count: 1 }]);
    expect(m.sample).toHaveLength(SAMPLE_SIZE);
    expect(new Set(m.sample.map((e) => e.id)).size).toBe(SAMPLE_SIZE);
    for (const e of m.sample) {
      expect(e.operator).toMatch(new RegExp(`^OP-${SHIMONOSEKI}-`));
      expect(Date.parse(e.timestamp)).toBeGreaterThanOrEqual(SEPT.getTime());
      expect(Date.parse(e.timestamp)).toBeLessThan(OCT.getTime());
      expect(e.href).toMatch(new RegExp(`^/events\\?organization=${SHIMONOSEKI}&operator=`));
    }
    // Reopened (another reader, the prefecture): the same events in the same order.
    const again = await reviewMaterial((await getReview(monitor, septId, NOW1)).scope, review);
    expect(again.sample.map((e) => e.id)).toEqual(m.sample.map((e) => e.id));
    // Another review of the same organisation and period draws another sample.
    const other = await reviewMaterial(scope, { ...review, id: `${review.id}x` });
    expect(other.sample.map((e) => e.id)).not.toEqual(m.sample.map((e) => e.id));
  });

  it("goes draft → done → signed off by a second person; the reviewer cannot sign off their own", async () => {
    await saveReview(cityAdmin, septId, { checks: ["auth_ids"], findings: "", outcome: undefined }, NOW1);
    await refused(completeReview(cityAdmin, septId, { checks: ["auth_ids", "after_hours"], findings: "", outcome: "ok" }, NOW1), "bad_input");
    await refused(
      completeReview(cityAdmin, septId, { checks: ["auth_ids", "after_hours", "authority", "sample"], findings: "", outcome: undefined }, NOW1),
      "bad_input",
    );
    await refused(
      completeReview(cityAdmin, septId, { checks: ["auth_ids", "after_hours", "authority", "sample"], findings: "", outcome: "action_required" }, NOW1),
      "bad_input",
    );
    await refused(signOffReview(monitor, septId, "", NOW1), "wrong_state");
    const done = await completeReview(
      cityAdmin,
      septId,
      {
        checks: ["auth_ids", "after_hours", "authority", "sample"],
        findings: "9月13日夜間の照会4件（OP-002）は承認記録がない。",
        outcome: "action_required",
        followUp: "本人と所属長に照会し、時間外使用承認の手続を再周知する。",
      },
      NOW1,
    );
    expect(done).toMatchObject({ status: "done", reviewerId: cityAdmin.id, reviewerName: cityAdmin.name, outcome: "action_required" });
    await refused(saveReview(cityAdmin, septId, { checks: [], findings: "x" }, NOW1), "wrong_state");
    // The reviewer (an admin who could otherwise sign off) cannot sign their own review.
    const self = await signOffReview(cityAdmin, septId, "", NOW1).catch((e: unknown) => e);
    expect(self).toBeInstanceOf(ReviewError);
    expect((self as ReviewError).code).toBe("self_signoff");
    // A municipal officer does not sign off.
    await refused(signOffReview(officer, septId, "", NOW1), "not_signer");
    const signed = await signOffReview(monitor, septId, "確認しました。", NOW1);
    expect(signed).toMatchObject({ status: "signed_off", signedOffById: monitor.id, signedOffByName: monitor.name, signOffComment: "確認しました。" });
    await refused(signOffReview(cityAdmin, septId, "", NOW1), "wrong_state");
    const trail = await getReview(officer, septId, NOW1);
    expect(trail.review.checks).toEqual(["auth_ids", "after_hours", "authority", "sample"]);
  });

  it("an overdue review is listed first, counted for the dashboard and notified once", async () => {
    expect(await ensureReviewTasks(systemScope("test").narrow(SHIMONOSEKI), NOW2)).toBe(1);
    const scope = await scopeOf(officer, NOW2);
    const list = await listReviews(scope, { organization: SHIMONOSEKI }, NOW2);
    const mine = list.filter((r) => r.periodStart.getTime() < new Date("2012-01-01T00:00:00+09:00").getTime());
    expect(mine.map((r) => [r.periodStart.toISOString(), r.overdue])).toEqual([
      [OCT.toISOString(), true],
      [SEPT.toISOString(), false],
    ]);
    expect(list[0].overdue).toBe(true);
    const overdueOnly = await listReviews(scope, { overdue: true }, NOW2);
    expect(overdueOnly.every((r) => r.overdue && r.organizationId === SHIMONOSEKI)).toBe(true);
    expect(overdueOnly.map((r) => r.periodStart.toISOString())).toContain(OCT.toISOString());
    expect(await overdueReviewCount(scope, NOW2)).toBeGreaterThanOrEqual(1);
    // Before its due date it is not overdue.
    expect(await overdueReviewCount(scope, new Date("2011-11-05T00:00:00+09:00"))).toBe(0);
    const narrow = systemScope("test").narrow(SHIMONOSEKI);
    expect(await notifyOverdueReviews(narrow, NOW2)).toBe(1);
    expect(await notifyOverdueReviews(narrow, new Date(NOW2.getTime() + 60_000))).toBe(0);
    const octId = mine[0].id;
    const events = await db().notificationEvent.findMany({ where: { type: "review.overdue", refId: octId } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ organizationId: SHIMONOSEKI, path: `/reviews/${octId}` });
  });

  it("is scoped: another municipality's review is not found, its list refused; the prefecture sees both", async () => {
    await refused(getReview(otherOfficer, septId, NOW2), "not_found");
    await refused(saveReview(otherOfficer, septId, { checks: [], findings: "外から" }, NOW2), "not_found");
    await refused(signOffReview(otherOfficer, septId, "", NOW2), "not_found");
    const theirs = await listReviews(await scopeOf(otherOfficer, NOW2), {}, NOW2);
    expect(theirs.every((r) => r.organizationId === YAMAGUCHI)).toBe(true);
    expect(theirs.length).toBeGreaterThan(0);
    const e = await listReviews(await scopeOf(officer, NOW2), { organization: YAMAGUCHI }, NOW2).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AuthError);
    expect((e as AuthError).status).toBe(403);
    const pref = await listReviews(await scopeOf(monitor, NOW2), { fiscalYear: 2011 }, NOW2);
    expect(new Set(pref.map((r) => r.organizationId))).toEqual(new Set(ORGS));
    // 山口市's officer cannot fill in 下関市's review, nor 下関市's officer 山口市's.
    const yam = theirs.find((r) => r.periodStart.getTime() === SEPT.getTime())!;
    await refused(saveReview(officer, yam.id, { checks: [], findings: "x" }, NOW2), "not_found");
    // The prefecture's staff see it but do not fill it in.
    await refused(saveReview(monitor, yam.id, { checks: [], findings: "x" }, NOW2), "not_editor");
  });

  it("feeds the checklist (reviewed periods of the year, findings) and the audit report", async () => {
    const scope = await scopeOf(monitor, NOW2);
    expect(await reviewFigures(scope, SHIMONOSEKI, 2011)).toMatchObject({ done: 1, of: 2, signedOff: 1, actionRequired: 1 });
    await expect(reviewFigures(await scopeOf(otherOfficer, NOW2), SHIMONOSEKI, 2011)).rejects.toBeInstanceOf(AuthError);
    const section = await auditReviewSection(scope, SHIMONOSEKI, { from: new Date("2011-04-01T00:00:00+09:00"), to: new Date("2012-04-01T00:00:00+09:00") });
    expect(section).toMatchObject({ done: 1, signedOff: 1, actionRequired: 1 });
    expect(section.rows.map((r) => [r.period, r.status, r.signedOffBy])).toEqual([
      ["2011年9月", "signed_off", monitor.name],
      ["2011年10月", "draft", null],
    ]);
  });
});

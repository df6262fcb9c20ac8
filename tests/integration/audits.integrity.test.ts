/**
 * The integrity of the external-audit workflow against the real SQLite
 * database and Elasticsearch: finalising needs a second person (another
 * auditor of the engagement or the prefecture, never the one who sent the
 * version to review) and refuses before the fieldwork date; finding evidence
 * is chosen among the municipality's alerts and saved searches, in scope.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { clampedRange } from "../../components/AuditPeriodNotice";
import { scopeOf } from "../../lib/auth/scope";
import { type Principal } from "../../lib/auth/principal";
import { db } from "../../lib/db";
import { es } from "../../lib/es/client";
import { alertsIndex, ensureAlertsIndex, type AlertDocument } from "../../domain/alerts";
import {
  createEngagement,
  createFinding,
  currentReport,
  evidenceChoices,
  finalizeReport,
  moveReport,
  saveReportDraft,
  saveSearch,
  updateFinding,
  updatePlan,
  type FindingInput,
} from "../../domain/audits/workflow";
import { PREF, SHIMONOSEKI, useFixtureRegistry, WAKI, YAMAGUCHI } from "./detectors/harness";
import { finding as text, refused, user } from "./audits.fixture";

const finding = (title: string, evidence: Partial<FindingInput> = {}) => text(title, "minor", evidence);

const DAY = 86_400_000;
let admin: Principal, monitor: Principal, drafter: Principal, second: Principal, outsider: Principal, officer: Principal;

const pdf = async () => Buffer.from("%PDF-1.4 integrity\n");

// FY2019 (2019-04-01 .. 2020-03-31 JST) is used by no other test file.
const AUDIT_FROM = new Date("2019-06-01T00:00:00+09:00");
const AUDIT_TO = new Date("2019-07-01T00:00:00+09:00");
const alert = (id: string, organization: string, start: string): AlertDocument => ({
  id,
  "@timestamp": start,
  rule: { id: "after-hours-access", name: "時間外の操作", name_en: "after-hours" },
  severity: "medium",
  risk_score: 47,
  window: { start, end: new Date(Date.parse(start) + 3600_000).toISOString() },
  entity: { type: "operator", id: `op-${organization}` },
  organization: { id: organization },
  summary: "test",
  status: "open",
  evidence: {},
  detection: { first_seen: start, last_seen: start },
});
const ALERT_SHIMONOSEKI = "a0a0a0a0a0a0a0a0a0a0a001";
const ALERT_YAMAGUCHI = "a0a0a0a0a0a0a0a0a0a0a002";
const ALERT_OUTSIDE_PERIOD = "a0a0a0a0a0a0a0a0a0a0a003";

const base = () => ({
  firm: "整合性テスト監査法人",
  fiscalYear: 2019,
  accessFrom: new Date(Date.now() - DAY),
  accessTo: new Date(Date.now() + 30 * DAY),
  auditFrom: AUDIT_FROM,
  auditTo: AUDIT_TO,
});

let engagementId: string;
let otherEngagementId: string;

beforeAll(async () => {
  await useFixtureRegistry();
  admin = await user("ai-admin", "admin", PREF);
  monitor = await user("ai-monitor", "monitor", PREF);
  drafter = await user("ai-auditor-1", "auditor", PREF);
  second = await user("ai-auditor-2", "auditor", PREF);
  outsider = await user("ai-auditor-3", "auditor", PREF);
  officer = await user("ai-shimonoseki", "municipal_officer", SHIMONOSEKI);
  engagementId = (await createEngagement(admin, { ...base(), organizationIds: [SHIMONOSEKI, WAKI], auditorLogins: ["ai-auditor-1", "ai-auditor-2"] })).id;
  otherEngagementId = (await createEngagement(admin, { ...base(), organizationIds: [SHIMONOSEKI], auditorLogins: ["ai-auditor-3"] })).id;
  await ensureAlertsIndex();
  for (const a of [
    alert(ALERT_SHIMONOSEKI, SHIMONOSEKI, "2019-06-10T13:00:00.000Z"),
    alert(ALERT_YAMAGUCHI, YAMAGUCHI, "2019-06-10T13:00:00.000Z"),
    alert(ALERT_OUTSIDE_PERIOD, SHIMONOSEKI, "2019-09-10T13:00:00.000Z"),
  ])
    await es().index({ index: alertsIndex(), id: a.id, document: a, refresh: true });
});

async function toReview(by: Principal, org: string) {
  await saveReportDraft(by, engagementId, org, { conclusion: "effective", opinion: "有効", scopeAndMethod: "ログ分析" });
  await moveReport(by, engagementId, org, "review");
}

describe("finalising an audit report needs a second person", () => {
  it("records who sent the version to review; that person cannot finalise it alone", async () => {
    await toReview(drafter, SHIMONOSEKI);
    const r = await db().auditReport.findFirstOrThrow({ where: { engagementId, organizationId: SHIMONOSEKI } });
    expect(r.reviewRequestedById).toBe(drafter.id);
    expect(r.reviewRequestedAt).toBeInstanceOf(Date);
    await refused(finalizeReport(drafter, engagementId, SHIMONOSEKI, pdf), "second_person");
    // The municipality and an auditor of another engagement are no second person.
    await refused(finalizeReport(officer, engagementId, SHIMONOSEKI, pdf), "not_auditor");
    await expect(finalizeReport(outsider, engagementId, SHIMONOSEKI, pdf)).rejects.toMatchObject({ status: 403 });
    expect((await db().auditReport.findUniqueOrThrow({ where: { id: r.id } })).status).toBe("review");
    // The prefecture sees the version in review (to check it), the municipality does not.
    expect((await currentReport(monitor, engagementId, SHIMONOSEKI))?.status).toBe("review");
    expect(await currentReport(officer, engagementId, SHIMONOSEKI)).toBeNull();
    // Another auditor of the engagement finalises it.
    const fin = await finalizeReport(second, engagementId, SHIMONOSEKI, pdf);
    const done = await db().auditReport.findUniqueOrThrow({ where: { id: fin.id } });
    expect([done.status, done.finalizedById]).toEqual(["final", second.id]);
  });

  it("returning to draft clears the sender; whoever sends it again is the one who cannot finalise", async () => {
    await toReview(second, WAKI);
    await moveReport(drafter, engagementId, WAKI, "draft");
    expect((await db().auditReport.findFirstOrThrow({ where: { engagementId, organizationId: WAKI } })).reviewRequestedById).toBeNull();
    await moveReport(drafter, engagementId, WAKI, "review");
    await refused(finalizeReport(drafter, engagementId, WAKI, pdf), "second_person");
    // The prefecture's staff are a second person too.
    expect((await finalizeReport(admin, engagementId, WAKI, pdf)).version).toBe(1);
  });

  it("refuses while the municipality's fieldwork date is in the future, and allows it on the day", async () => {
    const org = { engagementId_organizationId: { engagementId: otherEngagementId, organizationId: SHIMONOSEKI } };
    await saveReportDraft(outsider, otherEngagementId, SHIMONOSEKI, { conclusion: "effective", opinion: "有効" });
    await moveReport(outsider, otherEngagementId, SHIMONOSEKI, "review");
    const tomorrow = new Date(Date.now() + DAY);
    await updatePlan(outsider, otherEngagementId, { fieldwork: { [SHIMONOSEKI]: tomorrow } });
    const e = await refused(finalizeReport(monitor, otherEngagementId, SHIMONOSEKI, pdf), "fieldwork_future");
    expect(e.detail).toMatch(/^\d{4}\/\d{2}\/\d{2}$/);
    expect((await db().engagementOrganization.findUniqueOrThrow({ where: org })).fieldworkOn).toEqual(tomorrow);
    await updatePlan(outsider, otherEngagementId, { fieldwork: { [SHIMONOSEKI]: new Date(Date.now() - 60_000) } });
    expect((await finalizeReport(monitor, otherEngagementId, SHIMONOSEKI, pdf)).version).toBe(1);
  });
});

describe("finding evidence is chosen among the municipality's alerts and saved searches", () => {
  it("offers the municipality's alerts of the audit period and its saved searches only", async () => {
    const s = await saveSearch(drafter, engagementId, WAKI, { name: "和木町 6月", from: "2019-06-01", to: "2019-06-30", operator: "op-1" });
    expect(s.query).toBe(`/events?organization=${WAKI}&from=2019-05-31T15%3A00%3A00.000Z&to=2019-06-30T15%3A00%3A00.000Z&operator=op-1`);
    const c = await evidenceChoices(drafter, engagementId, SHIMONOSEKI);
    expect(c.alerts.map((a) => a.id)).toEqual([ALERT_SHIMONOSEKI]);
    expect(c.searches).toEqual([]);
    expect((await evidenceChoices(drafter, engagementId, WAKI)).searches.map((x) => x.name)).toEqual(["和木町 6月"]);
  });

  it("refuses a saved search outside the audit period, a typed link, another municipality's alert or search", async () => {
    await refused(saveSearch(drafter, engagementId, SHIMONOSEKI, { name: "範囲外", from: "2019-05-01", to: "2019-06-10" }), "bad_input");
    await refused(saveSearch(drafter, engagementId, SHIMONOSEKI, { name: "x", from: "2019-06-01", to: "2019-06-02", terminal: "a b" }), "bad_input");
    await refused(saveSearch(officer, engagementId, SHIMONOSEKI, { name: "x", from: "2019-06-01", to: "2019-06-02" }), "not_auditor");
    const waki = (await evidenceChoices(drafter, engagementId, WAKI)).searches[0];
    const mine = await saveSearch(outsider, otherEngagementId, SHIMONOSEKI, { name: "別契約の検索", from: "2019-06-01", to: "2019-06-02" });
    // The reports of the first engagement are final now (findings would need a revision): findings go to a fresh engagement.
    const e = (await createEngagement(admin, { ...base(), firm: "証跡テスト監査法人", organizationIds: [SHIMONOSEKI], auditorLogins: ["ai-auditor-1"] })).id;
    for (const bad of [
      { alerts: [ALERT_YAMAGUCHI] },
      { alerts: [ALERT_OUTSIDE_PERIOD] },
      { alerts: ["not-an-id"] },
      { searches: [waki.id] },
      { searches: [mine.id] },
      { searches: ["/events?organization=352012"] },
    ])
      await refused(createFinding(drafter, e, SHIMONOSEKI, finding("x", bad)), "unknown_evidence");
    const search = await saveSearch(drafter, e, SHIMONOSEKI, { name: "下関市 6月", from: "2019-06-01", to: "2019-06-30" });
    const f = await createFinding(drafter, e, SHIMONOSEKI, finding("証跡あり", { alerts: [ALERT_SHIMONOSEKI], searches: [search.id] }));
    expect(JSON.parse(f.evidence)).toEqual({ alerts: [ALERT_SHIMONOSEKI], searches: [search.query] });

    // A link stored in the earlier format stays on the finding that cites it (and only there).
    const legacy = "/events?organization=352012&action=search";
    await db().auditFinding.update({ where: { id: f.id }, data: { evidence: JSON.stringify({ alerts: [ALERT_SHIMONOSEKI], searches: [legacy] }) } });
    await updateFinding(drafter, f.id, finding("証跡あり（更新）", { alerts: [ALERT_SHIMONOSEKI], searches: [legacy, search.id] }));
    const updated = await db().auditFinding.findUniqueOrThrow({ where: { id: f.id } });
    expect(JSON.parse(updated.evidence)).toEqual({ alerts: [ALERT_SHIMONOSEKI], searches: [legacy, search.query] });
    await refused(createFinding(drafter, e, SHIMONOSEKI, finding("y", { searches: [legacy] })), "unknown_evidence");
  });
});

describe("the auditor's log search says when the range was clamped to the audit period", () => {
  it("gives the range actually searched, or nothing when the request lies inside the period", async () => {
    const scope = await scopeOf(drafter);
    expect(clampedRange(scope, SHIMONOSEKI, "2019-06-05T00:00:00.000Z", "2019-06-06T00:00:00.000Z")).toBeUndefined();
    expect(clampedRange(scope, SHIMONOSEKI, "2019-05-01T00:00:00.000Z", "2019-06-10T00:00:00.000Z")).toEqual({
      period: { from: AUDIT_FROM, to: AUDIT_TO },
      from: AUDIT_FROM,
      to: new Date("2019-06-10T00:00:00.000Z"),
      empty: false,
    });
    expect(clampedRange(scope, undefined, "2019-08-01T00:00:00.000Z", "2019-09-01T00:00:00.000Z")?.empty).toBe(true);
    // Prefecture staff read any time: nothing is clamped.
    expect(clampedRange(await scopeOf(monitor), SHIMONOSEKI, "2019-05-01T00:00:00.000Z", "2019-09-01T00:00:00.000Z")).toBeUndefined();
  });
});

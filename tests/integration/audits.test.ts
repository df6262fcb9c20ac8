/**
 * External-audit workflow against the real SQLite database and Elasticsearch:
 * who may do what (auditors only in their access period and municipalities),
 * findings with the municipality's response and history, the report states
 * with a stored, hash-checked final PDF, and the report's live statistics.
 */
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as getDocument } from "../../app/api/audits/[id]/[org]/[doc]/route";
import { type Principal } from "../../lib/auth/principal";
import { issueApiToken } from "../../lib/auth/api-tokens";
import { scopeOf } from "../../lib/auth/scope";
import { config } from "../../lib/config";
import { db } from "../../lib/db";
import { es } from "../../lib/es/client";
import { aliasName } from "../../lib/es/indices";
import { auditStatistics, reportDocument } from "../../domain/audits/report";
import { usageCounts } from "../../domain/statistics/usage";
import { openIncident } from "../../domain/incidents";
import {
  createEngagement,
  createFinding,
  engagementAccess,
  finalizeReport,
  finalReportPdf,
  getFinding,
  issueNotice,
  listEngagements,
  moveReport,
  receiveFindingAttachmentUpload,
  respondToFinding,
  reviseReport,
  saveReportDraft,
  saveSearch,
  setFindingStatus,
  updateFinding,
} from "../../domain/audits/workflow";
import { at, ev, ingest, PREF, SHIMONOSEKI, useFixtureRegistry, WAKI, YAMAGUCHI } from "./detectors/harness";
import { streamingUpload } from "./upload-stream";
import { finding, forbidden, refused, user } from "./audits.fixture";

const DAY = 86_400_000;
const principal = (a: Principal): Principal => ({ kind: "user", id: a.id, login: String(a.id), role: a.role, organizationId: a.organizationId });
let admin: Principal, monitor: Principal, auditor: Principal, otherAuditor: Principal, officer: Principal, otherOfficer: Principal;

// FY2020 (2020-04-01 .. 2021-03-31 JST) is used by no other test file.
const AUDIT_FROM = new Date("2020-06-01T00:00:00+09:00");
const AUDIT_TO = new Date("2020-07-01T00:00:00+09:00");

beforeAll(async () => {
  await useFixtureRegistry();
  admin = await user("au-admin", "admin", PREF);
  monitor = await user("au-monitor", "monitor", PREF);
  auditor = await user("au-auditor", "auditor", PREF);
  otherAuditor = await user("au-auditor-2", "auditor", PREF);
  officer = await user("au-shimonoseki", "municipal_officer", SHIMONOSEKI);
  otherOfficer = await user("au-yamaguchi", "municipal_officer", YAMAGUCHI);
});

describe("audit engagements and findings", () => {
  let engagementId: string;
  let f1: string;

  it("only a prefecture admin contracts an audit, with real municipalities and auditor accounts", async () => {
    const input = {
      firm: "テスト監査法人",
      fiscalYear: 2020,
      accessFrom: new Date(Date.now() - DAY),
      accessTo: new Date(Date.now() + 30 * DAY),
      auditFrom: AUDIT_FROM,
      auditTo: AUDIT_TO,
      organizationIds: [SHIMONOSEKI, WAKI],
      auditorLogins: ["au-auditor"],
    };
    await refused(createEngagement(monitor, input), "not_prefecture");
    await refused(createEngagement(officer, input), "not_prefecture");
    await refused(createEngagement(admin, { ...input, organizationIds: ["350001"] }), "bad_input");
    await refused(createEngagement(admin, { ...input, auditorLogins: ["au-shimonoseki"] }), "bad_input");
    const e = await createEngagement(admin, input);
    engagementId = e.id;
    expect((await listEngagements(auditor)).map((x) => x.id)).toContain(engagementId);
    expect((await listEngagements(otherAuditor)).map((x) => x.id)).not.toContain(engagementId);
    expect((await listEngagements(officer)).map((x) => x.id)).toContain(engagementId);
    expect((await listEngagements(otherOfficer)).map((x) => x.id)).not.toContain(engagementId);
  });

  it("scopes every access: assigned auditors in period, the municipality to itself, the prefecture to all", async () => {
    expect((await engagementAccess(auditor, engagementId, SHIMONOSEKI)).access).toBe("auditor");
    await forbidden(engagementAccess(auditor, engagementId, YAMAGUCHI));
    await forbidden(engagementAccess(otherAuditor, engagementId));
    expect((await engagementAccess(officer, engagementId, SHIMONOSEKI)).access).toBe("municipality");
    await forbidden(engagementAccess(officer, engagementId, WAKI));
    await forbidden(engagementAccess(otherOfficer, engagementId));
    expect((await engagementAccess(monitor, engagementId, WAKI)).access).toBe("prefecture");
    // After the access period the auditor has nothing, before it neither.
    await forbidden(engagementAccess(auditor, engagementId, SHIMONOSEKI, new Date(Date.now() + 31 * DAY)));
    await forbidden(engagementAccess(auditor, engagementId, SHIMONOSEKI, new Date(Date.now() - 2 * DAY)));
  });

  it("auditors write findings; the municipality answers; every change is in the history", async () => {
    await refused(createFinding(auditor, engagementId, SHIMONOSEKI, { ...finding("x"), cause: " " }), "bad_input");
    // Evidence is chosen, not typed: a link or an unknown alert id is refused (audits.integrity.test.ts covers the choices).
    await refused(createFinding(auditor, engagementId, SHIMONOSEKI, { ...finding("x"), searches: ["https://evil.example/"] }), "unknown_evidence");
    await refused(createFinding(auditor, engagementId, SHIMONOSEKI, { ...finding("x"), alerts: ["0123456789abcdef01234567"] }), "unknown_evidence");
    const saved = await saveSearch(auditor, engagementId, SHIMONOSEKI, { name: "下関市 6月の全操作", from: "2020-06-01", to: "2020-06-30" });
    await refused(createFinding(monitor, engagementId, SHIMONOSEKI, finding("x")), "not_auditor");
    await forbidden(createFinding(auditor, engagementId, YAMAGUCHI, finding("x")));
    const a = await createFinding(auditor, engagementId, SHIMONOSEKI, {
      ...finding("ログ確認の不備", "major"),
      searches: [saved.id],
    });
    expect(JSON.parse(a.evidence)).toEqual({ alerts: [], searches: [saved.query] });
    const b = await createFinding(auditor, engagementId, SHIMONOSEKI, finding("管理簿の記載漏れ", "observation"));
    expect([a.number, b.number]).toEqual([1, 2]);
    f1 = a.id;
    await updateFinding(auditor, f1, { ...finding("ログ確認の不備", "major"), condition: "月次の確認記録がない" });
    await refused(respondToFinding(auditor, f1, { response: "x", remediationPlan: "", remediationDue: null }), "not_municipality");
    await forbidden(respondToFinding(otherOfficer, f1, { response: "x", remediationPlan: "", remediationDue: null }));
    await respondToFinding(officer, f1, {
      response: "手順を整備する",
      remediationPlan: "マニュアル改訂",
      remediationDue: new Date("2020-12-31T00:00:00+09:00"),
    });
    const { finding: got } = await getFinding(monitor, f1);
    expect(got).toMatchObject({ status: "responded", response: "手順を整備する", remediationPlan: "マニュアル改訂", condition: "月次の確認記録がない" });
    const h = got.history.map((x) => [x.actorLogin, x.field]);
    expect(h).toEqual(
      expect.arrayContaining([
        ["au-auditor", "create"],
        ["au-auditor", "condition"],
        ["au-shimonoseki", "response"],
        ["au-shimonoseki", "status"],
      ]),
    );
    await refused(setFindingStatus(officer, f1, "closed"), "not_auditor");
    await setFindingStatus(auditor, f1, "remediating");
    expect((await getFinding(officer, f1)).finding.status).toBe("remediating");
  });

  it("report: draft → review → final with a stored PDF whose hash is recorded; final locks; a revision is a new version", async () => {
    await refused(moveReport(auditor, engagementId, SHIMONOSEKI, "review"), "bad_status");
    await saveReportDraft(auditor, engagementId, SHIMONOSEKI, { scopeAndMethod: "ログ分析", conclusion: null, opinion: "" });
    await refused(moveReport(auditor, engagementId, SHIMONOSEKI, "review"), "bad_input");
    await saveReportDraft(auditor, engagementId, SHIMONOSEKI, { conclusion: "partially_effective", opinion: "概ね有効" });
    await moveReport(auditor, engagementId, SHIMONOSEKI, "review");
    await refused(saveReportDraft(auditor, engagementId, SHIMONOSEKI, { opinion: "変更" }), "locked");
    const pdf = Buffer.from("%PDF-1.4 test report\n");
    // The one who sent it to review cannot finalise it; the prefecture (a second person) can.
    await refused(
      finalizeReport(auditor, engagementId, SHIMONOSEKI, async () => pdf),
      "second_person",
    );
    const fin = await finalizeReport(monitor, engagementId, SHIMONOSEKI, async () => pdf);
    expect(fin.sha256).toBe(createHash("sha256").update(pdf).digest("hex"));
    // Everyone in scope gets exactly the stored bytes; nobody else.
    expect((await finalReportPdf(officer, fin.id)).bytes.equals(pdf)).toBe(true);
    expect((await finalReportPdf(monitor, fin.id)).bytes.equals(pdf)).toBe(true);
    await forbidden(finalReportPdf(otherOfficer, fin.id));
    await refused(createFinding(auditor, engagementId, SHIMONOSEKI, finding("後から")), "locked");
    await refused(updateFinding(auditor, f1, finding("変更")), "locked");
    const v2 = await reviseReport(auditor, engagementId, SHIMONOSEKI);
    expect(v2).toMatchObject({ version: 2, status: "draft", opinion: "概ね有効" });
    const rows = await db().auditReport.findMany({ where: { engagementId, organizationId: SHIMONOSEKI }, orderBy: { version: "asc" } });
    expect(rows.map((r) => [r.version, r.status, r.pdfSha256])).toEqual([
      [1, "final", fin.sha256],
      [2, "draft", null],
    ]);
  });

  it("the report's statistics equal an independent aggregation over the audit period", async () => {
    await ingest([
      ev({ t: at("2020-06-02", "10:00"), org: SHIMONOSEKI, schedule: "jukiho", item: "jukiho-1" }),
      ev({ t: at("2020-06-02", "10:05"), org: SHIMONOSEKI, action: "view", schedule: "jukiho", item: "jukiho-1" }),
      ev({ t: at("2020-06-03", "22:30"), org: SHIMONOSEKI }),
      ev({ t: at("2020-06-06", "10:00"), org: SHIMONOSEKI }), // a Saturday
      ev({ t: at("2020-06-04", "09:00"), org: SHIMONOSEKI, action: "auth_failure" }),
      ev({ t: at("2020-06-04", "09:01"), org: SHIMONOSEKI, action: "card_locked" }),
      ev({ t: at("2020-06-10", "11:00"), org: SHIMONOSEKI, action: "provide", schedule: "1", item: "1-1" }),
      // Outside the period or the municipality: not counted.
      ev({ t: at("2020-07-01", "10:00"), org: SHIMONOSEKI }),
      ev({ t: at("2020-06-02", "10:00"), org: YAMAGUCHI }),
    ]);
    const s = await auditStatistics(await scopeOf(principal(monitor)), SHIMONOSEKI, AUDIT_FROM, AUDIT_TO);
    const independent = await es().count({
      index: aliasName("events"),
      query: {
        bool: {
          filter: [
            { term: { "organization.id": SHIMONOSEKI } },
            { range: { "@timestamp": { gte: "2020-06-01T00:00:00+09:00", lt: "2020-07-01T00:00:00+09:00" } } },
          ],
        },
      },
    });
    expect(s.totalEvents).toBe(independent.count);
    expect(s.totalEvents).toBe(7);
    expect(s.authFailures).toBe(1);
    expect(s.cardLocks).toBe(1);
    expect(s.afterHours).toBe(2);
    // Operator actions leave out sign-in and card records (the auth failure and the card lock here): they never silently equal the total.
    expect(s.operatorActions).toBe(5);
    // 別表・事務別 counts uses as the usage report does: successful searches only (not the view, not the provision).
    expect(s.usage.find((u) => u.schedule === "jukiho" && u.item === "jukiho-1")?.count).toBe(3);
    expect(s.usage.reduce((n, u) => n + u.count, 0)).toBe(3);
    const uses = await usageCounts((await scopeOf(principal(monitor))).narrow(SHIMONOSEKI), { from: AUDIT_FROM, to: AUDIT_TO });
    expect(uses.reduce((n, u) => n + u.searches, 0)).toBe(3);
    expect(s.byAction.find((a) => a.action === "search")?.count).toBe(3);
    // The fiscal year's incidents at 下関市 (a drill apart) reach the report; one of another year does not.
    const opened = (title: string, kind: string, exercise: boolean, on: string) =>
      openIncident(monitor, { title, kind, level: 2, organizations: [SHIMONOSEKI], exercise }, new Date(`${on}T10:00:00+09:00`));
    const ids = [
      await opened("監査テスト 障害", "failure", false, "2020-08-03"),
      await opened("監査テスト 訓練", "other", true, "2020-11-10"),
      await opened("監査テスト 前年度", "misconduct", false, "2020-03-31"),
    ];
    const doc = await reportDocument(monitor, engagementId, SHIMONOSEKI);
    expect(doc.incidentYear).toMatchObject({ fiscalYear: 2020, incidents: 1, byKind: { failure: 1, misconduct: 0 }, exercises: 1 });
    // Removed again (with what opening them notified): incidents.test.ts judges every incident of the shared database.
    await db().incident.deleteMany({ where: { id: { in: ids } } });
    const event = { refKind: "incident", refId: { in: ids.map(String) } };
    await db().notificationAttempt.deleteMany({ where: { delivery: { event } } });
    await db().notificationDelivery.deleteMany({ where: { event } });
    await db().notification.deleteMany({ where: { event } });
    await db().notificationEvent.deleteMany({ where: event });
    // The prefecture sees the latest final version (v1), not the v2 draft.
    expect(doc).toMatchObject({ version: 1, status: "final", organization: { name: "下関市" }, firm: "テスト監査法人" });
    expect(doc.findings.map((f) => f.title)).toEqual(["ログ確認の不備", "管理簿の記載漏れ"]);
    expect(doc.statistics.totalEvents).toBe(7);
  });
  it("an auditor's scope reads the audited municipality only inside the audit period; outside the access period it is 403", async () => {
    // A range wider than the audit period (FY2020): the prefecture's staff see the 2020-07-01 event too, the auditor does not.
    const from = new Date("2020-04-01T00:00:00+09:00");
    const to = new Date("2021-04-01T00:00:00+09:00");
    const auditorScope = await scopeOf(principal(auditor));
    const seen = await auditStatistics(auditorScope, SHIMONOSEKI, from, to);
    const all = await auditStatistics(await scopeOf(principal(monitor)), SHIMONOSEKI, from, to);
    expect(seen.totalEvents).toBe(7); // exactly the events of 2020-06 (the audit period)
    expect(all.totalEvents).toBe(seen.totalEvents + 1); // + the event of 2020-07-01, outside the audit period
    expect(seen.usage.reduce((n, u) => n + u.count, 0)).toBeLessThanOrEqual(seen.totalEvents);
    await forbidden(auditStatistics(auditorScope, YAMAGUCHI, from, to)); // not audited
    // Outside the engagement's access period the auditor has no scope at all.
    await forbidden(scopeOf(principal(auditor), new Date(Date.now() + 31 * DAY)));
    await forbidden(scopeOf(principal(otherAuditor)));
  });

  it("the notice is issued by an explicit step (GET never records it); the annex answers only with a final report", async () => {
    const token = (await issueApiToken({ name: "audit-docs", role: "monitor", organizationId: PREF })).token;
    const get = (id: string, org: string, doc: string) =>
      getDocument(new Request(`http://localhost/api/audits/${id}/${org}/${doc}`, { headers: { authorization: `Bearer ${token}` } }), {
        params: Promise.resolve({ id, org, doc }),
      });
    // The notice quotes the year's checklist items: an engagement of a year with a template (FY2026).
    const e26 = await createEngagement(admin, {
      firm: "通知テスト監査法人",
      fiscalYear: 2026,
      accessFrom: new Date(Date.now() - DAY),
      accessTo: new Date(Date.now() + 30 * DAY),
      auditFrom: new Date("2026-04-01T00:00:00+09:00"),
      auditTo: new Date("2026-10-01T00:00:00+09:00"),
      organizationIds: [SHIMONOSEKI],
      auditorLogins: ["au-auditor"],
    });
    const issuedAt = async () =>
      (await db().engagementOrganization.findUnique({ where: { engagementId_organizationId: { engagementId: e26.id, organizationId: SHIMONOSEKI } } }))!
        .noticeIssuedAt;
    const before = await get(e26.id, SHIMONOSEKI, "notice");
    expect(before.status).toBe(409);
    expect(before.headers.get("cache-control")).toBe("no-store");
    expect(await issuedAt()).toBeNull();
    await refused(issueNotice(officer, e26.id, SHIMONOSEKI), "not_auditor");
    await forbidden(issueNotice(otherOfficer, e26.id, SHIMONOSEKI));
    const at = await issueNotice(auditor, e26.id, SHIMONOSEKI);
    expect(await issueNotice(monitor, e26.id, SHIMONOSEKI)).toEqual(at); // the first date stays
    const notice = await get(e26.id, SHIMONOSEKI, "notice");
    expect(notice.status).toBe(200);
    expect(notice.headers.get("content-type")).toBe("application/pdf");
    expect(notice.headers.get("cache-control")).toBe("no-store");
    expect(await issuedAt()).toEqual(at);

    // 和木町 has no report at all: no annex. 下関市 has a final v1 (and a v2 draft): the annex of v1.
    const none = await get(engagementId, WAKI, "annex");
    expect(none.status).toBe(409);
    expect(((await none.json()) as { error: string }).error).toMatch(/final report/);
    const annex = await get(engagementId, SHIMONOSEKI, "annex");
    expect(annex.status).toBe(200);
    expect(annex.headers.get("cache-control")).toBe("no-store");
  });

  it("finding attachments stream: permission before the body, refused over the limit without reading it whole", async () => {
    const url = `http://localhost/api/audits/findings/${f1}/attachments`;
    const MiB = 1024 * 1024;
    const big = streamingUpload(url, { fileBytes: 64 * MiB });
    await refused(receiveFindingAttachmentUpload(auditor, f1, big.request), "file_too_large");
    expect(big.pulled()).toBeGreaterThan(config().EVIDENCE_MAX_BYTES);
    expect(big.pulled()).toBeLessThan(config().EVIDENCE_MAX_BYTES + MiB);
    const foreign = streamingUpload(url, { fileBytes: 64 * MiB });
    await forbidden(receiveFindingAttachmentUpload(otherOfficer, f1, foreign.request));
    expect(foreign.pulled()).toBe(0);
    const declared = streamingUpload(url, { fileBytes: 64 * MiB, declaredLength: 64 * MiB });
    await refused(receiveFindingAttachmentUpload(officer, f1, declared.request), "file_too_large");
    expect(declared.pulled()).toBe(0);
    const small = streamingUpload(url, { fileBytes: 2048, fileName: "確認記録.pdf" });
    const { attachment } = await receiveFindingAttachmentUpload(officer, f1, small.request);
    expect(attachment).toMatchObject({ fileName: "確認記録.pdf", size: 2048 + "%PDF-1.4\n".length });
  });
});

/**
 * The annual operation-status report (運用状況報告): its usage figures are the
 * usage report's for the same year and scope, its unauthorised-access sentence
 * follows the year's misconduct incidents (drills excluded), only prefecture
 * staff get it, and the PDF carries seed 003's headings and the figures.
 * Uses the statistics fixture (fiscal years 2021–2022) and incidents dated in
 * FY2022 that it removes afterwards (other files judge every incident).
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { annualReportData, saveNarratives, SECTION_HEADINGS } from "../../domain/annual";
import { usageReport } from "../../domain/statistics/usage";
import type { Principal } from "../../lib/auth/principal";
import { db } from "../../lib/db";
import { renderAnnualDocx } from "../../reports/annual/docx";
import { renderAnnualPdf } from "../../reports/annual/pdf";
import { poppler, scratchDir } from "../support/pdf";
import { PREF, SHIMONOSEKI, staff, useStatisticsData, YAMAGUCHI } from "./statistics.fixture";

useStatisticsData();

const monitor: Principal = { kind: "user", id: "it-annual-monitor", login: "it-annual-monitor", role: "monitor", organizationId: PREF };
const officer: Principal = { kind: "user", id: "it-annual-officer", login: "it-annual-officer", role: "municipal_officer", organizationId: SHIMONOSEKI };
const cityAdmin: Principal = { kind: "user", id: "it-annual-city-admin", login: "it-annual-city-admin", role: "admin", organizationId: SHIMONOSEKI };
const FY = 2022;
const TAG = "it-annual-";
const created: number[] = [];

async function incident(kind: string, exercise: boolean, orgs: string[], openedAt: Date): Promise<void> {
  const i = await db().incident.create({
    data: {
      title: `${TAG}${kind}${exercise ? "-drill" : ""}`,
      kind,
      level: 2,
      levelVersion: 1,
      exercise,
      organizationId: orgs[0],
      summary: `${TAG}summary`,
      openedBy: "it-annual",
      openedAt,
      organizations: { create: orgs.map((organizationId) => ({ organizationId })) },
    },
  });
  created.push(i.id);
}

afterAll(async () => {
  await db().trainingSession.deleteMany({ where: { title: { startsWith: TAG } } });
  await db().equipment.deleteMany({ where: { assetNo: { startsWith: TAG } } });
  await db().incident.deleteMany({ where: { id: { in: created } } });
  await db().annualReportText.deleteMany({ where: { organizationId: PREF, fiscalYear: { in: [FY, FY - 1] } } });
});

describe("annual operation-status report", () => {
  it("gives the usage report's figures for the same year and scope (the prefecture itself)", async () => {
    const d = await annualReportData(monitor, { fiscalYear: FY });
    const usage = await usageReport((await staff()).narrow(PREF), { fiscalYear: FY });
    expect(d.usage.href).toBe(`/reports/usage?fiscalYear=${FY}&organization=${PREF}`);
    const strip = (r: typeof usage) => ({ schedules: r.schedules, total: r.total, organizations: r.organizations, hasData: r.hasData });
    expect(strip(d.usage.report)).toEqual(strip(usage));
    // Hand-computed from the fixture: the prefecture's own 別表5 searches (6 against 4) and 条例 (2 against 2; 山口市's is not the prefecture's).
    const row = (id: string) => d.usage.report.schedules.find((s) => s.schedule === id)!;
    expect(row("5")).toMatchObject({ searches: 6, previousSearches: 4, change: 2, itemsUsed: 3, itemsTotal: 70 });
    expect(row("ordinance")).toMatchObject({ searches: 2, previousSearches: 2, change: 0 });
    expect(d.usage.ordinanceItemsTotal).toBe(53);
  });

  it("says no unauthorised access only while no misconduct incident of the year is recorded (drills and other years do not count)", async () => {
    const before = await annualReportData(monitor, { fiscalYear: FY });
    expect(before.operation.misconduct.count).toBe(0);
    const pdfText = async () => text(await renderAnnualPdf(await annualReportData(monitor, { fiscalYear: FY })));
    expect(await pdfText()).toContain("不正なアクセスは確認されていない");

    await incident("misconduct", true, [SHIMONOSEKI], new Date("2022-08-01T10:00:00+09:00")); // a drill
    await incident("leak_suspected", false, [YAMAGUCHI], new Date("2023-04-01T00:00:00+09:00")); // next fiscal year
    await incident("failure", false, [SHIMONOSEKI], new Date("2022-09-01T10:00:00+09:00"));
    let d = await annualReportData(monitor, { fiscalYear: FY });
    expect(d.operation.misconduct.count).toBe(0);
    expect(d.operation.failures.map((f) => f.title)).toEqual([`${TAG}failure`]);
    expect(d.drills.map((f) => f.title)).toEqual([`${TAG}misconduct-drill`]);
    expect(await pdfText()).toContain("不正なアクセスは確認されていない");

    await incident("misconduct", false, [SHIMONOSEKI], new Date("2023-03-31T23:59:00+09:00"));
    await incident("leak_suspected", false, [YAMAGUCHI, SHIMONOSEKI], new Date("2022-04-01T00:00:00+09:00"));
    d = await annualReportData(monitor, { fiscalYear: FY });
    expect(d.operation.misconduct).toMatchObject({ count: 2, byKind: { misconduct: 1, leak_suspected: 1 } });
    const t = await pdfText();
    expect(t).not.toContain("不正なアクセスは確認されていない");
    expect(t).toContain("不正なアクセス等の事案を2件確認した（不正行為 1件、情報漏えいの疑い 1件）");
  });

  it("is the prefecture staff's only", async () => {
    await expect(annualReportData(officer, { fiscalYear: FY })).rejects.toMatchObject({ status: 403 });
    await expect(annualReportData(cityAdmin, { fiscalYear: FY })).rejects.toMatchObject({ status: 403 });
    await expect(annualReportData(monitor, { fiscalYear: FY, prefectureId: "360007" })).rejects.toMatchObject({ status: 403 });
    await expect(saveNarratives(officer, { fiscalYear: FY, history: "x" })).rejects.toMatchObject({ status: 403 });
  });

  it("stores the narratives per year, prints 実施なし with the reason, and the PDF/DOCX carry every heading of seed 003", async () => {
    await saveNarratives(monitor, { fiscalYear: FY, history: "H14\t住基ネット 第1次稼働（8月5日）", securityRules: "運用管理要綱、緊急時対応計画を策定" });
    await saveNarratives(monitor, { fiscalYear: FY - 1, noAuditReason: "新型コロナウイルス感染拡大の影響" });
    const d = await annualReportData(monitor, { fiscalYear: FY });
    expect(d.narratives.history).toContain("第1次稼働");
    const y2021 = d.audits.years.find((y) => y.fiscalYear === FY - 1)!;
    expect(d.audits.years.map((y) => y.fiscalYear)).toEqual([2018, 2019, 2020, 2021, 2022]);
    const t = await text(await renderAnnualPdf(d));
    const flat = t.replace(/\s+/g, "");
    for (const h of ["住民基本台帳ネットワークシステムの運用状況等について", ...SECTION_HEADINGS]) expect(flat, h).toContain(h.replace(/\s+/g, ""));
    expect(flat).toContain("本コンソールでは当該データを保持していません");
    expect(flat).toContain("住基ネット第1次稼働（8月5日）");
    if (!y2021.engagements.length) expect(flat).toContain("実施なし※新型コロナウイルス感染拡大の影響");
    // The usage table: 別表5 6件 against 4 (前年度比 2件).
    expect(flat).toContain("別表5（県内情報検索）6件70事務のうち、3事務で利用4件2件");
    const docx = await renderAnnualDocx(d);
    expect(docx.subarray(0, 2).toString()).toBe("PK");
  });

  it("fills 機器の更改, 研修 and 訓練 from the registers; a drill recorded as its exercise incident counts once", async () => {
    await db().equipment.create({
      data: {
        organizationId: SHIMONOSEKI,
        assetNo: `${TAG}fw`,
        kind: "firewall",
        name: "年報FW",
        installedOn: new Date("2015-04-01T00:00:00+09:00"),
        maintenanceEnd: new Date("2022-10-01T00:00:00+09:00"),
      },
    });
    await db().equipment.create({
      data: { organizationId: SHIMONOSEKI, assetNo: `${TAG}cs`, kind: "cs_server", name: `${TAG}CS`, maintenanceEnd: new Date("2026-10-01T00:00:00+09:00") },
    });
    const drillIncident = (await db().incident.findFirst({ where: { id: { in: created }, exercise: true } }))!;
    const session = (kind: string, title: string, heldOn: string, incidentId?: number) =>
      db().trainingSession.create({
        data: {
          organizationId: SHIMONOSEKI,
          kind,
          title: `${TAG}${title}`,
          heldOn: new Date(`${heldOn}T00:00:00+09:00`),
          participantCount: 12,
          recordedBy: "it",
          incidentId,
        },
      });
    await session("security_training", "研修", "2022-06-01");
    await session("security_training", "前年度の研修", "2022-03-31");
    await session("emergency_drill", "訓練", "2022-08-01", drillIncident.id);

    const d = await annualReportData(monitor, { fiscalYear: FY });
    const mine = d.equipmentRenewal!.rows.filter((r) => r.equipment.includes("年報"));
    expect(mine).toEqual([expect.objectContaining({ organization: "下関市", equipment: "ファイアウォール 年報FW" })]);
    const trainings = d.training!.rows.filter((r) => r.content.includes(TAG));
    expect(trainings).toEqual([{ organizer: "下関市", audience: "参加者 12名", content: `セキュリティ研修：${TAG}研修`, heldOn: expect.any(Date) }]);
    // The drill of the register replaces its exercise incident; no other drill of the year is this test's.
    expect(d.drills.filter((r) => r.title.includes(TAG)).map((r) => r.title)).toEqual([`緊急時対応訓練：${TAG}訓練`]);
    const flat = (await text(await renderAnnualPdf(d))).replace(/\s+/g, "");
    // Cells wrap in the PDF's table, so short names: the device and the training.
    expect(flat).toContain("年報FW");
    expect(flat).toContain("参加者12名");
  });
});

const dir = scratchDir("annual");
let n = 0;
async function text(pdf: Buffer): Promise<string> {
  const file = path.join(dir, `r${n++}.pdf`);
  fs.writeFileSync(file, pdf);
  return poppler("pdftotext", ["-layout", file, "-"]);
}

/** The statistics XLSX routes: contents, audit records, scope and period checks; fixture in statistics.fixture.ts. */
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as getProvisionsXlsx } from "../../app/api/reports/provisions/route";
import { GET as getUsageXlsx } from "../../app/api/reports/usage/route";
import { issueApiToken } from "../../lib/auth/api-tokens";
import { db } from "../../lib/db";
import { PREF, SHIMONOSEKI, useStatisticsData, YAMAGUCHI } from "./statistics.fixture";

useStatisticsData();

// ---------------------------------------------------------------- XLSX routes and scope

describe("XLSX routes", () => {
  let monitor: string;
  let shimonosekiOfficer: string;
  beforeAll(async () => {
    monitor = (await issueApiToken({ name: "stats", role: "monitor", organizationId: PREF })).token;
    shimonosekiOfficer = (await issueApiToken({ name: "stats", role: "municipal_officer", organizationId: SHIMONOSEKI })).token;
  });
  const call = (handler: (req: Request) => Promise<Response>, path: string, token: string) =>
    handler(new Request(`http://localhost${path}`, { headers: { authorization: `Bearer ${token}` } }));
  const workbook = async (res: Response) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    return wb;
  };
  const rowOf = (ws: ExcelJS.Worksheet, first: string) => {
    let found: unknown[] | undefined;
    ws.eachRow((r) => {
      if (r.getCell(1).value === first) found = (r.values as unknown[]).slice(1);
    });
    return found;
  };

  it("exports the usage report, prefecture table and per-organisation sheet", async () => {
    const res = await call(getUsageXlsx, "/api/reports/usage?fiscalYear=2022", monitor);
    expect(res.status).toBe(200);
    const wb = await workbook(res);
    const [sheet1, sheet2] = wb.worksheets;
    expect(rowOf(sheet1, "別表5（県内情報検索）")).toEqual(["別表5（県内情報検索）", 6, "70事務のうち、3事務で利用", 4, "70事務のうち、2事務で利用", 2, 50]);
    expect(rowOf(sheet1, "別表3（県外情報検索）")?.slice(0, 4)).toEqual(["別表3（県外情報検索）", 0, "", 0]);
    expect(rowOf(sheet1, "合計")?.slice(0, 2)).toEqual(["合計", 16]);
    expect(rowOf(sheet2, SHIMONOSEKI)?.slice(0, 2)).toEqual([SHIMONOSEKI, "下関市"]);
    const audit = await db().consoleAuditEvent.findFirst({ where: { action: "usage_report_export" }, orderBy: { seq: "desc" } });
    expect(JSON.parse(audit!.details!)).toMatchObject({ fiscalYear: 2022 });
  });

  it("exports the provision table with its totals", async () => {
    const res = await call(getProvisionsXlsx, `/api/reports/provisions?from=2022-03&to=2022-06&organization=${PREF}`, monitor);
    expect(res.status).toBe(200);
    const ws = (await workbook(res)).worksheets[0];
    const rows: unknown[][] = [];
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    expect(rows.find((r) => r[0] === "市町村長")).toEqual(["市町村長", expect.stringMatching(/^別表第2 /), "電気通信回線", 420, 0, 0, 0, 420, 420]);
    // 月別計 / 合計 over the prefecture's provisions only: 420 + 1920 + 5
    expect(rows.find((r) => r[0] === "月別計" && r[2] === "合計")).toEqual(["月別計", "月別計", "合計", 420, 1251, 671, 3, 2345]);
  });

  it("answers 403 for an organisation outside the caller's scope and 422 for a bad period", async () => {
    expect((await call(getUsageXlsx, `/api/reports/usage?fiscalYear=2022&organization=${YAMAGUCHI}`, shimonosekiOfficer)).status).toBe(403);
    expect((await call(getProvisionsXlsx, `/api/reports/provisions?organization=${YAMAGUCHI}`, shimonosekiOfficer)).status).toBe(403);
    expect((await call(getProvisionsXlsx, "/api/reports/provisions?from=2022-06&to=2022-03", monitor)).status).toBe(422);
    expect((await call(getUsageXlsx, "/api/reports/usage?fiscalYear=abc", monitor)).status).toBe(422);
    expect((await call(getUsageXlsx, "/api/reports/usage?fiscalYear=2099", monitor)).status).toBe(422);
    const own = await call(getProvisionsXlsx, "/api/reports/provisions?from=2022-03&to=2022-06", shimonosekiOfficer);
    expect(own.status).toBe(200);
  });
});

import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { summariseUsage, type UsageCount, type UsageReport } from "../../domain/statistics/usage";
import { renderUsageXlsx } from "./export";

const c = (organization: string, schedule: string, item: string, searches: number): UsageCount => ({ organization, schedule, item, searches });
const ORGS = [
  { id: "350001", name: "山口県" },
  { id: "352012", name: "下関市" },
];

function report(previous: UsageCount[], previousHasData: boolean): UsageReport {
  const current = [c("350001", "5", "5-1", 10), c("352012", "jukiho", "jukiho-1", 4)];
  const day = (s: string) => new Date(`${s}T00:00:00+09:00`);
  return {
    fiscalYear: 2026,
    current: { from: day("2026-04-01"), to: day("2027-04-01") },
    previous: { from: day("2025-04-01"), to: day("2026-04-01") },
    partial: false,
    hasData: true,
    previousHasData,
    ...summariseUsage(current, previous, ORGS),
    generatedAt: new Date("2026-12-01T10:00:00+09:00"),
  };
}

async function rowOf(buffer: Buffer, label: string): Promise<unknown[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  let found: unknown[] = [];
  wb.worksheets[0].eachRow((row) => {
    const values = (row.values as unknown[]).slice(1);
    if (values[0] === label) found = values;
  });
  return found;
}

describe("renderUsageXlsx", () => {
  it("writes データなし in the previous-year columns when the previous year has no record at all", async () => {
    const total = await rowOf(await renderUsageXlsx(report([], false)), "合計");
    expect(total[1]).toBe(14);
    expect([total[3], total[5], total[6]]).toEqual(["データなし", "データなし", "データなし"]);
  });

  it("writes the previous year's figures and the change when there is data", async () => {
    const total = await rowOf(await renderUsageXlsx(report([c("350001", "5", "5-1", 7)], true)), "合計");
    expect([total[1], total[3], total[5]]).toEqual([14, 7, 7]);
  });
});

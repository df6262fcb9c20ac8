import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { fiscalYear, jstParts } from "../../lib/calendar";
import { pageFor } from "../fixtures";

const DAY = 86_400_000;

test("the audit report's 別表・事務別 total equals the usage report's for the same municipality and period, and says so", async ({ browser }) => {
  test.setTimeout(180_000);
  const fy = fiscalYear(Date.now());
  const firm = "e2e 照合監査法人";

  // The usage report of 下関市 for this fiscal year: successful searches, stated as such; no previous-year data is 「データなし」.
  const monitor = await pageFor(browser, "monitor");
  await monitor.goto(`/reports/usage?fiscalYear=${fy}&organization=352012`);
  await expect(monitor.getByTestId("usage-definition")).toContainText("検索（成功）のみ");
  const usageTotal = (await monitor.getByTestId("usage-table").locator("tfoot th.num").first().textContent())!.trim();
  expect(Number(usageTotal.replace(/,/g, ""))).toBeGreaterThan(0);
  await expect(monitor.getByTestId("usage-no-previous")).toBeVisible();
  await expect(monitor.getByTestId("usage-table").locator("tfoot")).toContainText("データなし");
  await expect(monitor.getByTestId("usage-table")).not.toContainText("+");
  // A fiscal year without any record is an empty state, not a table of zeros.
  await monitor.goto(`/reports/usage?fiscalYear=${fy - 1}&organization=352012`);
  await expect(monitor.getByTestId("usage-empty")).toContainText("データはありません");
  await expect(monitor.getByTestId("usage-table")).toHaveCount(0);

  // An engagement auditing 下関市 over the whole fiscal year.
  const admin = await pageFor(browser, "prefAdmin");
  await admin.goto("/audits");
  const form: Record<string, string> = {
    監査法人: firm,
    "年度（西暦）": String(fy),
    "監査対象期間 開始": `${fy}-04-01`,
    "監査対象期間 終了": `${fy + 1}-03-31`,
    "閲覧期間 開始": jstParts(Date.now() - DAY).dateKey,
    "閲覧期間 終了": jstParts(Date.now() + 30 * DAY).dateKey,
    "監査人アカウント（ユーザーID、空白区切り）": "e2e-auditor",
  };
  for (const [label, value] of Object.entries(form)) await admin.getByLabel(label).fill(value);
  await admin.getByRole("checkbox", { name: "下関市" }).check();
  await admin.getByRole("button", { name: "登録する" }).click();
  const row = admin.locator("tr", { hasText: firm });
  await row.getByRole("link", { name: "開く" }).click();
  await admin.waitForURL(/\/audits\/[^/]+$/);
  const engagementId = admin.url().split("/").pop()!;

  // The auditor saves a draft and reads its live preview.
  const auditor = await pageFor(browser, "auditor");
  await auditor.goto(`/audits/${engagementId}/352012`);
  await auditor.getByLabel("監査の範囲及び方法").fill("アクセスログ分析により利用件数を確認した。");
  await auditor.getByRole("button", { name: "草案を保存" }).click();
  await expect(auditor.getByTestId("report-status")).toHaveText("草案");
  const pdf = await auditor.request.get(`/api/audits/${engagementId}/352012/report`);
  expect(pdf.status()).toBe(200);
  const raw = execFileSync("pdftotext", ["-", "-"], { input: await pdf.body(), encoding: "utf8" });
  const text = raw.replace(/\s+/g, "");
  // What it counts, and that its total is the usage report's.
  expect(text).toContain("利用件数:検索（成功）のみ");
  expect(text).toContain("同じ定義・同じ期間で集計しており、合計は一致します");
  // The 別表・事務別 section (its table may run onto the next page): its largest number is its total, the usage report's figure.
  // Counting views or provisions too (all records: the action table's total) would make it larger.
  // (Read with its whitespace: adjacent cells and the page number would otherwise run into one number.)
  const section = raw.slice(raw.indexOf("別表・事務別の利用"), raw.indexOf("アラート（検知ルール別"));
  expect(section).toContain("合計");
  const numbers = (section.match(/\d{1,3}(?:,\d{3})+|\d+/g) ?? []).map((n) => Number(n.replace(/,/g, "")));
  expect(Math.max(...numbers)).toBe(Number(usageTotal.replace(/,/g, "")));
  // Operator actions leave out sign-in and card records and are labelled, so the total of all records is not silently repeated.
  expect(text).toContain("記録の総数");
  expect(text).toContain("操作者による業務操作");
});

import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { SECTION_HEADINGS } from "../../domain/annual/sections";
import { fiscalYear } from "../../lib/calendar";
import { pageFor } from "../fixtures";

/**
 * The seeded world's traffic is the municipalities'; the prefecture's own searches (別表5, which its 税務課 may use)
 * are added here, on the second day of the fiscal year (outside the dashboard's 30-day range for most of the year).
 */
async function prefectureSearches(fy: number): Promise<void> {
  const { ev, ingest, resident } = await import("../../tests/integration/detectors/harness");
  const at = (h: number) => `${fy}-04-02T${String(h).padStart(2, "0")}:00:00+09:00`;
  await ingest([
    ev({ t: at(10), org: "350001", schedule: "5", item: "5-1", resident: resident(8101) }),
    ev({ t: at(11), org: "350001", schedule: "5", item: "5-1", resident: resident(8102) }),
    ev({ t: at(13), org: "350001", schedule: "5", item: "5-2", resident: resident(8103) }),
  ]);
}

const flat = (s: string) => s.replace(/\s+/g, "");

test("prefecture staff generate the operation-status report (運用状況報告) of the demo's fiscal year: seed 003's headings, the usage page's figures", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const fy = fiscalYear(Date.now());
  await prefectureSearches(fy);
  const monitor = await pageFor(browser, "monitor");

  // The usage page of the prefecture itself (本県利用状況): each schedule's row and the total.
  await monitor.goto(`/reports/usage?fiscalYear=${fy}&organization=350001`);
  const usageRows = await monitor
    .getByTestId("usage-table")
    .locator("tbody tr")
    .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll("td")].slice(0, 2).map((c) => c.textContent!.trim())));
  const usageTotal = (await monitor.getByTestId("usage-table").locator("tfoot th.num").first().textContent())!.trim();
  expect(Number(usageTotal.replace(/,/g, "")), "the demo prefecture searches in this fiscal year").toBeGreaterThan(0);

  // The report page, reached from the navigation: the figures with links to their pages.
  await monitor.goto("/dashboard");
  await monitor.getByRole("navigation", { name: "メインメニュー" }).getByRole("link", { name: "運用状況報告" }).click();
  await monitor.waitForURL(/\/reports\/annual/);
  await expect(monitor.getByTestId("fig-usage")).toContainText(`${usageTotal}件`);
  await expect(monitor.getByTestId("fig-usage").getByRole("link")).toHaveAttribute("href", `/reports/usage?fiscalYear=${fy}&organization=350001`);
  await expect(monitor.getByTestId("fig-equipment")).toContainText("保持していません");
  // The training register holds e2e/global-setup.ts's security training of 下関市 this fiscal year.
  await expect(monitor.getByTestId("fig-training")).toContainText("1件");
  await expect(monitor.getByTestId("fig-training").getByRole("link")).toHaveAttribute("href", "/registers/training");
  await expect(monitor.getByTestId("annual-usage").locator("tfoot")).toContainText(usageTotal);

  // Edit the narratives, then download the PDF and the DOCX.
  await monitor.getByLabel("1 これまでの住基ネットについて（経緯）").fill("H14\t住基ネット 第1次稼働（8月5日）\nH15\t住基ネット 第2次稼働（8月25日）");
  await monitor.getByLabel("5(1) 要綱等の整備状況").fill("運用管理要綱、緊急時対応計画を策定\nセキュリティ会議の設置など、庁内体制を整備");
  await monitor.getByRole("button", { name: "保存" }).click();
  await expect(monitor.getByRole("status")).toContainText("保存しました");
  await expect(monitor.getByLabel("1 これまでの住基ネットについて（経緯）")).toHaveValue(/第2次稼働/);

  const pdf = await monitor.request.get((await monitor.getByTestId("annual-pdf").getAttribute("href"))!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect(pdf.headers()["cache-control"]).toContain("no-store");
  const raw = execFileSync("pdftotext", ["-layout", "-", "-"], { input: await pdf.body(), encoding: "utf8" });
  const text = flat(raw);
  expect(text).toContain("住民基本台帳ネットワークシステムの運用状況等について");
  for (const h of SECTION_HEADINGS) expect(text, h).toContain(flat(h));
  expect(text).toContain("住基ネット第2次稼働（8月25日）");
  expect(text).toContain("・セキュリティ会議の設置など、庁内体制を整備");
  // Every usage figure is the usage page's: each schedule's count beside its label, and the total.
  for (const [label, count] of usageRows) expect(text, label).toContain(`${flat(label)}${count}件`);
  expect(text).toContain(`合計${usageTotal}件`);
  // Sections without data in the console say so.
  expect(text).toContain("本コンソールでは当該データを保持していません");

  const docx = await monitor.request.get((await monitor.getByTestId("annual-docx").getAttribute("href"))!);
  expect(docx.status()).toBe(200);
  expect(docx.headers()["content-type"]).toContain("wordprocessingml");
  expect((await docx.body()).subarray(0, 2).toString()).toBe("PK");

  // A municipality's staff get the forbidden page and no document.
  const officer = await pageFor(browser, "shimonoseki");
  await officer.goto("/reports/annual");
  await expect(officer).toHaveURL(/\/forbidden/);
  expect((await officer.request.get(`/api/reports/annual?fiscalYear=${fy}`)).status()).toBe(403);
});

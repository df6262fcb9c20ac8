import { expect, test } from "@playwright/test";
import { pageFor } from "../fixtures";

test("the dashboard renders its charts and tables", async ({ browser }, testInfo) => {
  const page = await pageFor(browser, "monitor");
  await page.goto("/dashboard?range=7d");
  await expect(page.getByRole("heading", { name: "ダッシュボード" })).toBeVisible();
  const charts = page.locator("figure.chart");
  await expect(charts).toHaveCount(3);
  for (let i = 0; i < 3; i++) await expect(charts.nth(i).locator("svg.recharts-surface").first()).toBeVisible();
  // Stacked areas of the events chart and bars of the alert charts are drawn.
  await expect(page.locator("path.recharts-area-area").first()).toBeVisible();
  await expect(page.locator("path.recharts-rectangle").first()).toBeVisible();
  await expect(page.getByRole("heading", { name: "団体別の操作件数" })).toBeVisible();
  await expect(page.locator("section", { hasText: "団体別の操作件数" }).locator("tbody tr")).toHaveCount(2);
  await expect(page.locator("section", { hasText: "ノードの状態" }).locator("tbody tr").first()).toBeVisible();
  const shot = testInfo.outputPath("dashboard.png");
  await page.screenshot({ path: shot, fullPage: true });
  await testInfo.attach("dashboard", { path: shot, contentType: "image/png" });
});

import { expect, test } from "@playwright/test";
import { pageFor } from "../fixtures";

const JST_TIME = /\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/;

test("the dashboard renders its tiles, charts and tables; the intake banner shows when nothing arrives", async ({ browser }, testInfo) => {
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

  // The seeded world's newest event is from yesterday, older than the shortest threshold (30 + 5 minutes): intake stopped.
  const banner = page.getByTestId("intake-banner");
  await expect(banner).toContainText("データが届いていません");
  await expect(banner).toContainText("35分");
  await expect(banner).toContainText(JST_TIME);
  // One truth with node-silence: silences are measured up to the last arrival, so the nodes that sent until then are not silent.
  const nodes = page.locator("section#nodes");
  await expect(nodes.locator("tr", { hasText: "CS-352012" })).toContainText("正常");
  await expect(nodes.locator("tr", { hasText: "CS-352039" })).toContainText("正常");
  // The IDS sensor is read from the IDS index: its alert of yesterday is its last arrival, not 受信なし.
  const ids = nodes.locator("tr", { hasText: "IDS-350001" });
  await expect(ids).toContainText("IDSセンサ");
  await expect(ids).not.toContainText("受信なし");
  await expect(ids).toContainText(JST_TIME);

  // Legends in Japanese, each a link to the filtered list.
  const legend = charts.nth(0).locator(".chartlinks");
  await expect(legend.getByRole("link", { name: "検索" })).toBeVisible();
  await expect(legend).not.toContainText("search");
  await expect(page.getByTestId("dashboard-refresh")).toContainText(/最終更新 \d{4}\/\d{2}\/\d{2}/);
  await expect(page.getByTestId("dashboard-refresh")).toContainText("60秒ごとに自動更新");

  const shot = testInfo.outputPath("dashboard.png");
  await page.screenshot({ path: shot, fullPage: true });
  await testInfo.attach("dashboard", { path: shot, contentType: "image/png" });

  await legend.getByRole("link", { name: "閲覧" }).click();
  await page.waitForURL(/\/events\?action=view&range=7d$/);
  await expect(page.getByRole("heading", { name: "ログ検索" })).toBeVisible();
});

test("every tile, chart and table leads to its filtered list; auto-refresh can be paused", async ({ browser }) => {
  const page = await pageFor(browser, "monitor");
  await page.goto("/dashboard?range=7d");
  for (const [severity, label] of [
    ["critical", "緊急"],
    ["high", "高"],
    ["medium", "中"],
    ["low", "低"],
  ]) {
    const tile = page.getByTestId(`tile-open-${severity}`);
    await expect(tile).toContainText(`未対応アラート（${label}）`);
    await expect(tile).toHaveAttribute("href", `/alerts?status=open&severity=${severity}&range=7d`);
  }
  await expect(page.getByTestId("tile-overdue-checklists")).toHaveAttribute("href", "/checklist");
  // A monitor does not manage nodes: the tile leads to the node table.
  await expect(page.getByTestId("tile-silent-nodes")).toHaveAttribute("href", "#nodes");
  const silent = Number(await page.getByTestId("tile-silent-nodes").locator(".tile-value").textContent());
  await expect(page.locator("section#nodes tr.warn")).toHaveCount(silent);

  // The seeded after-hours alerts: the rule chart links to the queue filtered on the rule, the severity chart on the severity.
  await expect(page.locator(".chartlinks a[href^='/alerts?rule=after-hours-access&']")).toHaveCount(1);
  await expect(page.locator(".chartlinks a[href^='/alerts?severity=']")).toHaveCount(4);
  await expect(page.locator("section", { hasText: "団体別の操作件数" }).locator("a[href^='/events?organization=352012&']")).toHaveCount(1);
  await expect(page.locator("section", { hasText: "操作件数の多い操作者" }).locator("a[href^='/events?operator=']").first()).toBeVisible();

  await page.getByTestId("tile-open-medium").click();
  await page.waitForURL(/\/alerts\?status=open&severity=medium&range=7d$/);
  await page.goBack();

  const refresh = page.getByTestId("dashboard-refresh");
  await refresh.getByRole("button", { name: "自動更新を停止" }).click();
  await expect(refresh).toContainText("自動更新を停止中");
  await expect(refresh.getByRole("button", { name: "自動更新を再開" })).toHaveAttribute("aria-pressed", "true");

  // An admin manages the nodes: the silent-node tile opens the node administration.
  const admin = await pageFor(browser, "prefAdmin");
  await admin.goto("/dashboard?range=7d");
  await admin.getByTestId("tile-silent-nodes").click();
  await admin.waitForURL(/\/admin\/nodes$/);
});

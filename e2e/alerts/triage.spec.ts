import { expect, test } from "@playwright/test";
import { pageFor, seeded } from "../fixtures";

test("a monitor triages an alert end to end and the history shows every step", async ({ browser }) => {
  const { from, to, alerts } = seeded();
  const { id, entity } = alerts["352012"][0];
  const page = await pageFor(browser, "monitor");
  await page.goto(`/alerts?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
  await expect(page.getByRole("heading", { name: "アラート一覧" })).toBeVisible();
  const row = page.locator("tr", { has: page.getByLabel(`選択 ${id}`) });
  await expect(row).toContainText("未対応");

  // Bulk acknowledge from the queue.
  await page.getByLabel(`選択 ${id}`).check();
  await page.getByRole("button", { name: "確認済にする" }).click();
  await expect(row).toContainText("確認済");

  // Assign and close with a disposition and a note on the detail page.
  await row.getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/alerts/${id}`));
  await expect(page.getByRole("heading", { name: /アラート詳細/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: "根拠" })).toBeVisible();
  const triage = page.getByRole("form", { name: "対応" });
  await triage.getByRole("button", { name: "自分に割り当て" }).click();
  await expect(page.locator(".facts")).toContainText("e2e-monitor");
  await triage.getByLabel("判定").selectOption("false_positive");
  await triage.getByLabel("メモ").fill("残業申請あり（市民課長確認済）");
  await triage.getByRole("button", { name: "完了にする" }).click();
  await expect(page.getByTestId("alert-status")).toHaveText("完了");
  const history = page.locator("ol.history li");
  await expect(history).toHaveCount(3);
  await expect(history.nth(0)).toContainText("e2e-monitor: 確認済にする");
  await expect(history.nth(1)).toContainText("自分に割り当て");
  await expect(history.nth(2)).toContainText("完了にする（誤検知） 残業申請あり（市民課長確認済）");
  // The explorer link is pre-filtered on the entity.
  await page.getByRole("link", { name: "ログ検索で開く" }).click();
  await expect(page).toHaveURL(new RegExp(`/events\\?.*operator=${entity}`));
  await expect(page.locator("table.events tbody tr").first()).toContainText(entity);
});

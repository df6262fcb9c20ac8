import { expect, test } from "@playwright/test";
import { BASE_URL, pageFor } from "../fixtures";

const NOT_FOUND = "ページが見つかりません";
const FORBIDDEN = "この画面を表示する権限がありません";

test("404 pages are in Japanese inside the console, with its header and navigation", async ({ browser }) => {
  const page = await pageFor(browser, "monitor");
  // An unknown alert has the alert list's own not-found (with a way back to the queue); the rest the console's.
  for (const [url, heading] of [
    ["/alerts/no-such-alert", "アラートが見つかりません"],
    ["/entities/nothing/x", NOT_FOUND],
    ["/no-such-page", NOT_FOUND],
  ]) {
    const res = await page.goto(url);
    expect(res?.status(), url).toBe(404);
    await expect(page.getByRole("heading", { name: heading }), url).toBeVisible();
    await expect(page.getByRole("navigation", { name: "メインメニュー" }).getByRole("link", { name: "ダッシュボード" }), url).toBeVisible();
    await expect(page.locator("body"), url).not.toContainText("This page could not be found");
  }
});

test("the forbidden page keeps the header for a signed-in user and stays public", async ({ browser }) => {
  const page = await pageFor(browser, "shimonoseki");
  await page.goto("/admin/users");
  await page.waitForURL(/\/forbidden$/);
  await expect(page.getByRole("heading", { name: FORBIDDEN })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "メインメニュー" }).getByRole("link", { name: "アラート" })).toBeVisible();
  await expect(page.getByRole("link", { name: "ダッシュボードへ" })).toBeVisible();

  const anonymous = await browser.newContext({ baseURL: BASE_URL, locale: "ja-JP" });
  const p = await anonymous.newPage();
  await p.goto("/forbidden");
  await expect(p.getByRole("heading", { name: FORBIDDEN })).toBeVisible();
  await expect(p.getByRole("navigation", { name: "メインメニュー" })).toHaveCount(0);
  await anonymous.close();
});

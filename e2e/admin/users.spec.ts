/**
 * Administration in the UI (issue 13): an admin creates a user, who enrols a
 * TOTP authenticator at first sign-in; a TOTP reset by the admin ends the
 * user's session and makes the user enrol again. A node token is shown once
 * on the page, with a copy button, and never in the URL.
 */
import { expect, test, type Page } from "@playwright/test";
import { totp } from "../../lib/auth/totp";
import { BASE_URL, pageFor } from "../fixtures";

async function signInForm(page: Page, loginId: string, password: string) {
  await page.goto("/signin");
  await page.getByLabel("ユーザーID").fill(loginId);
  await page.getByLabel("パスワード", { exact: true }).fill(password);
  await page.getByRole("button", { name: "サインイン" }).click();
}

async function enrol(page: Page): Promise<string> {
  await expect(page).toHaveURL(/\/account\/totp/);
  const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
  await page.getByLabel("確認コード（6桁）").fill(totp(secret, Date.now()));
  await page.getByRole("button", { name: "登録する" }).click();
  await expect(page).toHaveURL(/\/dashboard/);
  return secret;
}

test("an admin creates a user who enrols at first sign-in; a TOTP reset makes the user enrol again", async ({ browser }) => {
  const admin = await pageFor(browser, "prefAdmin");
  await admin.goto("/admin/users");
  const login = `e2e-new-${Date.now().toString(36)}`;
  const form = admin.getByRole("form", { name: "利用者の追加" });
  await form.getByLabel("ユーザーID").fill(login);
  await form.getByLabel("氏名").fill("新規 利用者");
  await form.getByLabel("役割").selectOption("municipal_officer");
  await form.getByLabel("団体").selectOption("352012");
  await form.getByRole("button", { name: "追加" }).click();
  const password = (await admin.getByTestId("one-time-password").textContent())!.trim();
  expect(password).toHaveLength(16);
  expect(admin.url()).not.toContain(password);
  // The same login id again: refused inline, in Japanese.
  await form.getByLabel("ユーザーID").fill(login);
  await form.getByLabel("氏名").fill("重複");
  await form.getByRole("button", { name: "追加" }).click();
  await expect(admin.locator("p[role=alert]")).toHaveText("このユーザーIDは既に使われています");

  const ctx = await browser.newContext({ baseURL: BASE_URL, locale: "ja-JP", timezoneId: "Asia/Tokyo" });
  const user = await ctx.newPage();
  await signInForm(user, login, password);
  const first = await enrol(user);

  await admin.reload();
  const row = admin.getByTestId(`user-${login}`);
  await expect(row).toContainText("有効");
  // The confirmation can be cancelled: nothing happens.
  await row.getByRole("button", { name: "確認コード再登録" }).click();
  await admin.getByRole("dialog").getByRole("button", { name: "キャンセル" }).click();
  await expect(row).toContainText("有効");
  await row.getByRole("button", { name: "確認コード再登録" }).click();
  await admin.getByRole("dialog").getByRole("button", { name: "実行する" }).click();
  await expect(row).toContainText("確認コードの登録を解除しました");
  await admin.reload();
  await expect(admin.getByTestId(`user-${login}`)).toContainText("確認コード未登録");

  // The user's session has ended; signing in again leads to a new enrolment with a new key.
  await user.goto("/dashboard");
  await expect(user).toHaveURL(/\/signin/);
  await signInForm(user, login, password);
  expect(await enrol(user)).not.toBe(first);
  await ctx.close();
});

test("a node token is shown once on the page with a copy button, never in the URL, and revoked after a confirmation", async ({ browser }) => {
  const page = await pageFor(browser, "prefAdmin");
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: BASE_URL });
  await page.goto("/admin/nodes");
  const row = page.locator("tr", { hasText: "CS-352012" });
  await row.getByRole("button", { name: "トークン発行" }).click();
  const token = (await page.getByTestId("issued-token").textContent())!.trim();
  expect(token).toMatch(/^jkw_[0-9a-f]{12}_/);
  expect(page.url()).not.toContain(token);
  await page.getByRole("button", { name: "コピー" }).click();
  await expect(page.getByRole("button", { name: "コピーしました" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
  // Gone on reload: it was never stored anywhere the page can read.
  await page.reload();
  await expect(page.getByTestId("issued-token")).toHaveCount(0);
  expect(await page.content()).not.toContain(token);

  const id = `tok_${token.split("_")[1]}`;
  const item = page.locator("li", { hasText: id });
  await item.getByRole("button", { name: "失効" }).click();
  await expect(page.getByRole("dialog")).toContainText("このトークンを失効させます");
  await page.getByRole("dialog").getByRole("button", { name: "実行する" }).click();
  await expect(page.locator("li", { hasText: id })).toContainText("失効済");
});

import { expect, test } from "@playwright/test";
import { nextCode, pageFor, PASSWORD, USERS } from "../fixtures";

async function fillSignIn(page: import("@playwright/test").Page, loginId: string, password: string, code?: string) {
  await page.goto("/signin");
  await page.getByLabel("ユーザーID").fill(loginId);
  await page.getByLabel("パスワード").fill(password);
  if (code) await page.getByLabel("確認コード（6桁）").fill(code);
  await page.getByRole("button", { name: "サインイン" }).click();
}

test("sign-in with password and TOTP; a wrong code is refused", async ({ page }) => {
  const u = USERS.yamaguchi;
  await fillSignIn(page, u.loginId, PASSWORD, "000000");
  await expect(page.locator("p[role=alert]")).toHaveText("確認コードが正しくありません。");
  await fillSignIn(page, u.loginId, PASSWORD);
  await expect(page.locator("p[role=alert]")).toHaveText("確認コード（6桁）を入力してください。");
  await fillSignIn(page, u.loginId, PASSWORD, nextCode(u.secret));
  await expect(page).toHaveURL(/\/dashboard/);
  await expect(page.getByRole("heading", { name: "ダッシュボード" })).toBeVisible();
  await expect(page.getByText("e2e yamaguchi（山口市 / 市町村セキュリティ責任者）")).toBeVisible();
});

test("five wrong passwords lock the account; only an admin of another organisation can unlock it", async ({ page, browser }) => {
  const target = USERS.lockTarget;
  for (let i = 1; i <= 4; i++) {
    await fillSignIn(page, target.loginId, "not the password");
    await expect(page.locator("p[role=alert]")).toHaveText("ユーザーIDまたはパスワードが正しくありません。");
  }
  await fillSignIn(page, target.loginId, "not the password");
  await expect(page.locator("p[role=alert]")).toContainText("ロックされています");
  // The right password does not help while locked.
  await fillSignIn(page, target.loginId, PASSWORD, "123456");
  await expect(page.locator("p[role=alert]")).toContainText("ロックされています");

  // An admin of the same municipality (下関市) cannot unlock: the button is disabled, and the server refuses a forced submit.
  const cityAdmin = await pageFor(browser, "cityAdmin");
  await cityAdmin.goto("/admin/users");
  const row = cityAdmin.getByTestId(`user-${target.loginId}`);
  await expect(row).toContainText("ロック中");
  const button = row.getByRole("button", { name: "ロック解除" });
  await expect(button).toBeDisabled();
  await button.evaluate((b) => b.removeAttribute("disabled"));
  await button.click();
  await expect(cityAdmin.locator("p[role=alert]")).toContainText("own organisation");
  await expect(cityAdmin.getByTestId(`user-${target.loginId}`)).toContainText("ロック中");

  // The prefecture's admin can.
  const prefAdmin = await pageFor(browser, "prefAdmin");
  await prefAdmin.goto("/admin/users");
  await prefAdmin.getByTestId(`user-${target.loginId}`).getByRole("button", { name: "ロック解除" }).click();
  await expect(prefAdmin.getByRole("status")).toBeVisible();
  await expect(prefAdmin.getByTestId(`user-${target.loginId}`)).toContainText("有効");

  await fillSignIn(page, target.loginId, PASSWORD, nextCode(target.secret));
  await expect(page).toHaveURL(/\/dashboard/);
});

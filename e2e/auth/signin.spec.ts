import { expect, test } from "@playwright/test";
import { BASE_URL, nextCode, pageFor, PASSWORD, USERS } from "../fixtures";

const CONTEXT = { baseURL: BASE_URL, locale: "ja-JP", timezoneId: "Asia/Tokyo" };

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
  await expect(cityAdmin.locator("p[role=alert]")).toContainText("同じ団体の管理者はロックを解除できません");
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

test("a session cookie captured before sign-out is refused after it", async ({ browser }) => {
  // A user of its own: signing out ends every session of the user, and the other specs keep their users' sessions.
  const { createUser } = await import("../../lib/auth/accounts");
  const { disconnectDb } = await import("../../lib/db");
  const secret = "MZXW6YTBOI6XI2LNMVZWG4TFORZW63LF";
  await createUser({ loginId: "e2e-signout", name: "e2e signout", role: "monitor", organizationId: "350001", password: PASSWORD, totpSecret: secret });
  await disconnectDb();

  const ctx = await browser.newContext(CONTEXT);
  const page = await ctx.newPage();
  await fillSignIn(page, "e2e-signout", PASSWORD, nextCode(secret));
  await expect(page).toHaveURL(/\/dashboard/);
  const captured = await ctx.cookies();
  expect(captured.some((c) => c.name.includes("next-auth.session-token"))).toBe(true);

  // The captured cookie works in another browser while the session lasts.
  const replay = async () => {
    const other = await browser.newContext(CONTEXT);
    await other.addCookies(captured);
    const p = await other.newPage();
    await p.goto("/dashboard");
    return { other, p };
  };
  const before = await replay();
  await expect(before.p.getByRole("heading", { name: "ダッシュボード" })).toBeVisible();
  await before.other.close();

  await page.getByRole("button", { name: "サインアウト" }).click();
  await expect(page).toHaveURL(/\/signin/);

  // After sign-out the same cookie, replayed, is refused (back to sign-in), and the API answers 401.
  const after = await replay();
  await expect(after.p).toHaveURL(/\/signin/);
  const api = await after.other.request.get("/api/dashboard", { maxRedirects: 0 });
  expect(api.status()).toBe(401);
  await after.other.close();
  await ctx.close();
});

test("too many failed sign-ins for one login id answer 429 with Retry-After; the form says so", async ({ page, request }) => {
  const loginId = "e2e-nobody-rate-limited";
  const attempt = async () => {
    const csrf = (await (await request.get("/api/auth/csrf")).json()).csrfToken as string;
    return request.post("/api/auth/callback/credentials", {
      form: { csrfToken: csrf, loginId, password: "not the password", totp: "", json: "true" },
      maxRedirects: 0,
    });
  };
  let limited;
  for (let i = 0; i < 20 && !limited; i++) {
    const res = await attempt();
    if (res.status() === 429) limited = res;
  }
  expect(limited, "no 429 within 20 failed sign-ins").toBeTruthy();
  expect(Number(limited!.headers()["retry-after"])).toBeGreaterThan(0);
  await fillSignIn(page, loginId, "not the password");
  await expect(page.locator("p[role=alert]")).toHaveText("サインインの試行が多すぎます。しばらく待ってから、もう一度お試しください。");
});

/**
 * Two console instances: a second `next start` of the same build, on another
 * port, with the same secrets and database as the first. A session made on
 * either is valid on the other (sessions are signed with NEXTAUTH_SECRET and
 * checked against the user's row in the shared database).
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { REPO_ROOT } from "../../lib/paths";
import { BASE_URL, contextFor, nextCode, PASSWORD, USERS } from "../fixtures";

/** Port of the second instance (E2E_SECOND_PORT; default beside E2E_PORT). */
const SECOND_PORT = Number(process.env.E2E_SECOND_PORT ?? Number(new URL(BASE_URL).port) + 1);
const SECOND = `http://localhost:${SECOND_PORT}`;
let server: ChildProcess | undefined;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  server = spawn(process.execPath, [path.join(REPO_ROOT, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(SECOND_PORT)], {
    cwd: REPO_ROOT,
    env: { ...process.env, NEXTAUTH_URL: SECOND },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; ; i++) {
    if (
      await fetch(`${SECOND}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i > 200) throw new Error("the second console instance did not start");
    await new Promise((r) => setTimeout(r, 500));
  }
});

test.afterAll(() => {
  server?.kill("SIGTERM");
});

test("a session made on one instance is valid on the other, both ways", async ({ browser }) => {
  // Made on the first instance, used on the second (cookies are per host, not per port).
  const ctx = await contextFor(browser, "monitor");
  const onFirstSession = await (await ctx.request.get(`${BASE_URL}/api/auth/session`)).json();
  const onSecond = await (await ctx.request.get(`${SECOND}/api/auth/session`)).json();
  expect(onFirstSession.user).toBeTruthy();
  expect(onSecond.user).toEqual(onFirstSession.user);
  const page = await ctx.newPage();
  await page.goto(`${SECOND}/alerts`);
  await expect(page).toHaveURL(new RegExp(`^${SECOND}/alerts`));
  await ctx.close();

  // Made on the second instance, used on the first.
  const fresh = await browser.newContext();
  const csrf = (await (await fresh.request.get(`${SECOND}/api/auth/csrf`)).json()).csrfToken as string;
  const u = USERS.yamaguchi;
  const res = await fresh.request.post(`${SECOND}/api/auth/callback/credentials`, {
    form: { csrfToken: csrf, loginId: u.loginId, password: PASSWORD, totp: nextCode(u.secret), json: "true" },
  });
  expect(res.ok()).toBe(true);
  expect((await (await fresh.request.get(`${SECOND}/api/auth/session`)).json()).user).toBeTruthy();
  const onFirst = await (await fresh.request.get(`${BASE_URL}/api/auth/session`)).json();
  expect(onFirst.user).toBeTruthy();
  // Without the cookie, neither instance knows the visitor.
  const anonymous = await browser.newContext();
  expect((await (await anonymous.request.get(`${SECOND}/api/auth/session`)).json())?.user).toBeUndefined();
  await anonymous.close();
  await fresh.close();
});

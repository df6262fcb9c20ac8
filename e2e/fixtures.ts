/** Shared by the e2e specs: seeded users (known TOTP secrets), sign-in through the API, the seeded period. */
import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { totp } from "../lib/auth/totp";
import { E2E_PORT, E2E_SMTP_PORT } from "./environment";

export const PASSWORD = "e2e-password-for-tests";
export const BASE_URL = `http://localhost:${E2E_PORT}`;
/** Port of the test SMTP server (tests/support/smtp.ts) that the notification spec starts; SMTP_URL points at it. */
export const SMTP_PORT = E2E_SMTP_PORT;
const CONTEXT = { baseURL: BASE_URL, viewport: { width: 1366, height: 768 }, locale: "ja-JP", timezoneId: "Asia/Tokyo" };

export const USERS = {
  monitor: { loginId: "e2e-monitor", role: "monitor", organizationId: "350001", secret: "KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF" },
  prefAdmin: { loginId: "e2e-pref-admin", role: "admin", organizationId: "350001", secret: "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U" },
  cityAdmin: { loginId: "e2e-shimonoseki-admin", role: "admin", organizationId: "352012", secret: "ONSWG4TFOQYTEMZUGU3DOOBZGAYTEMZU" },
  shimonoseki: { loginId: "e2e-shimonoseki", role: "municipal_officer", organizationId: "352012", secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" },
  yamaguchi: { loginId: "e2e-yamaguchi", role: "municipal_officer", organizationId: "352039", secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" },
  lockTarget: { loginId: "e2e-lock-target", role: "municipal_officer", organizationId: "352012", secret: "NBSWY3DPO5XXE3DEEBSWY3DPO5XXE3DE" },
  expiredAuditor: { loginId: "e2e-auditor-expired", role: "auditor", organizationId: "350001", secret: "OBQXG43XN5ZGIMJSGM2DKNRXHAZDCMRT" },
  auditor: { loginId: "e2e-auditor", role: "auditor", organizationId: "350001", secret: "MFSWS3DJNZTWK4TBOIYTEMZUGU3DOOBZ" },
  auditor2: { loginId: "e2e-auditor-2", role: "auditor", organizationId: "350001", secret: "NFXHI3LJONZWKY3POJSGK4TZGIZTINJW" },
} as const;

export type UserKey = keyof typeof USERS;

export const STATE_FILE = path.join(process.cwd(), "test-results", "e2e-state.json");

/** What global setup seeded: the period and the alert ids per organisation. */
export function seeded(): { from: string; to: string; alerts: Record<string, { id: string; entity: string }[]>; expiredEngagement: string } {
  return JSON.parse(fs.readFileSync(STATE_FILE, "utf8"));
}

/**
 * A code of the current TOTP step for the user. The server refuses a step it
 * already accepted, so each user signs in at most once per step: callers that
 * sign a user in again within 30 s get the next step's code, which the server
 * accepts as clock drift.
 */
const lastStep = new Map<string, number>();
export function nextCode(secret: string): string {
  let step = Math.floor(Date.now() / 30_000);
  const last = lastStep.get(secret) ?? -1;
  if (step <= last) step = last + 1;
  if (step > Math.floor(Date.now() / 30_000) + 1) throw new Error("more than two sign-ins of one user within 30 s");
  lastStep.set(secret, step);
  return totp(secret, step * 30_000);
}

/**
 * Signs in through next-auth's API (not the form) once per user and run; the
 * session is kept on disk so that it survives a worker restart after a
 * failed test (signing in again within 30 s would reuse a TOTP step).
 */
const AUTH_DIR = path.join(process.cwd(), "test-results", "e2e-auth");
export async function contextFor(browser: Browser, key: UserKey): Promise<BrowserContext> {
  const u = USERS[key];
  const file = path.join(AUTH_DIR, `${key}.json`);
  if (fs.existsSync(file)) return browser.newContext({ ...CONTEXT, storageState: file });
  const ctx = await browser.newContext(CONTEXT);
  const csrf = (await (await ctx.request.get("/api/auth/csrf")).json()).csrfToken as string;
  const res = await ctx.request.post("/api/auth/callback/credentials", {
    form: { csrfToken: csrf, loginId: u.loginId, password: PASSWORD, totp: nextCode(u.secret), json: "true" },
  });
  if (!res.ok()) throw new Error(`sign-in of ${u.loginId} failed: ${res.status()}`);
  const session = await (await ctx.request.get("/api/auth/session")).json();
  if (!session?.user) throw new Error(`sign-in of ${u.loginId} gave no session: ${JSON.stringify(session)}`);
  fs.mkdirSync(AUTH_DIR, { recursive: true });
  await ctx.storageState({ path: file });
  return ctx;
}

export async function pageFor(browser: Browser, key: UserKey): Promise<Page> {
  return (await contextFor(browser, key)).newPage();
}

/**
 * HTTP hardening (issue 10, point 5): every page and API response carries the
 * security headers, pages a nonce-based Content-Security-Policy that Next's
 * own scripts satisfy, so the console (client components, charts, client
 * navigation) works with no CSP violation.
 */
import { expect, test, type APIResponse, type Page, type Response } from "@playwright/test";
import { contextFor, pageFor, seeded } from "../fixtures";
import { expectApiHeaders, expectPageHeaders } from "./expect-headers";

async function visit(page: Page, path: string): Promise<Response> {
  const res = await page.goto(path);
  expect(res, `no response for ${path}`).not.toBeNull();
  return res!;
}

test("every script of a page carries the response's nonce, on pages that could have been prerendered too", async ({ browser }) => {
  const signedIn = await contextFor(browser, "monitor");
  const anonymous = await browser.newContext();
  for (const [ctx, path] of [
    [signedIn, "/dashboard?range=7d"],
    [signedIn, "/forbidden"],
    [anonymous, "/signin"],
  ] as const) {
    const res = await ctx.request.get(path);
    expect(res.status(), path).toBe(200);
    const nonce = expectPageHeaders(res.headers(), path);
    const scripts = (await res.text()).match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length, path).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag, `${path}: script without the response's nonce`).toContain(`nonce="${nonce}"`);
  }
  await anonymous.close();
});

test("API routes and exports carry the headers and are never cached", async ({ browser }) => {
  const { from, to } = seeded();
  const ctx = await contextFor(browser, "prefAdmin");
  const period = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  const paths = [
    "/api/health",
    "/api/auth/session",
    "/api/dashboard?range=7d",
    `/api/alerts?${period}`,
    `/api/events/export?${period}`,
    `/api/reports/usage?fiscalYear=${new Date().getFullYear() - 1}`,
    `/api/reports/provisions?${period}`,
    "/api/no-such-route",
  ];
  for (const path of paths) {
    const res: APIResponse = await ctx.request.get(path);
    expectApiHeaders(res.headers(), `${path} (${res.status()})`);
  }
  // Also on an ingest answer (the proxy does not run there; next.config.ts headers do).
  const ingest = await ctx.request.post("/api/ingest/access", { data: "{}\n", headers: { "content-type": "application/x-ndjson" } });
  expect(ingest.status()).toBe(401);
  expectApiHeaders(ingest.headers(), "/api/ingest/access (401)");
});

test("the dashboard renders its charts and navigates client-side with no CSP violation", async ({ browser }) => {
  const page = await pageFor(browser, "monitor");
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content[ -]Security[ -]Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const w = window as unknown as { __cspViolations?: string[] };
      (w.__cspViolations ??= []).push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const res = await visit(page, "/dashboard?range=7d");
  expect(res.status()).toBe(200);
  const charts = page.locator("figure.chart");
  await expect(charts).toHaveCount(3);
  for (let i = 0; i < 3; i++) await expect(charts.nth(i).locator("svg.recharts-surface").first()).toBeVisible();
  await expect(page.locator("path.recharts-area-area").first()).toBeVisible();
  // Hydrated client code runs: a client-side navigation fetches the next page through React Server Components.
  await page.locator('a[href^="/alerts"]').first().click();
  await expect(page).toHaveURL(/\/alerts/);
  await expect(page.locator("main")).toBeVisible();
  await page.goBack();
  await expect(charts.first().locator("svg.recharts-surface").first()).toBeVisible();
  const dom = await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
  expect([...violations, ...dom]).toEqual([]);
});

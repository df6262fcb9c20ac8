/**
 * Every page of the console, visited once each (the list is e2e/pages.ts), signed in as a prefecture admin and signed
 * out: the security headers with a nonce-based Content-Security-Policy and a fresh nonce per response (issue 10,
 * point 5; e2e/security/expect-headers.ts), and no serious or critical violation of axe-core's WCAG 2.1 A/AA rules
 * (issue 13), each listed with its rule, impact and first nodes. One walk for both: a visit is the slow part.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { pageFor } from "../fixtures";
import { consolePages } from "../pages";
import { expectPageHeaders } from "../security/expect-headers";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** Visits `path`, checks its headers, and returns its nonce and its serious or critical axe violations. */
async function check(page: Page, path: string): Promise<{ nonce: string; violations: string[] }> {
  const res = await page.goto(path);
  expect(res, `no response for ${path}`).not.toBeNull();
  const nonce = expectPageHeaders(res!.headers(), path);
  await page.waitForLoadState("networkidle");
  const { violations, passes } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  // An analysis that checked nothing (a blank page, a failed injection) must not pass as clean.
  expect(passes.length, `${path}: axe checked no rule`).toBeGreaterThan(10);
  return {
    nonce,
    violations: violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map(
        (v) =>
          `${path}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(" "))
            .join(" | ")}`,
      ),
  };
}

test("every page carries the security headers with a fresh nonce and passes axe with no serious or critical violation", async ({ browser }) => {
  // One visit per console page, one after the other: the list grows with the console.
  test.setTimeout(300_000);
  const page = await pageFor(browser, "prefAdmin");
  const pages = await consolePages(page);
  const nonces = new Set<string>();
  const found: string[] = [];
  for (const path of pages) {
    const { nonce, violations } = await check(page, path);
    nonces.add(nonce);
    found.push(...violations);
  }
  expect(nonces.size, "a new nonce for every response").toBe(pages.length);
  const anonymous = await browser.newContext({ locale: "ja-JP" });
  found.push(...(await check(await anonymous.newPage(), "/signin")).violations);
  await anonymous.close();
  expect(found, found.join("\n")).toEqual([]);
});

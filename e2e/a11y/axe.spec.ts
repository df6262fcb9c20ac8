/**
 * Accessibility (issue 13): every page of the console, signed in and signed out, passes axe-core's WCAG 2.1 A/AA
 * rules with no serious or critical violation. Each violation is listed with its rule, impact and the first nodes.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { pageFor } from "../fixtures";
import { consolePages } from "../pages";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

async function seriousViolations(page: Page, path: string): Promise<string[]> {
  await page.goto(path);
  await page.waitForLoadState("networkidle");
  const { violations, passes } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  // An analysis that checked nothing (a blank page, a failed injection) must not pass as clean.
  expect(passes.length, `${path}: axe checked no rule`).toBeGreaterThan(10);
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${path}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join(" | ")}`,
    );
}

test("every page passes axe with no serious or critical violation", async ({ browser }) => {
  test.setTimeout(240_000);
  const page = await pageFor(browser, "prefAdmin");
  const found: string[] = [];
  for (const path of await consolePages(page)) found.push(...(await seriousViolations(page, path)));
  const anonymous = await (await browser.newContext({ locale: "ja-JP" })).newPage();
  found.push(...(await seriousViolations(anonymous, "/signin")));
  expect(found, found.join("\n")).toEqual([]);
});

/**
 * Links prefetch on intent only (components/Link.tsx): a page view makes no prefetch request (each would render a
 * page on the server with the session's scope: 52-80 per page view before), hovering or focusing a link prefetches
 * its page, and the click then navigates.
 */
import { expect, test, type Page, type Request } from "@playwright/test";
import { pageFor } from "../fixtures";

/** Next's router marks its prefetches with this request header (and an `_rsc` query parameter). */
const isPrefetch = (r: Request) => r.headers()["next-router-prefetch"] === "1";

function recordPrefetches(page: Page): string[] {
  const paths: string[] = [];
  page.on("request", (r) => {
    if (isPrefetch(r)) paths.push(new URL(r.url()).pathname);
  });
  return paths;
}

test("a page view prefetches nothing; a hovered or focused link prefetches its page, and the click navigates", async ({ browser }) => {
  const page = await pageFor(browser, "monitor");
  const prefetched = recordPrefetches(page);
  for (const path of ["/dashboard?range=7d", "/alerts", "/events"]) {
    await page.goto(path, { waitUntil: "networkidle" });
    await expect(page.locator("main")).toBeVisible();
  }
  // Every page above shows the whole navigation and lists of links; none of them was fetched ahead.
  expect(prefetched).toEqual([]);

  const nav = page.getByRole("navigation", { name: "メインメニュー" });
  await nav.locator('a[href="/checklist"]').hover();
  await expect.poll(() => prefetched).toContain("/checklist");
  await nav.locator('a[href="/reviews"]').focus();
  await expect.poll(() => prefetched).toContain("/reviews");
  // Only the links the user pointed at.
  expect(new Set(prefetched)).toEqual(new Set(["/checklist", "/reviews"]));

  await nav.locator('a[href="/checklist"]').click();
  await expect(page).toHaveURL(/\/checklist$/);
  await expect(page.locator("main")).toBeVisible();
});

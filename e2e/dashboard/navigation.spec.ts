/**
 * The console's navigation: links in named groups by the work they serve, each group only when the role has a page
 * in it, and the current page (or the page above it) marked with aria-current.
 */
import { expect, test, type Page } from "@playwright/test";
import { pageFor, seeded } from "../fixtures";

const groupsOf = (page: Page) => page.getByRole("navigation", { name: "メインメニュー" }).getByRole("group");

test("the navigation groups its links by role, and marks the current page and the pages under it", async ({ browser }) => {
  const officer = await pageFor(browser, "shimonoseki");
  await officer.goto("/dashboard?range=7d");
  const officerGroups = groupsOf(officer);
  await expect(officerGroups).toHaveCount(4);
  for (const [i, name] of ["監視", "点検・監査", "報告・開示", "台帳"].entries()) await expect(officerGroups.nth(i)).toHaveAccessibleName(name);
  await expect(officerGroups.nth(0).getByRole("link")).toHaveText(["ダッシュボード", "アラート", "事案", "ログ検索"]);
  await expect(officerGroups.nth(0).getByRole("link", { name: "ダッシュボード" })).toHaveAttribute("aria-current", "page");
  await expect(officer.locator('nav a[aria-current="page"]')).toHaveCount(1);

  const admin = await pageFor(browser, "prefAdmin");
  const alert = Object.values(seeded().alerts).flat()[0];
  await admin.goto(`/alerts/${alert.id}`);
  const adminGroups = groupsOf(admin);
  await expect(adminGroups).toHaveCount(5);
  await expect(adminGroups.nth(4)).toHaveAccessibleName("管理");
  await expect(adminGroups.nth(4).getByRole("link", { name: "利用者" })).toHaveAttribute("href", "/admin/users");
  // An alert's page lies under the alert list: アラート is current, and nothing else.
  await expect(admin.locator('nav a[aria-current="page"]')).toHaveText(["アラート"]);
  await adminGroups.nth(4).getByRole("link", { name: "利用者" }).click();
  await expect(admin).toHaveURL(/\/admin\/users$/);
  await expect(admin.locator('nav a[aria-current="page"]')).toHaveText(["利用者"]);
});

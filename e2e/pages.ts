/** Every page of the console, with real ids from the seeded world: the list the page-wide specs (headers, accessibility) walk. */
import { expect, type Page } from "@playwright/test";
import { seeded, USERS } from "./fixtures";

/** The first link of a page whose path starts with `prefix`. */
async function firstLink(page: Page, path: string, prefix: string): Promise<string> {
  await page.goto(path);
  const href = await page.locator(`a[href^="${prefix}"]`).first().getAttribute("href", { timeout: 10_000 });
  expect(href, `a link to ${prefix}… on ${path}`).toBeTruthy();
  return href!.split("#")[0];
}

/** The pages a prefecture admin can open (the page must be signed in as one), error pages included. */
export async function consolePages(page: Page): Promise<string[]> {
  const state = seeded();
  const alert = state.alerts[USERS.shimonoseki.organizationId][0];
  const round = await firstLink(page, "/checklist", "/checklist/rounds/");
  const assessment = await firstLink(page, round, "/checklist/assessments/");
  // A node's page: its certificates and the messages the ingest gateway refused (issue 14).
  const node = await firstLink(page, "/dashboard", "/entities/node/");
  const incident = await firstLink(page, "/incidents?status=all", "/incidents/");
  const investigation = await firstLink(page, "/investigations", "/investigations/");
  return [
    "/",
    "/dashboard",
    "/alerts",
    `/alerts/${alert.id}`,
    `/entities/operator/${encodeURIComponent(alert.entity)}`,
    node,
    "/events",
    "/disclosure",
    "/reports/usage",
    "/reports/provisions",
    "/reports/annual",
    "/checklist",
    round,
    assessment,
    "/audits",
    `/audits/${state.expiredEngagement}`,
    `/audits/${state.expiredEngagement}/${USERS.shimonoseki.organizationId}`,
    "/incidents",
    incident,
    "/investigations",
    investigation,
    "/audit-trail",
    "/admin/users",
    "/admin/detection",
    "/admin/nodes",
    "/admin/registry",
    "/admin/permits",
    "/admin/contacts",
    "/admin/notifications",
    "/notifications",
    "/notifications/preferences",
    "/account/totp",
    "/forbidden",
    "/no-such-page",
  ];
}

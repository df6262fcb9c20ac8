/** Every page of the console, with real ids from the seeded world: the list the page-wide specs (headers, accessibility) walk. */
import { expect, type Page } from "@playwright/test";
import { seeded, USERS } from "./fixtures";
import { ensureReviewTask } from "./reviews/seed";

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
  // Log reviews (issue 18): one review task of 下関市's month before last.
  const review = `/reviews/${await ensureReviewTask(USERS.shimonoseki.organizationId, 2)}`;
  const systemWork = await systemWorkPage();
  // Registers (issue 17): a session of the training register (e2e/global-setup.ts records one for 下関市).
  await page.goto("/registers/training");
  const training = (await page.locator("[data-testid=training-list] a").first().getAttribute("href", { timeout: 10_000 }))!;
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
    "/reviews",
    review,
    // Registers (issue 17): the fixture registry's cards; equipment detail pages are covered by the authz matrix.
    "/registers/equipment",
    "/registers/cards",
    `/registers/cards/IC-${USERS.shimonoseki.organizationId}-001`,
    "/system-work",
    "/system-work/new",
    systemWork,
    "/registers/training",
    "/registers/training/new",
    training,
    "/audit-trail",
    "/admin/users",
    "/admin/detection",
    "/admin/nodes",
    "/admin/registry",
    "/admin/permits",
    "/admin/contacts",
    "/admin/notifications",
    "/admin/archive",
    "/notifications",
    "/notifications/preferences",
    "/account/totp",
    "/forbidden",
    "/no-such-page",
  ];
}

/** A system-work record's page (issue 18): the seeded world has none, so one of 下関市 is made once. */
async function systemWorkPage(): Promise<string> {
  const { db } = await import("../lib/db");
  const organizationId = USERS.shimonoseki.organizationId;
  const w =
    (await db().systemWork.findFirst({ where: { organizationId, title: "e2e system work" } })) ??
    (await db().systemWork.create({
      data: {
        organizationId,
        title: "e2e system work",
        vendor: "e2e",
        purpose: "renewal",
        createdById: "e2e",
        linkControlSetAt: new Date(Date.now() - 3_600_000),
        linkControlSetBy: "e2e",
      },
    }));
  return `/system-work/${w.id}`;
}

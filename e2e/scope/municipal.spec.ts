import { expect, test } from "@playwright/test";
import { BASE_URL, contextFor, seeded } from "../fixtures";

test("a municipal officer sees only their municipality, in the UI and through the API", async ({ browser }) => {
  const { from, to, alerts } = seeded();
  const ctx = await contextFor(browser, "shimonoseki");
  const page = await ctx.newPage();
  const range = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;

  await page.goto(`/alerts?${range}`);
  // The organisation column shows the name with the code as its title.
  const orgCells = page.locator("table.alerts tbody tr abbr[title]");
  await expect(orgCells.first()).toBeVisible();
  const codes = await orgCells.evaluateAll((els) => els.map((e) => e.getAttribute("title")));
  expect(new Set(codes)).toEqual(new Set(["352012"]));

  // Another municipality's alert by URL: not found, not forbidden-with-details.
  const other = alerts["352039"][0].id;
  const res = await page.goto(`/alerts/${other}`);
  expect(res?.status()).toBe(404);
  await expect(page.getByText("OP-352039")).toHaveCount(0);

  // Log explorer asked for another municipality: refused.
  await page.goto(`/events?${range}&organization=352039`);
  await expect(page.getByRole("heading", { name: "この画面を表示する権限がありません" })).toBeVisible();

  // The API with the same session: 403 for another municipality, never an empty 200.
  const api = await ctx.request.get(`/api/alerts?${range}&organization=352039`);
  expect(api.status()).toBe(403);
  const exp = await ctx.request.get(`/api/events/export?${range}&organization=352039`);
  expect(exp.status()).toBe(403);
  const own = await ctx.request.get(`/api/alerts?${range}`);
  expect(own.status()).toBe(200);
  const body = await own.json();
  expect(body.total).toBeGreaterThan(0);
  expect(new Set(body.alerts.map((a: { organization: { id: string } }) => a.organization.id))).toEqual(new Set(["352012"]));
  // Without a session: 401.
  const anon = await (await browser.newContext({ baseURL: BASE_URL })).request.get(`/api/alerts?${range}`);
  expect(anon.status()).toBe(401);
});

test("an auditor outside the engagement's access period is refused", async ({ browser }) => {
  const { from, to } = seeded();
  const ctx = await contextFor(browser, "expiredAuditor");
  const page = await ctx.newPage();
  await page.goto("/dashboard");
  await expect(page.getByRole("heading", { name: "この画面を表示する権限がありません" })).toBeVisible();
  await page.goto("/alerts");
  await expect(page.getByRole("heading", { name: "この画面を表示する権限がありません" })).toBeVisible();
  const api = await ctx.request.get(`/api/alerts?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
  expect(api.status()).toBe(403);
});

import { expect, test } from "@playwright/test";
import { resident } from "../../tests/integration/detectors/harness";
import { pageFor } from "../fixtures";

test("resident disclosure: the code goes by POST only, the list holds exactly the resident's provisions, the letter prints, the lookup is audited", async ({
  browser,
}) => {
  const page = await pageFor(browser, "yamaguchi");
  const urls: string[] = [];
  page.on("request", (r) => urls.push(r.url()));
  await page.goto("/disclosure");
  await page.getByLabel("住民票コード（11桁）").fill(resident(7777));
  await page.getByRole("button", { name: "照会する" }).click();
  const rows = page.locator("table").first().locator("tbody tr");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText("日本年金機構");
  await expect(rows.nth(1)).toContainText("国税庁");
  await expect(page.getByText("本人確認情報の提供状況について（通知）")).toBeVisible();
  // The code never appears in a URL, nor stays in the field.
  expect(urls.some((u) => u.includes(resident(7777)))).toBe(false);
  await expect(page.getByLabel("住民票コード（11桁）")).toHaveValue("");

  // A resident 山口市 never handled: nothing, although the national centre provided their record.
  await page.getByLabel("住民票コード（11桁）").fill(resident(7778));
  await page.getByRole("button", { name: "照会する" }).click();
  await expect(page.getByText("この期間に提供はありませんでした。")).toBeVisible();

  // A malformed code is refused with a message that does not echo it.
  await page.getByLabel("住民票コード（11桁）").fill("12345");
  await page.getByRole("button", { name: "照会する" }).click();
  await expect(page.getByText("住民票コードは11桁の数字で入力してください。")).toBeVisible();

  // The prefecture sees the lookups in the audit trail, without the code.
  const monitor = await pageFor(browser, "monitor");
  await monitor.goto("/audit-trail");
  await expect(monitor.locator("tr", { hasText: "提供状況の開示の照会" }).first()).toBeVisible();
  await expect(monitor.getByText(resident(7777))).toHaveCount(0);
});

test("usage report and provision table: in scope only, with their workbooks", async ({ browser }) => {
  const page = await pageFor(browser, "shimonoseki");
  await page.goto("/reports/usage");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("利用状況");
  await expect(page.getByText("山口市")).toHaveCount(0);
  const own = await page.request.get("/api/reports/usage");
  expect(own.status()).toBe(200);
  expect(own.headers()["content-type"]).toContain("spreadsheetml");
  expect((await page.request.get("/api/reports/usage?organization=352039")).status()).toBe(403);
  await page.goto("/reports/provisions");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("提供状況");
  expect((await page.request.get("/api/reports/provisions?organization=352039")).status()).toBe(403);
});

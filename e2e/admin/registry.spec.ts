import { expect, test } from "@playwright/test";
import { pageFor } from "../fixtures";

test("an admin imports the registry, declares a maintenance window and mutes a rule for an entity", async ({ browser }) => {
  const page = await pageFor(browser, "prefAdmin");
  await page.goto("/admin/registry");
  // A bad file is refused with the path of each problem, and nothing changes.
  await page.getByLabel("レジストリの取込み（JSON）").setInputFiles({
    name: "bad.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify({ organizations: [{ id: "352013", name: "x", kind: "municipality" }] })),
  });
  await page.getByRole("button", { name: "取込み", exact: true }).click();
  await expect(page.locator("pre[role=alert]")).toContainText("organizations[0].id: expected a 6-digit local government code with a valid check digit");
  // A good one is imported.
  await page.getByLabel("レジストリの取込み（JSON）").setInputFiles({
    name: "terminal.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify({ terminals: [{ id: "TM-352012-09", organization: "352012", ip: "10.35.201.19" }] })),
  });
  await page.getByRole("button", { name: "取込み", exact: true }).click();
  await expect(page.getByRole("status")).toContainText('"terminals":1');

  const mw = page.getByRole("form", { name: "メンテナンス時間帯（連携制御）" });
  await mw.getByLabel("団体").selectOption("352012");
  await mw.getByLabel("開始").fill("2030-05-10T18:00");
  await mw.getByLabel("終了").fill("2030-05-11T06:00");
  await mw.getByLabel("備考").fill("住民記録システム更改テスト");
  await mw.getByRole("button", { name: "追加" }).click();
  await expect(page.locator("tr", { hasText: "住民記録システム更改テスト" })).toContainText("2030/05/10 18:00:00");

  await page.goto("/admin/detection");
  const form = page.getByRole("form", { name: "一時抑止（期限付き）" });
  await form.getByLabel("ルール").fill("after-hours-access");
  await form.getByLabel("対象").fill("OP-352012-003");
  await form.getByLabel("理由").fill("時間外勤務命令あり");
  await form.getByLabel("期限").fill("2030-01-31");
  await form.getByRole("button", { name: "追加" }).click();
  await expect(page.locator("tr", { hasText: "時間外勤務命令あり" })).toContainText("operator: OP-352012-003");
});

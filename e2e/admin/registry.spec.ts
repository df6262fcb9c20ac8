import { expect, test } from "@playwright/test";
import { pageFor } from "../fixtures";

const json = (name: string, body: unknown) => ({ name, mimeType: "application/json", buffer: Buffer.from(JSON.stringify(body)) });

test("an admin imports the registry after a dry run, and edits and deletes a maintenance window", async ({ browser }) => {
  const page = await pageFor(browser, "prefAdmin");
  await page.goto("/admin/registry");
  const upload = page.getByLabel("レジストリの取込み（JSON）");
  // A bad file is refused with each problem in Japanese, naming the section and the entry, and nothing changes.
  await upload.setInputFiles(json("bad.json", { organizations: [{ id: "352013", name: "x", kind: "municipality" }] }));
  await page.getByRole("button", { name: "確認（取込み前の差分表示）" }).click();
  await expect(page.locator("div.error[role=alert]")).toContainText(
    "団体 1件目（352013）のID: 団体コードは検査数字の正しい6桁の地方公共団体コードで入力してください",
  );

  // The dry run shows what would change, and changes nothing: a second dry run still shows a new terminal.
  const terminal = `TM-352012-${Date.now().toString(36).slice(-4)}`;
  await upload.setInputFiles(json("terminal.json", { terminals: [{ id: terminal, organization: "352012", ip: "10.35.201.19" }] }));
  for (let i = 0; i < 2; i++) {
    await page.getByRole("button", { name: "確認（取込み前の差分表示）" }).click();
    await expect(page.getByTestId("registry-changes")).toContainText("まだ何も変更していません");
    await expect(page.getByTestId("changes-terminals")).toHaveText(/業務端末\s*1\s*0\s*0/);
  }
  await page.getByRole("button", { name: "この内容で取り込む" }).click();
  await expect(page.getByTestId("registry-changes")).toContainText("取り込みました");
  await page.getByRole("button", { name: "確認（取込み前の差分表示）" }).click();
  await expect(page.getByTestId("changes-terminals")).toHaveText(/業務端末\s*0\s*0\s*1/);

  const mw = page.getByRole("form", { name: "メンテナンス時間帯（連携制御）" });
  const note = `更改テスト ${terminal}`;
  await mw.getByLabel("団体").selectOption("352012");
  await mw.getByLabel("開始").fill("2030-05-10T18:00");
  await mw.getByLabel("終了").fill("2030-05-11T06:00");
  await mw.getByLabel("備考").fill(note);
  await mw.getByRole("button", { name: "追加" }).click();
  const row = page.locator("tr", { hasText: note });
  await expect(row).toContainText("2030/05/10 18:00:00");
  // Edit: the end moves, the note changes.
  await row.getByText("編集").click();
  await row.getByLabel("終了").fill("2030-05-11T08:30");
  await row.getByLabel("備考").fill(`${note} 延長`);
  await row.getByRole("button", { name: "保存" }).click();
  await expect(page.locator("p[role=status]")).toContainText("メンテナンス時間帯を保存しました");
  const edited = page.locator("tr", { hasText: `${note} 延長` });
  await expect(edited).toContainText("2030/05/11 08:30:00");
  // An end before the start is refused in Japanese.
  await edited.getByText("編集").click();
  await edited.getByLabel("終了").fill("2030-05-09T08:30");
  await edited.getByRole("button", { name: "保存" }).click();
  await expect(page.locator("p[role=alert]")).toContainText("開始は終了より前");
  // Delete, after a confirmation.
  await page
    .locator("tr", { hasText: `${note} 延長` })
    .getByRole("button", { name: "削除" })
    .click();
  await page.getByRole("dialog").getByRole("button", { name: "実行する" }).click();
  await expect(page.locator("p[role=status]")).toContainText("削除しました");
  await expect(page.locator("tr", { hasText: note })).toHaveCount(0);
});

test("a suppression names a rule from the list, runs through its 期限 date, and is deleted after a confirmation", async ({ browser }) => {
  const page = await pageFor(browser, "prefAdmin");
  await page.goto("/admin/detection");
  const form = page.getByRole("form", { name: "一時抑止（期限付き）" });
  const reason = `時間外勤務命令あり ${Date.now().toString(36)}`;
  await form.getByLabel("ルール").selectOption({ label: "業務時間外の操作" });
  await form.getByLabel("種別").selectOption({ label: "操作者" });
  await form.getByLabel("対象").fill("OP-352012-003");
  await form.getByLabel("理由").fill(reason);
  await form.getByLabel("期限").fill("2030-12-31");
  await expect(form).toContainText("日本時間 23:59");
  await form.getByRole("button", { name: "追加" }).click();
  const row = page.locator("tr", { hasText: reason });
  await expect(row).toContainText("業務時間外の操作");
  await expect(row).toContainText("操作者: OP-352012-003");
  await expect(row).toContainText("2030/12/31");
  await expect(row).not.toContainText("09:00");

  // A misspelt rule id sent past the select is refused by the server, in Japanese.
  await form.getByLabel("ルール").evaluate((s: HTMLSelectElement) => {
    s.add(new Option("x", "after-hours-acess"));
    s.value = "after-hours-acess";
  });
  // (The form was reset by the first submission.)
  await form.getByLabel("対象").fill("OP-352012-003");
  await form.getByLabel("期限").fill("2030-12-31");
  await form.getByLabel("理由").fill(`${reason} 2`);
  await form.getByRole("button", { name: "追加" }).click();
  await expect(page.locator("p[role=alert]")).toHaveText("ルールを一覧から選んでください");
  await expect(page.locator("tr", { hasText: `${reason} 2` })).toHaveCount(0);

  await page.locator("tr", { hasText: reason }).getByRole("button", { name: "削除" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "実行する" }).click();
  await expect(page.locator("tr", { hasText: reason })).toHaveCount(0);
});

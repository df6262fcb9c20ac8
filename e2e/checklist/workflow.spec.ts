import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { fiscalYear } from "../../lib/calendar";
import { formatFiscalYear } from "../../lib/i18n";
import { pageFor } from "../fixtures";

const FORBIDDEN = "この画面を表示する権限がありません";
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

const item = (page: Page, id: string) => page.locator(`#item-${id}`);
const saved = (page: Page, id: string) => expect(item(page, id).locator(".savestate.saved").first()).toBeVisible();
const status = (page: Page) => page.getByTestId("assessment-status");

test("self-inspection: draft saved and resumed, evidence, submit, return with a comment, resubmit, accept and lock, PDF; another municipality refused", async ({
  browser,
}, testInfo) => {
  test.setTimeout(240_000);
  const fy = fiscalYear(Date.now());

  // The prefecture opens this year's round, carrying last year's answers over as reference.
  const pref = await pageFor(browser, "monitor");
  await pref.goto("/checklist");
  await pref.getByLabel("年度（西暦）").fill(String(fy));
  await pref.getByRole("button", { name: "開始する" }).click();
  const row = pref.locator("tr", { hasText: formatFiscalYear(fy) });
  await expect(row).toBeVisible();
  await row.getByRole("link", { name: "集計を見る" }).click();
  await expect(pref.getByRole("heading", { level: 1 })).toContainText(formatFiscalYear(fy));
  await expect(pref.locator("tr", { hasText: "下関市" })).toContainText("未着手");

  // 下関市's officer answers two items and leaves.
  const officer = await pageFor(browser, "shimonoseki");
  await officer.goto("/checklist");
  await officer
    .locator("tr", { hasText: formatFiscalYear(fy) })
    .getByRole("link", { name: "開く" })
    .click();
  await expect(status(officer)).toHaveText("作成中");
  await officer.waitForURL(/\/checklist\/assessments\/[^/]+$/);
  const url = officer.url();
  const assessmentId = url.split("/").pop()!;
  await item(officer, "ORG-01").getByLabel("一部実施", { exact: true }).check();
  await saved(officer, "ORG-01");
  await item(officer, "ORG-01").getByLabel("コメント").fill("体制図を更新中");
  await item(officer, "ORG-01").getByLabel("コメント").blur();
  await expect(item(officer, "ORG-01").getByText("保存しました")).toBeVisible();
  await item(officer, "ORG-02").getByLabel("実施", { exact: true }).check();
  await saved(officer, "ORG-02");
  await officer.goto("/dashboard");

  // Back to the saved draft.
  await officer.goto(url);
  await expect(item(officer, "ORG-01").getByLabel("一部実施", { exact: true })).toBeChecked();
  await expect(item(officer, "ORG-01").getByLabel("コメント")).toHaveValue("体制図を更新中");
  await expect(item(officer, "ORG-02").getByLabel("実施", { exact: true })).toBeChecked();
  await expect(officer.getByTestId("answered")).toContainText("2 /");

  // Navigation: progress overall and per section, "next unanswered", the filter by answer.
  const count = await officer.locator("article.checklist-item").count();
  await expect(officer.getByTestId("progress-count")).toHaveText(`2 / ${count}`);
  await expect(officer.getByTestId("progress-bar")).toHaveAttribute("value", "2");
  await expect(officer.getByTestId("section-progress-ORG")).toHaveText("2/5");
  await expect(officer.getByTestId("section-progress-RUL")).toHaveText("0/4");
  await officer.getByTestId("answer-filter").selectOption({ label: "未回答" });
  await expect(item(officer, "ORG-01")).toBeHidden();
  await expect(item(officer, "ORG-02")).toBeHidden();
  await expect(item(officer, "ORG-03")).toBeVisible();
  await expect(officer.getByTestId("filter-count")).toContainText(`${count - 2} / ${count}`);
  await officer.getByTestId("next-unanswered").click();
  await expect(item(officer, "ORG-03").locator("input[type=radio]").first()).toBeFocused();
  await expect(item(officer, "ORG-03")).toBeInViewport();
  // Answering under the filter keeps the item in place (no jump) and the progress follows at once.
  await item(officer, "ORG-03").getByLabel("実施", { exact: true }).check();
  await saved(officer, "ORG-03");
  await expect(item(officer, "ORG-03")).toBeVisible();
  await expect(officer.getByTestId("progress-count")).toHaveText(`3 / ${count}`);
  await expect(officer.getByTestId("section-progress-ORG")).toHaveText("3/5");
  await officer.getByTestId("next-unanswered").click();
  await expect(item(officer, "ORG-04").locator("input[type=radio]").first()).toBeFocused();
  const shot = testInfo.outputPath("checklist.png");
  await officer.screenshot({ path: shot });
  await testInfo.attach("checklist", { path: shot, contentType: "image/png" });
  await officer.getByTestId("answer-filter").selectOption({ label: "一部実施" });
  await expect(officer.locator("article.checklist-item:visible")).toHaveCount(1);
  await expect(item(officer, "ORG-01")).toBeVisible();
  await expect(officer.locator("section#section-RUL")).toBeHidden();
  await officer.getByTestId("answer-filter").selectOption({ label: "すべて" });
  await expect(officer.locator("article.checklist-item:visible")).toHaveCount(count);
  await officer.getByRole("link", { name: /^RUL / }).click();
  await expect(officer.locator("section#section-RUL h2")).toBeInViewport();

  // Evidence on ORG-01.
  await item(officer, "ORG-01").locator("input[type=file]").setInputFiles({ name: "体制図.pdf", mimeType: "application/pdf", buffer: PDF });
  await item(officer, "ORG-01").getByRole("button", { name: "添付する" }).click();
  const evidenceLink = item(officer, "ORG-01").getByRole("link", { name: "体制図.pdf" });
  await expect(evidenceLink).toBeVisible();
  const evidenceHref = (await evidenceLink.getAttribute("href"))!;
  expect((await officer.request.get(evidenceHref)).status()).toBe(200);

  // Submitting with unanswered items is refused; last year's answers fill most, the new items are answered by hand.
  await officer.getByRole("button", { name: "提出する" }).click();
  await expect(officer.locator("p[role=alert]")).toContainText("未回答の項目があります");
  await officer.getByRole("button", { name: "未回答の項目に前年度の回答を反映" }).click();
  await expect(officer.getByRole("button", { name: "未回答の項目に前年度の回答を反映" })).toHaveCount(0);
  for (const article of await officer.locator("article.checklist-item").all()) {
    if ((await article.locator("input[type=radio]:checked").count()) > 0) continue;
    await article.getByLabel("実施", { exact: true }).check();
    await expect(article.locator(".savestate.saved")).toBeVisible();
  }
  await officer.reload();
  const total = (await officer.locator("article.checklist-item").count()).toString();
  // Last year's answers were adopted as they were (not all 実施).
  const answersOnPage = new Set(await officer.locator("article.checklist-item label:has(input[type=radio]:checked)").allTextContents());
  expect(answersOnPage.size).toBeGreaterThan(1);
  await expect(officer.getByTestId("answered")).toHaveText(`${total} / ${total}`);
  await officer.getByRole("button", { name: "提出する" }).click();
  await expect(status(officer)).toHaveText("提出済");

  // Another municipality's officer: the page, the evidence and the exports are refused by URL.
  const other = await pageFor(browser, "yamaguchi");
  await other.goto(url);
  await expect(other.getByRole("heading", { name: FORBIDDEN })).toBeVisible();
  await expect(other.getByText("体制図を更新中")).toHaveCount(0);
  expect((await other.request.get(evidenceHref)).status()).toBe(403);
  expect((await other.request.get(`/api/checklist/assessments/${assessmentId}/export?format=pdf`)).status()).toBe(403);
  expect((await other.request.get(`/api/checklist/assessments/${assessmentId}/export?format=xlsx`)).status()).toBe(403);

  // The prefecture returns it with a comment on ORG-01.
  await pref.goto(url);
  await expect(status(pref)).toHaveText("提出済");
  const review = item(pref, "ORG-01").getByLabel("審査コメント（県）");
  await review.fill("体制図の更新完了日を記入してください。");
  await review.blur();
  await expect(item(pref, "ORG-01").getByText("保存しました")).toBeVisible();
  await pref.getByRole("button", { name: "差し戻す" }).click();
  await expect(status(pref)).toHaveText("差戻し");

  // The officer corrects ORG-01 and resubmits.
  await officer.goto(url);
  await expect(status(officer)).toHaveText("差戻し");
  await expect(item(officer, "ORG-01")).toContainText("体制図の更新完了日を記入してください。");
  await item(officer, "ORG-01").getByLabel("実施", { exact: true }).check();
  await saved(officer, "ORG-01");
  await item(officer, "ORG-01").getByLabel("コメント").fill("令和8年10月1日に体制図を更新済み");
  await item(officer, "ORG-01").getByLabel("コメント").blur();
  await expect(item(officer, "ORG-01").getByText("保存しました")).toBeVisible();
  await officer.getByRole("button", { name: "再提出する" }).click();
  await expect(status(officer)).toHaveText("再提出");

  // The prefecture accepts; the assessment is locked for everyone.
  await pref.goto(url);
  await pref.getByRole("button", { name: "受理する" }).click();
  await expect(status(pref)).toHaveText("受理（確定）");
  await officer.goto(url);
  await expect(officer.getByText("この点検は受理され、確定しています。")).toBeVisible();
  await expect(item(officer, "ORG-01").getByLabel("実施", { exact: true })).toBeDisabled();
  await expect(officer.getByRole("button", { name: /提出する/ })).toHaveCount(0);
  await expect(item(officer, "ORG-01").getByRole("button", { name: "添付する" })).toHaveCount(0);
  // The history names who did what.
  await officer.getByText("変更履歴").click();
  await expect(officer.locator("tr", { hasText: "受理" }).first()).toContainText("e2e-monitor");

  // The PDF: the municipality, the fiscal year in 令和 and the answers.
  const [download] = await Promise.all([pref.waitForEvent("download"), pref.getByRole("link", { name: "PDF（報告書様式）" }).click()]);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "checklist-")), "form.pdf");
  await download.saveAs(file);
  // Table cells wrap, so compare without line breaks and spaces.
  const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }).replace(/\s+/g, "");
  expect(text).toContain("下関市");
  expect(text).toContain(formatFiscalYear(fy));
  expect(text).toContain("受理（確定）");
  expect(text).toContain("令和8年10月1日に体制図を更新済み");
  expect(text).toContain("体制図の更新完了日を記入してください。");
  expect(text).toContain("体制図.pdf");
  // Every answer is printed: as many answer labels as items (実施 also occurs inside 一部実施/未実施).
  const labels = text.match(/(一部実施|未実施|該当なし|実施)/g) ?? [];
  expect(labels.length).toBeGreaterThanOrEqual(Number(total));
  for (const label of answersOnPage) expect(text).toContain(label);
  const fonts = execFileSync("pdffonts", [file], { encoding: "utf8" });
  expect(fonts).toMatch(/NotoSansJP.*yes\s+yes/);

  // The roll-up counts it as accepted.
  await pref.goto("/checklist");
  await pref
    .locator("tr", { hasText: formatFiscalYear(fy) })
    .getByRole("link", { name: "集計を見る" })
    .click();
  await expect(pref.locator("tr", { hasText: "下関市" })).toContainText("受理（確定）");
  // Finished assessments and those in progress are apart: rates only for the finished ones.
  await expect(pref.getByTestId("finished-table").locator("tr", { hasText: "下関市" })).toContainText(/\d+\.\d%/);
  await expect(pref.getByTestId("in-progress-table").locator("tr", { hasText: "下関市" })).toHaveCount(0);
  await expect(pref.getByTestId("in-progress-table").locator("tr", { hasText: "山口市" })).toContainText(/\d+ \/ \d+/);
  await expect(pref.getByTestId("in-progress-table").locator("tr", { hasText: "山口市" })).not.toContainText("%");
  await expect(pref.getByTestId("finished-basis")).toContainText("（1 /");
});

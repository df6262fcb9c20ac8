import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { fiscalYear, jstParts } from "../../lib/calendar";
import { formatFiscalYear } from "../../lib/i18n";
import { pageFor, USERS } from "../fixtures";

const DAY = 86_400_000;
const CITY = USERS.shimonoseki.organizationId;

/** The 下関市 assessment of this fiscal year: opened by the prefecture when no round of the year exists yet (as the checklist spec does). */
async function assessmentOfThisYear(browser: Parameters<typeof pageFor>[0], fy: number): Promise<string> {
  const officer = await pageFor(browser, "shimonoseki");
  await officer.goto("/checklist");
  const row = officer.locator("tr", { hasText: formatFiscalYear(fy) });
  if (!(await row.count())) {
    const pref = await pageFor(browser, "monitor");
    await pref.goto("/checklist");
    await pref.getByLabel("年度（西暦）").fill(String(fy));
    await pref.getByRole("button", { name: "開始する" }).click();
    await expect(pref.locator("tr", { hasText: formatFiscalYear(fy) })).toBeVisible();
    await pref.close();
    await officer.goto("/checklist");
  }
  await row.getByRole("link", { name: "開く" }).click();
  await officer.waitForURL(/\/checklist\/assessments\/[^/]+$/);
  const url = officer.url();
  await officer.close();
  return url;
}

/** The drills figure of EMG-03 on the assessment page (緊急時対応訓練の実施回数（台帳） N). */
async function drillsFigure(page: Page, url: string): Promise<number> {
  await page.goto(url);
  const figure = page.locator('#item-EMG-03 a.figure[href*="kind=emergency_drill"]');
  await expect(figure).toBeVisible();
  await expect(figure).toHaveAttribute("href", new RegExp(`organization=${CITY}&fy=\\d{4}&kind=emergency_drill`));
  const text = (await figure.textContent()) ?? "";
  expect(text).toContain("緊急時対応訓練の実施回数（台帳）");
  return Number(/(\d+)\s*$/.exec(text.trim())![1]);
}

test("training register: an officer records a drill with an attachment; the figure appears in the checklist draft and the audit report PDF; another municipality is refused", async ({
  browser,
}, testInfo) => {
  test.setTimeout(480_000);
  const fy = fiscalYear(Date.now());
  const today = jstParts(Date.now()).dateKey;
  const assessmentUrl = await assessmentOfThisYear(browser, fy);

  const officer = await pageFor(browser, "shimonoseki");
  const before = await drillsFigure(officer, assessmentUrl);

  // The officer records the emergency drill with its report attached.
  const title = `e2e 緊急時対応訓練 ${Date.now()}`;
  await officer.goto("/registers/training");
  await officer.getByRole("link", { name: "研修・訓練を記録" }).click();
  const form = officer.getByRole("form", { name: "研修・訓練を記録" });
  await form.getByLabel("種別").selectOption({ label: "緊急時対応訓練" });
  await form.getByLabel("件名").fill(title);
  await form.getByLabel("実施日").fill(today);
  await form.getByLabel("参加者数").fill("4");
  await form.getByLabel(/参加した操作者/).fill(`OP-${CITY}-001 OP-${CITY}-002`);
  await form.getByLabel("結果").fill("県・機構との連絡網を確認し、30分以内に返信した。");
  await form.getByLabel("教訓・改善点").fill("夜間の連絡先を更新する。");
  await form.getByLabel("資料を添付").setInputFiles({ name: "訓練報告書.txt", mimeType: "text/plain", buffer: Buffer.from("訓練報告書\n") });
  await form.getByRole("button", { name: "記録する" }).click();
  await officer.waitForURL(/\/registers\/training\/\d+/);
  const sessionUrl = officer.url().split("?")[0];
  const facts = officer.getByTestId("training-session");
  await expect(facts).toContainText("緊急時対応訓練");
  await expect(facts).toContainText(`OP-${CITY}-001、OP-${CITY}-002`);
  const materialHref = (await facts.getByRole("link", { name: "訓練報告書.txt" }).getAttribute("href"))!;
  const material = await officer.request.get(materialHref);
  expect(material.status()).toBe(200);
  expect((await material.body()).toString("utf8")).toBe("訓練報告書\n");
  const shot = testInfo.outputPath("training.png");
  await officer.screenshot({ path: shot, fullPage: true });
  await testInfo.attach("training", { path: shot, contentType: "image/png" });

  // The next look at the checklist draft shows one drill more, linking to the register.
  expect(await drillsFigure(officer, assessmentUrl)).toBe(before + 1);
  await officer.locator('#item-EMG-03 a.figure[href*="kind=emergency_drill"]').click();
  await expect(officer.getByTestId("training-list")).toContainText(title);

  // The dashboard's panel of register reminders is there for the officer.
  await officer.goto("/dashboard");
  await expect(officer.getByTestId("register-reminders")).toContainText("台帳の確認事項");

  // 山口市's officer: the session is not found, its material neither, 下関市's register is forbidden.
  const other = await pageFor(browser, "yamaguchi");
  await other.goto(sessionUrl);
  await expect(other.getByRole("heading", { level: 1 })).toHaveText("研修・訓練の記録が見つかりません");
  expect((await other.request.get(materialHref)).status()).toBe(404);
  await other.goto(`/registers/training?organization=${CITY}`);
  await expect(other.getByText("この画面を表示する権限がありません")).toBeVisible();
  await other.goto("/registers/training");
  await expect(other.getByText(title)).toHaveCount(0);
  const forged = await other.request.post(`/api/registers/training?organization=${CITY}`, {
    headers: { origin: new URL(other.url()).origin },
    multipart: { kind: "emergency_drill", title: "forged", heldOn: today, participantCount: "1" },
    maxRedirects: 0,
  });
  expect(forged.status()).toBe(403);

  // The audit report of an engagement for 下関市 this fiscal year carries the drill in its register section.
  const { db } = await import("../../lib/db");
  const { fiscalYearPeriod } = await import("../../domain/statistics/period");
  const auditor = await db().user.findUniqueOrThrow({ where: { loginId: USERS.auditor.loginId } });
  const engagement = await db().auditEngagement.create({
    data: {
      firm: "e2e 台帳監査法人",
      prefectureId: "350001",
      fiscalYear: fy,
      accessFrom: new Date(Date.now() - DAY),
      accessTo: new Date(Date.now() + 30 * DAY),
      auditFrom: fiscalYearPeriod(fy).from,
      auditTo: new Date(Date.now() + DAY),
      organizations: { create: [{ organizationId: CITY }] },
      auditors: { create: [{ userId: auditor.id }] },
    },
  });
  // The draft version the auditors write (the report route previews a draft live; none yet is 404).
  await db().auditReport.create({ data: { engagementId: engagement.id, organizationId: CITY, version: 1, status: "draft", createdById: auditor.id } });
  const auditorPage = await pageFor(browser, "auditor");
  const pdf = await auditorPage.request.get(`/api/audits/${engagement.id}/${CITY}/report`);
  expect(pdf.status()).toBe(200);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "training-")), "report.pdf");
  fs.writeFileSync(file, await pdf.body());
  const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }).replace(/\s+/g, "");
  expect(text).toContain("台帳（機器・ICカード・研修・訓練）");
  expect(text).toContain("研修・訓練の実施状況");
  expect(text).toContain(title.replace(/\s+/g, ""));
  expect(text).toContain("緊急時対応訓練");
});

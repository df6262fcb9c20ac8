import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { fiscalYear, jstParts } from "../../lib/calendar";
import { formatFiscalYear, formatOfficialDate } from "../../lib/i18n";
import { pageFor, seeded } from "../fixtures";

const FORBIDDEN = "この画面を表示する権限がありません";
const DAY = 86_400_000;

test("external audit: the prefecture contracts it, the auditor records findings, the municipality answers, the auditor finalises the report PDF; scope and access period hold", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const { alerts, expiredEngagement } = seeded();
  const fy = fiscalYear(Date.now());
  const auditFrom = jstParts(Date.now() - 30 * DAY).dateKey;
  const auditTo = jstParts(Date.now()).dateKey;
  const firm = "e2e さくら監査法人";

  // The prefecture admin registers the engagement: firm, year, 下関市, the auditor, the periods.
  const admin = await pageFor(browser, "prefAdmin");
  await admin.goto("/audits");
  await admin.getByLabel("監査法人").fill(firm);
  await admin.getByLabel("年度（西暦）").fill(String(fy));
  await admin.getByLabel("監査対象期間 開始").fill(auditFrom);
  await admin.getByLabel("監査対象期間 終了").fill(auditTo);
  await admin.getByLabel("閲覧期間 開始").fill(jstParts(Date.now() - DAY).dateKey);
  await admin.getByLabel("閲覧期間 終了").fill(jstParts(Date.now() + 30 * DAY).dateKey);
  await admin.getByLabel("監査人アカウント（ユーザーID、空白区切り）").fill("e2e-auditor");
  await admin.getByRole("checkbox", { name: "下関市" }).check();
  await admin.getByRole("button", { name: "登録する" }).click();
  const row = admin.locator("tr", { hasText: firm });
  await expect(row).toBeVisible();
  await row.getByRole("link", { name: "開く" }).click();
  await admin.waitForURL(/\/audits\/[^/]+$/);
  const engagementUrl = admin.url();
  const engagementId = engagementUrl.split("/").pop()!;

  // The auditor opens it, writes the plan and two findings for 下関市.
  const auditor = await pageFor(browser, "auditor");
  await auditor.goto(engagementUrl);
  await auditor.getByLabel("監査の範囲").fill("下関市における本人確認情報の利用及びアクセスログの確認状況");
  await auditor.getByLabel("監査の基準とする点検項目（例: LOG-01 OPR-04）").fill("LOG-01 TRM-03");
  await auditor.getByRole("button", { name: "計画を保存" }).click();
  await expect(auditor.getByLabel("監査の範囲")).toHaveValue("下関市における本人確認情報の利用及びアクセスログの確認状況");
  const plan = await auditor.request.get(`/api/audits/${engagementId}/352012/plan`);
  expect(plan.status()).toBe(200);
  expect(plan.headers()["content-type"]).toBe("application/pdf");
  // The notice is issued by an explicit POST (button); downloading it before that is refused and never records anything.
  expect((await auditor.request.get(`/api/audits/${engagementId}/352012/notice`)).status()).toBe(409);
  await auditor
    .getByRole("row", { name: /下関市/ })
    .getByRole("button", { name: "実施通知書を発行" })
    .click();
  await expect(auditor.getByRole("row", { name: /下関市/ }).getByRole("link", { name: "実施通知書（PDF）" })).toBeVisible();
  expect((await auditor.request.get(`/api/audits/${engagementId}/352012/notice`)).status()).toBe(200);

  await auditor.goto(`/audits/${engagementId}/352012`);
  const addFinding = async (title: string, grade: string, extra: { alerts?: string; searches?: string } = {}) => {
    const form = auditor.getByRole("form", { name: "指摘事項を追加" });
    if (!(await form.isVisible())) await auditor.getByText("指摘事項を追加").click();
    await form.getByLabel("指摘事項（件名）").fill(title);
    await form.getByLabel("区分").selectOption({ label: grade });
    await form.getByLabel("基準").fill("セキュリティ基準 第7-1：アクセスログを定期的に確認すること");
    await form.getByLabel("現状").fill("業務時間外の操作について、月次の確認記録がない。");
    await form.getByLabel("原因").fill("確認手順が運用マニュアルに定められていない。");
    await form.getByLabel("影響").fill("不正な照会を早期に発見できないおそれがある。");
    await form.getByLabel("改善提案").fill("月次のログ確認手順を定め、確認記録を保存すること。");
    if (extra.alerts) await form.getByLabel("関連アラートID（空白区切り）").fill(extra.alerts);
    if (extra.searches) await form.getByLabel("保存したログ検索（/events?… のリンク、空白区切り）").fill(extra.searches);
    await form.getByRole("button", { name: "追加する" }).click();
    await expect(auditor.locator("article.finding", { hasText: title })).toBeVisible();
  };
  await addFinding("業務時間外操作の確認記録の不備", "重大な不備", { alerts: alerts["352012"][0].id, searches: "/events?organization=352012&action=search" });
  await addFinding("ICカード管理簿の記載漏れ", "観察事項");
  await expect(auditor.getByTestId("finding-status-1")).toHaveText("未対応");

  // The auditor is read-only on logs of the engagement's municipality, and refused another.
  await auditor.goto("/events?organization=352012");
  await expect(auditor.getByRole("heading", { name: "ログ検索" })).toBeVisible();
  await auditor.goto("/events?organization=352039");
  await expect(auditor.getByRole("heading", { name: FORBIDDEN })).toBeVisible();
  await auditor.goto(`/audits/${engagementId}/352039`);
  await expect(auditor.getByRole("heading", { name: FORBIDDEN })).toBeVisible();
  expect((await auditor.request.get(`/api/audits/${engagementId}/352039/plan`)).status()).toBe(403);

  // 下関市 answers finding 1.
  const city = await pageFor(browser, "shimonoseki");
  await city.goto("/audits");
  await city.locator("tr", { hasText: firm }).getByRole("link", { name: "開く" }).click();
  await city.waitForURL(`**/audits/${engagementId}`);
  await city.goto(`/audits/${engagementId}/352012`);
  const f1 = city.locator("article.finding[data-finding='1']");
  await f1.getByLabel("団体の回答（経営者の見解）").fill("指摘を受け入れ、確認手順を整備する。");
  await f1.getByLabel("改善計画").fill("運用マニュアルを改訂し、毎月の確認記録を課長が確認する。");
  await f1.getByLabel("改善期限").fill(jstParts(Date.now() + 90 * DAY).dateKey);
  await f1.getByRole("button", { name: "回答する" }).click();
  await expect(city.getByTestId("finding-status-1")).toHaveText("回答済");
  // The municipality cannot write findings or reports.
  await expect(city.getByRole("form", { name: "指摘事項を追加" })).toHaveCount(0);
  await expect(city.getByRole("button", { name: "確定する" })).toHaveCount(0);

  // The auditor sees the answer, writes the report, sends it to review and finalises it.
  await auditor.goto(`/audits/${engagementId}/352012`);
  await expect(auditor.locator("article.finding[data-finding='1']")).toContainText("指摘を受け入れ、確認手順を整備する。");
  await auditor.getByLabel("監査の範囲及び方法").fill("ヒアリング、アクセスログ分析及び現地確認により監査を実施した。");
  await auditor.getByLabel("総合意見").selectOption({ label: "一部有効" });
  await auditor.getByLabel("意見（本文）").fill("セキュリティ対策は概ね有効であるが、アクセスログの確認に改善を要する。");
  await auditor.getByRole("button", { name: "草案を保存" }).click();
  await expect(auditor.getByTestId("report-status")).toHaveText("草案");
  await auditor.getByRole("button", { name: "レビューへ回す" }).click();
  await expect(auditor.getByTestId("report-status")).toHaveText("レビュー中");
  await auditor.getByRole("button", { name: "確定する" }).click();
  await expect(auditor.getByTestId("report-status")).toHaveText("確定");
  await expect(auditor.getByRole("button", { name: "改訂版を作成" })).toBeVisible();
  await expect(auditor.getByRole("form", { name: "指摘事項を追加" })).toHaveCount(0);

  const [download] = await Promise.all([auditor.waitForEvent("download"), auditor.getByRole("link", { name: "報告書（PDF）" }).click()]);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "audit-")), "report.pdf");
  await download.saveAs(file);
  const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }).replace(/\s+/g, "");
  expect(text).toContain("下関市");
  expect(text).toContain(formatFiscalYear(fy));
  expect(text).toContain(formatOfficialDate(new Date(`${auditFrom}T00:00:00+09:00`)));
  expect(text).toContain(formatOfficialDate(new Date(`${auditTo}T00:00:00+09:00`)));
  expect(text).toContain("業務時間外操作の確認記録の不備");
  expect(text).toContain("ICカード管理簿の記載漏れ");
  expect(text).toContain("指摘を受け入れ、確認手順を整備する。");
  expect(text).toContain(firm.replace(/\s+/g, ""));
  // The final PDF is the stored one: the municipality downloads the very same bytes.
  const cityPdf = await city.request.get(`/api/audits/${engagementId}/352012/report`);
  expect(cityPdf.status()).toBe(200);
  expect(Buffer.from(await cityPdf.body()).equals(fs.readFileSync(file))).toBe(true);

  // An auditor whose access period is over is refused the engagement, its pages and documents.
  const expired = await pageFor(browser, "expiredAuditor");
  await expired.goto(`/audits/${expiredEngagement}`);
  await expect(expired.getByRole("heading", { name: FORBIDDEN })).toBeVisible();
  await expired.goto(`/audits/${expiredEngagement}/352012`);
  await expect(expired.getByRole("heading", { name: FORBIDDEN })).toBeVisible();
  expect((await expired.request.get(`/api/audits/${expiredEngagement}/352012/plan`)).status()).toBe(403);
  expect((await expired.request.get(`/api/audits/${engagementId}/352012/report`)).status()).toBe(403);
});

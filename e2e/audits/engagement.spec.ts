import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { fiscalYear, jstParts } from "../../lib/calendar";
import { formatFiscalYear, formatOfficialDate } from "../../lib/i18n";
import { pageFor, seeded } from "../fixtures";

const FORBIDDEN = "この画面を表示する権限がありません";

/** A report step behind a confirmation: open it, try without ticking (the browser refuses), tick, submit. */
async function confirmStep(page: Page, label: string) {
  await page.locator("summary", { hasText: label }).click();
  const form = page.getByRole("form", { name: label });
  await form.getByRole("button", { name: label }).click();
  await expect(form.getByRole("checkbox")).toBeVisible();
  await form.getByRole("checkbox").check();
  await form.getByRole("button", { name: label }).click();
}
const DAY = 86_400_000;

test("external audit: the prefecture contracts it, the auditor records findings, the municipality answers, a second person finalises the report PDF; scope and access period hold", async ({
  browser,
}, testInfo) => {
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
  await admin.getByLabel("監査人アカウント（ユーザーID、空白区切り）").fill("e2e-auditor e2e-auditor-2");
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
  // The refused download left it unissued: the row still offers the explicit action.
  await auditor.reload();
  await expect(auditor.getByRole("row", { name: /下関市/ }).getByRole("link", { name: "実施通知書（PDF）" })).toHaveCount(0);
  await expect(auditor.getByText("PDFのダウンロードでは発行されません")).toBeVisible();
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
    // Evidence is chosen from the municipality's alerts and the saved searches, never typed.
    if (extra.alerts) await form.getByLabel("関連アラート（複数選択可）").selectOption(extra.alerts);
    if (extra.searches) await form.getByLabel("保存したログ検索（複数選択可）").selectOption({ label: extra.searches });
    await form.getByRole("button", { name: "追加する" }).click();
    await expect(auditor.locator("article.finding", { hasText: title })).toBeVisible();
  };
  await auditor.getByText("ログ検索を保存（指摘事項の証跡用）").click();
  const saveSearch = auditor.getByRole("form", { name: "ログ検索を保存（指摘事項の証跡用）" });
  await saveSearch.getByLabel("検索の名前").fill("下関市 監査対象期間の全操作");
  await saveSearch.getByRole("button", { name: "検索を保存" }).click();
  await expect(auditor.getByRole("link", { name: "下関市 監査対象期間の全操作" })).toBeVisible();
  await addFinding("業務時間外操作の確認記録の不備", "重大な不備", { alerts: alerts["352012"][0].id, searches: "下関市 監査対象期間の全操作" });
  const f1Evidence = auditor.locator("article.finding[data-finding='1']");
  await expect(f1Evidence.getByRole("link", { name: "下関市 監査対象期間の全操作" })).toHaveAttribute("href", /^\/events\?organization=352012&from=/);
  await expect(f1Evidence.locator(`a[href="/alerts/${alerts["352012"][0].id}"]`)).toBeVisible();
  await addFinding("ICカード管理簿の記載漏れ", "観察事項");
  await expect(auditor.getByTestId("finding-status-1")).toHaveText("未対応");

  // The auditor is read-only on logs of the engagement's municipality, and refused another.
  await auditor.goto("/events?organization=352012");
  await expect(auditor.getByRole("heading", { name: "ログ検索" })).toBeVisible();
  // A range reaching before the audit period is clamped to it, and the page says so with the range searched.
  const wide = `from=${encodeURIComponent(new Date(Date.now() - 60 * DAY).toISOString())}&to=${encodeURIComponent(new Date().toISOString())}`;
  await auditor.goto(`/events?organization=352012&${wide}`);
  await expect(auditor.getByTestId("audit-period-clamp")).toContainText("実際に検索した範囲");
  const inside = `from=${encodeURIComponent(new Date(Date.now() - 2 * DAY).toISOString())}&to=${encodeURIComponent(new Date(Date.now() - DAY).toISOString())}`;
  await auditor.goto(`/events?organization=352012&${inside}`);
  await expect(auditor.getByRole("heading", { name: "ログ検索" })).toBeVisible();
  await expect(auditor.getByTestId("audit-period-clamp")).toHaveCount(0);
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
  await expect(city.getByText("確定する")).toHaveCount(0);

  // The auditor sees the answer, writes the report, sends it to review and finalises it.
  await auditor.goto(`/audits/${engagementId}/352012`);
  await expect(auditor.locator("article.finding[data-finding='1']")).toContainText("指摘を受け入れ、確認手順を整備する。");
  await auditor.getByLabel("監査の範囲及び方法").fill("ヒアリング、アクセスログ分析及び現地確認により監査を実施した。");
  await auditor.getByLabel("総合意見").selectOption({ label: "一部有効" });
  await auditor.getByLabel("意見（本文）").fill("セキュリティ対策は概ね有効であるが、アクセスログの確認に改善を要する。");
  await auditor.getByRole("button", { name: "草案を保存" }).click();
  await expect(auditor.getByTestId("report-status")).toHaveText("草案");
  // Sending to review needs the confirmation box ticked.
  await confirmStep(auditor, "レビューへ回す");
  await expect(auditor.getByTestId("report-status")).toHaveText("レビュー中");
  // The one who sent it to review cannot finalise it alone.
  await expect(auditor.getByTestId("wait-second")).toBeVisible();
  await expect(auditor.locator("summary", { hasText: "確定する" })).toHaveCount(0);

  // While 下関市's fieldwork date is ahead, the prefecture (a second person) is refused.
  await auditor.goto(engagementUrl);
  await auditor.getByLabel("下関市 往査予定日").fill(jstParts(Date.now() + 2 * DAY).dateKey);
  await auditor.getByRole("button", { name: "計画を保存" }).click();
  await expect(auditor.getByLabel("下関市 往査予定日")).toHaveValue(jstParts(Date.now() + 2 * DAY).dateKey);
  await admin.goto(`/audits/${engagementId}/352012`);
  await expect(admin.getByTestId("report-status")).toHaveText("レビュー中");
  await expect(admin.getByTestId("review-sender")).toContainText("e2e auditor");
  await expect(admin.getByTestId("fieldwork-ahead")).toBeVisible();
  await confirmStep(admin, "確定する");
  await expect(admin.locator("p[role=alert]")).toContainText("往査予定日より前のため、報告書を確定できません");
  await expect(admin.getByTestId("report-status")).toHaveText("レビュー中");

  // After the fieldwork (today), another auditor of the engagement finalises it.
  await auditor.getByLabel("下関市 往査予定日").fill(jstParts(Date.now()).dateKey);
  await auditor.getByRole("button", { name: "計画を保存" }).click();
  await expect(auditor.getByLabel("下関市 往査予定日")).toHaveValue(jstParts(Date.now()).dateKey);
  const auditor2 = await pageFor(browser, "auditor2");
  await auditor2.goto(`/audits/${engagementId}/352012`);
  await confirmStep(auditor2, "確定する");
  await expect(auditor2.getByTestId("report-status")).toHaveText("確定");
  await auditor.goto(`/audits/${engagementId}/352012`);
  await expect(auditor.getByTestId("report-status")).toHaveText("確定");
  const shot = testInfo.outputPath("audit.png");
  await auditor.screenshot({ path: shot, fullPage: true });
  await testInfo.attach("audit", { path: shot, contentType: "image/png" });
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

  // A revision: the second auditor sends it to review, and the prefecture's staff finalise it.
  await auditor.getByRole("button", { name: "改訂版を作成" }).click();
  await expect(auditor.getByTestId("report-status")).toHaveText("草案");
  await auditor2.goto(`/audits/${engagementId}/352012`);
  await confirmStep(auditor2, "レビューへ回す");
  await expect(auditor2.getByTestId("wait-second")).toBeVisible();
  await admin.goto(`/audits/${engagementId}/352012`);
  await expect(admin.getByTestId("review-sender")).toContainText("e2e auditor2");
  await confirmStep(admin, "確定する");
  await expect(admin.getByTestId("report-status")).toHaveText("確定");
  await expect(admin.getByText(/^v2 /)).toBeVisible();

  // An auditor whose access period is over is refused the engagement, its pages and documents.
  const expired = await pageFor(browser, "expiredAuditor");
  await expired.goto(`/audits/${expiredEngagement}`);
  await expect(expired.getByRole("heading", { name: FORBIDDEN })).toBeVisible();
  await expired.goto(`/audits/${expiredEngagement}/352012`);
  await expect(expired.getByRole("heading", { name: FORBIDDEN })).toBeVisible();
  expect((await expired.request.get(`/api/audits/${expiredEngagement}/352012/plan`)).status()).toBe(403);
  expect((await expired.request.get(`/api/audits/${engagementId}/352012/report`)).status()).toBe(403);
});

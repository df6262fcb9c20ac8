/**
 * The alert queue analysts work in: inline messages instead of crash pages,
 * Japanese rule and organisation filters, paging past 500 alerts, keyboard
 * navigation, assignment to another user, comments, incident groups.
 * Setup indexes 525 enumeration-scan alerts of 2024 (outside every other
 * spec's period) through the domain's own writer.
 */
import { createHash } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { pageFor } from "../fixtures";

const FROM = "2024-05-01T00:00:00.000Z";
const TO = "2024-07-01T00:00:00.000Z";
const RANGE = `from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}`;
const SCAN = "本人確認情報の網羅的照会（スキャン）";
const idOf = (n: number) => createHash("sha256").update(`e2e-queue-${n}`).digest("hex").slice(0, 24);
const HOUR = 3600_000;
const base = Date.parse("2024-06-20T00:00:00Z");

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  const { indexAlerts } = await import("../../domain/alerts");
  const docs = [];
  // 515 alerts of 下関市 an hour apart (newest first: n = 0 is the latest), 10 of 山口市, and one terminal alert of the latest scan.
  for (let n = 0; n < 525; n++) {
    const org = n < 515 ? "352012" : "352039";
    const start = base - n * HOUR;
    docs.push(scanAlert(idOf(n), org, { type: "operator", id: `OP-${org}-001` }, start, start + 30 * 60_000, n));
  }
  docs.push(scanAlert(idOf(9999), "352012", { type: "terminal", id: "TERM-352012-01" }, base + 5 * 60_000, base + 20 * 60_000, 0));
  await indexAlerts(docs);
});

function scanAlert(id: string, org: string, entity: { type: string; id: string }, start: number, end: number, n: number) {
  const raised = new Date(Date.now() - (n + 1) * 7 * 60_000).toISOString();
  return {
    id,
    "@timestamp": raised,
    rule: { id: "enumeration-scan", name: SCAN, name_en: "Enumeration scan" },
    severity: n % 7 === 0 ? "high" : "medium",
    risk_score: 73,
    window: { start: new Date(start).toISOString(), end: new Date(end).toISOString() },
    entity,
    organization: { id: org },
    summary: `e2e スキャン ${n}`,
    status: "open" as const,
    evidence: { counts: { distinct_subjects: 120 } },
    detection: { first_seen: raised, last_seen: raised },
  };
}

const total = (page: Page) => page.getByTestId("alert-total");

test("the two crash cases answer with inline Japanese messages, an unknown alert with a Japanese not-found", async ({ browser }) => {
  const page = await pageFor(browser, "monitor");
  await page.goto(`/alerts?${RANGE}`);
  await page.getByRole("form", { name: "一括操作" }).getByRole("button", { name: "確認済にする" }).click();
  await expect(page.getByRole("form", { name: "一括操作" }).getByRole("alert")).toHaveText(
    "アラートが選択されていません。一覧のチェックボックスで選んでから操作してください。",
  );
  await expect(page.getByRole("heading", { name: "アラート一覧" })).toBeVisible();

  await page.goto(`/alerts/${idOf(3)}`);
  const triage = page.getByRole("form", { name: "対応" });
  await triage.getByRole("button", { name: "完了にする" }).click();
  await expect(triage.getByRole("alert")).toHaveText("完了にするには判定を選んでください。");
  await expect(page.getByTestId("alert-status")).toHaveText("未対応");

  for (const bad of ["ffffffffffffffffffffffff", "not-an-id"]) {
    const res = await page.goto(`/alerts/${bad}`);
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "アラートが見つかりません" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "メインメニュー" })).toBeVisible();
  }
});

test("a Japanese rule name and an organisation name filter the queue", async ({ browser }) => {
  const page = await pageFor(browser, "monitor");
  await page.goto(`/alerts?${RANGE}&rule=${encodeURIComponent("スキャン")}`);
  await expect(total(page)).toHaveText("526 件");
  await page.goto(`/alerts?${RANGE}&rule=${encodeURIComponent("存在しないルール")}`);
  await expect(total(page)).toHaveText("0 件");
  // The selects show Japanese names; the organisation's code is on hover.
  await page.goto(`/alerts?${RANGE}`);
  const filters = page.getByRole("form", { name: "絞り込み" });
  await filters.getByLabel("ルール").selectOption({ label: SCAN });
  await filters.getByLabel("団体").selectOption({ label: "山口市" });
  await filters.getByRole("button", { name: "絞り込み" }).click();
  await expect(page).toHaveURL(/rule=enumeration-scan/);
  await expect(total(page)).toHaveText("10 件");
  await expect(page.locator("table.alerts tbody abbr").first()).toHaveAttribute("title", "352039");
  await expect(page.locator("table.alerts tbody abbr").first()).toHaveText("山口市");
  // A name typed into the URL works too.
  await page.goto(`/alerts?${RANGE}&organization=${encodeURIComponent("下関市")}`);
  await expect(total(page)).toHaveText("516 件");
});

test("paging goes past 500 alerts, sorted on the server", async ({ browser }, testInfo) => {
  const page = await pageFor(browser, "monitor");
  await page.goto(`/alerts?${RANGE}`);
  await expect(total(page)).toHaveText("526 件");
  const pager = page.getByRole("navigation", { name: "ページ送り" });
  await expect(pager).toContainText("526件中 1–50");
  const shot = testInfo.outputPath("queue.png");
  await page.screenshot({ path: shot, fullPage: true });
  await testInfo.attach("queue", { path: shot, contentType: "image/png" });
  await pager.getByRole("link", { name: "11 ページ" }).click();
  await expect(pager).toContainText("526件中 501–526");
  await expect(page.locator("table.alerts tbody tr")).toHaveCount(26);
  // The oldest alert (山口市's last) is on the last page when sorted by time, descending.
  await expect(page.locator(`tr[data-alert="${idOf(524)}"]`)).toBeVisible();
  // Sorting by time ascending puts it first.
  await page
    .getByRole("columnheader", { name: /発生時刻/ })
    .getByRole("link")
    .click();
  await expect(page).toHaveURL(/dir=asc/);
  await expect(page.locator("table.alerts tbody tr").first()).toHaveAttribute("data-alert", idOf(524));
  await expect(page.getByRole("columnheader", { name: /発生時刻/ })).toHaveAttribute("aria-sort", "ascending");
});

test("one scan's operator and terminal alerts form one group that expands", async ({ browser }) => {
  const page = await pageFor(browser, "monitor");
  await page.goto(`/alerts?${RANGE}`);
  const first = page.locator("table.alerts tbody tr").first();
  await expect(first).toHaveAttribute("data-alert", idOf(9999));
  await expect(page.locator(`tr[data-alert="${idOf(0)}"]`)).toHaveCount(0);
  await first.getByRole("button", { name: /関連 2/ }).click();
  await expect(page.locator(`tr[data-alert="${idOf(0)}"]`)).toBeVisible();
});

test("keyboard: j/k move, x selects, Enter opens", async ({ browser }) => {
  const page = await pageFor(browser, "monitor");
  await page.goto(`/alerts?${RANGE}&organization=352039`);
  const rows = page.locator("table.alerts tbody tr");
  await expect(rows).toHaveCount(10);
  // The shortcuts listen once the page has hydrated; keys pressed before that would go nowhere.
  await expect(page.locator("table.alerts")).toHaveAttribute("data-keys", "ready");
  await page.keyboard.press("j");
  await page.keyboard.press("j");
  await page.keyboard.press("j");
  await page.keyboard.press("k");
  await expect(rows.nth(1)).toHaveAttribute("aria-current", "true");
  await page.keyboard.press("x");
  await expect(rows.nth(1).getByRole("checkbox")).toBeChecked();
  await expect(rows.nth(0).getByRole("checkbox")).not.toBeChecked();
  const id = await rows.nth(1).getAttribute("data-alert");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/alerts/${id}`));
});

test("select-all across pages acknowledges every alert matching the filter", async ({ browser }) => {
  const page = await pageFor(browser, "monitor");
  // 下関市's high alerts: every 7th of 515, and the terminal alert: 75, on two pages of 50.
  const filter = `${RANGE}&organization=352012&severity=high`;
  await page.goto(`/alerts?${filter}`);
  await expect(total(page)).toHaveText("75 件");
  await page.getByLabel("このページをすべて選択").check();
  await page.getByRole("button", { name: "条件に一致するすべてのアラートを選択（75件）" }).click();
  await expect(page.getByText("条件に一致するすべてのアラートを選択しています")).toBeVisible();
  const bulk = page.getByRole("form", { name: "一括操作" });
  await bulk.getByRole("button", { name: "確認済にする" }).click();
  await expect(bulk.getByRole("status")).toHaveText("75件を更新しました。");
  await page.goto(`/alerts?${filter}&status=acknowledged`);
  await expect(total(page)).toHaveText("75 件");
  // Acknowledging again changes nothing and says why.
  await page.goto(`/alerts?${filter}`);
  await page.getByLabel("このページをすべて選択").check();
  await bulk.getByRole("button", { name: "確認済にする" }).click();
  await expect(bulk.getByRole("alert")).toContainText("0件を更新しました。 50件は現在の状態ではこの操作ができないため変更していません。");
});

test("an analyst assigns an alert to another user and comments without changing its status", async ({ browser }, testInfo) => {
  const page = await pageFor(browser, "monitor");
  await page.goto(`/alerts/${idOf(5)}?${RANGE}`);
  const triage = page.getByRole("form", { name: "対応" });
  // Only the actions valid for an open alert.
  await expect(triage.getByRole("button", { name: "再開する" })).toHaveCount(0);
  await triage.getByLabel("担当者").selectOption("e2e-pref-admin");
  await triage.getByRole("button", { name: "担当者を変更" }).click();
  await expect(page.locator(".facts")).toContainText("e2e prefAdmin（e2e-pref-admin）");
  const comment = page.getByRole("form", { name: "コメント" });
  await comment.getByLabel("コメント").fill("下関市市民課に照会中");
  await comment.getByRole("button", { name: "コメントを追加" }).click();
  const history = page.locator("ol.history li");
  await expect(history).toHaveCount(2);
  await expect(history.nth(0)).toContainText("e2e-monitor: 担当者を変更（→ e2e prefAdmin）");
  await expect(history.nth(1)).toContainText("コメント: 下関市市民課に照会中");
  await expect(page.getByTestId("alert-status")).toHaveText("未対応");
  const shot = testInfo.outputPath("alert.png");
  await page.screenshot({ path: shot, fullPage: true });
  await testInfo.attach("alert", { path: shot, contentType: "image/png" });
  // "Assigned to me" shows it to the assignee, not to the analyst.
  const admin = await pageFor(browser, "prefAdmin");
  await admin.goto(`/alerts?${RANGE}&mine=1`);
  await expect(total(admin)).toHaveText("1 件");
  await page.goto(`/alerts?${RANGE}&mine=1`);
  await expect(total(page)).toHaveText("0 件");
  // The audit trail has the assignment and the comment.
  const { db } = await import("../../lib/db");
  expect(await db().consoleAuditEvent.count({ where: { action: { in: ["alert_assign", "alert_comment"] }, target: idOf(5) } })).toBe(2);
});

test("a saved view keeps the filter for the user", async ({ browser }) => {
  const page = await pageFor(browser, "monitor");
  await page.goto(`/alerts?${RANGE}&organization=352039`);
  const views = page.getByRole("region", { name: "保存したビュー" });
  await views.getByLabel("ビュー名").fill("山口市のスキャン");
  await views.getByRole("button", { name: "現在の条件を保存" }).click();
  await expect(views.getByRole("status")).toHaveText("ビューを保存しました。");
  await page.goto("/alerts");
  await page.getByRole("region", { name: "保存したビュー" }).getByRole("link", { name: "山口市のスキャン" }).click();
  await expect(total(page)).toHaveText("10 件");
});

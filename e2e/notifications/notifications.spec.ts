/**
 * A critical alert arrives → the prefecture's monitor is mailed (a real SMTP conversation with the test SMTP
 * server of tests/support/smtp.ts) and sees the notification, with its unread count in the console header.
 * The detection run and the queue drain are the worker's own functions, run here in the test process.
 */
import { expect, test } from "@playwright/test";
import { pageFor, SMTP_PORT } from "../fixtures";
import { startTestSmtp, type TestSmtp } from "../../tests/support/smtp";

const MONITOR_MAIL = "monitor@pref.e2e.example.lg.jp";
const CODE = "50000004242";

let smtp: TestSmtp;
test.beforeAll(async () => {
  smtp = await startTestSmtp(SMTP_PORT);
});
test.afterAll(async () => {
  const { closeTransports } = await import("../../domain/notifications/channels");
  closeTransports();
  await smtp.stop();
});

test("a critical alert: the prefecture's monitor gets a mail and the notification with its unread count", async ({ browser }) => {
  const page = await pageFor(browser, "monitor");
  // The monitor sets a mail address and keeps critical alerts on (preferences page).
  await page.goto("/notifications/preferences");
  await expect(page.getByRole("heading", { name: "通知設定" })).toBeVisible();
  await page.getByLabel("メールアドレス（空欄＝メールを送らない）").fill(MONITOR_MAIL);
  await page.getByLabel("アラート通知の最低重要度").selectOption("critical");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status")).toHaveText("通知設定を保存しました");
  await page.goto("/dashboard");
  const before = Number(await page.getByTestId("unread-notifications").getAttribute("data-unread"));

  // 下関市's operator writes 5,000 residents' records to a file late at night, 40 days ago (outside the other specs' range).
  const { ev, ingest, SHIMONOSEKI } = await import("../../tests/integration/detectors/harness");
  const { runDetectors } = await import("../../detectors/engine");
  const { drainDeliveries } = await import("../../domain/notifications/queue");
  const day = new Date(Date.now() - 40 * 86_400_000 + 9 * 3600_000).toISOString().slice(0, 10);
  await ingest([ev({ t: `${day}T22:10:00+09:00`, action: "export", records: 5000, user: `OP-${SHIMONOSEKI}-002`, resident: CODE })]);
  const from = new Date(`${day}T00:00:00+09:00`);
  const run = await runDetectors({ from, to: new Date(from.getTime() + 86_400_000) }, { rules: ["bulk-export"], trigger: "test" });
  expect(run.created).toBe(1);
  const drained = await drainDeliveries();
  expect(drained.delivered).toBeGreaterThanOrEqual(1);

  const [mail] = (await smtp.waitFor(1)).filter((m) => m.to.includes(MONITOR_MAIL));
  expect(mail.subject).toContain("［緊急］");
  expect(mail.subject).toContain("大量");
  expect(mail.text).toContain("下関市（352012）");
  expect(mail.text).toMatch(/http:\/\/localhost:\d+\/alerts\/[0-9a-f]{24}/);
  for (const m of smtp.mails) expect(`${m.raw}${m.text}`).not.toContain(CODE);

  // In the console: the unread count went up, the list shows the alert and leads to it.
  await page.goto("/dashboard");
  const badge = page.getByTestId("unread-notifications");
  await expect(badge).toHaveAttribute("data-unread", String(before + 1));
  await expect(badge.locator(".badge")).toContainText(String(before + 1));
  await badge.click();
  await expect(page.getByRole("heading", { name: "通知" })).toBeVisible();
  const row = page.getByTestId("notification-list").locator("tr.unread", { hasText: "大量" }).first();
  await expect(row).toContainText("緊急");
  await expect(row).toContainText("下関市");
  await expect(row).not.toContainText(CODE);
  const href = await row.getByRole("link").first().getAttribute("href");
  expect(mail.text).toContain(href!);

  // Marked read: the count goes down.
  await row.getByRole("checkbox").check();
  await page.getByRole("button", { name: "既読にする", exact: true }).click();
  await expect(page.getByTestId("unread-notifications")).toHaveAttribute("data-unread", String(before));
});

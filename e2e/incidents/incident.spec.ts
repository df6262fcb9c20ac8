import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { pageFor, seeded, SMTP_PORT, USERS } from "../fixtures";
import { startTestSmtp, type TestSmtp } from "../../tests/support/smtp";

/** The contact chain this spec sets up: 下関市's security officer, then the prefecture's monitoring centre, then its security head. */
const MAIL = {
  city: "security@city-352012.e2e.example.lg.jp",
  centre: "soc@pref.e2e.example.lg.jp",
  head: "head@pref.e2e.example.lg.jp",
};

let smtp: TestSmtp;
test.beforeAll(async () => {
  smtp = await startTestSmtp(SMTP_PORT);
  const { addContact, addEscalationStep } = await import("../../domain/incidents");
  const { db } = await import("../../lib/db");
  const admin = await db().user.findUniqueOrThrow({ where: { loginId: USERS.prefAdmin.loginId } });
  const actor = { kind: "user" as const, id: admin.id, login: admin.loginId, role: "admin" as const, organizationId: USERS.prefAdmin.organizationId };
  const contact = (organizationId: string, role: string, name: string, email: string) =>
    addContact(actor, { organizationId, role, name, email, phone: "0000-00-0000", hours: "24時間" } as Parameters<typeof addContact>[1]);
  const city = await contact(USERS.shimonoseki.organizationId, "security_officer", "下関市 セキュリティ責任者", MAIL.city);
  const centre = await contact(USERS.prefAdmin.organizationId, "monitoring_centre", "県 監視センター", MAIL.centre);
  const head = await contact(USERS.prefAdmin.organizationId, "security_head", "県 セキュリティ統括責任者", MAIL.head);
  for (const c of [city, centre, head]) await addEscalationStep(actor, USERS.shimonoseki.organizationId, 3, c);
});
test.afterAll(async () => {
  const { closeTransports } = await import("../../domain/notifications/channels");
  closeTransports();
  await smtp.stop();
});

/** Sends what the worker's drain would send now and returns the mails that reached the test SMTP server for `to`. */
async function mailsTo(to: string, subjectPart: string) {
  const { drainDeliveries } = await import("../../domain/notifications/queue");
  await drainDeliveries();
  await expect.poll(() => smtp.mails.filter((m) => m.to.includes(to) && m.subject.includes(subjectPart)).length).toBeGreaterThan(0);
  return smtp.mails.filter((m) => m.to.includes(to) && m.subject.includes(subjectPart));
}

/**
 * The incident loop in the browser: the prefecture opens a level-3 incident
 * from 下関市's alert, asks 下関市 to investigate, 下関市's officer answers
 * with an attachment, the prefecture closes the incident and downloads the
 * report, whose text (pdftotext) carries the timeline. 山口市's officer never
 * sees the incident. Mail goes through the test SMTP server (a real SMTP
 * conversation): the opening reaches 下関市's officer and the prefecture's
 * centre (the level-3 escalation path), and once the upward-report deadline
 * has passed (the worker's escalation pass, run here with a later clock) the
 * next level of the path is told. (A critical alert mailing the monitor is
 * e2e/notifications.)
 */
test("incident: opened from an alert at level 3, investigated by 下関市, closed, reported as PDF with its timeline", async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const alert = seeded().alerts[USERS.shimonoseki.organizationId][0];
  const pref = await pageFor(browser, "monitor");
  await pref.goto(`/alerts/${alert.id}`);
  await pref.locator("summary", { hasText: "このアラートから事案を登録" }).click();
  const open = pref.getByRole("form", { name: "このアラートから事案を登録" });
  await open.getByLabel("件名").fill("e2e 時間外の照会（レベル3）");
  await open.getByLabel("種別").selectOption({ label: "不正行為" });
  await open.getByLabel("脅威度").selectOption({ label: "レベル3" });
  await open.getByLabel("概要").fill("下関市で業務時間外の照会を検知した。");
  await open.getByRole("button", { name: "登録する" }).click();
  await expect(pref.getByRole("status")).toHaveText("事案を登録しました");
  await expect(pref.getByTestId("incident-level")).toHaveText("レベル3");
  await expect(pref.getByTestId("incident-status")).toHaveText("受付");
  // Level 3 requires an upward report within 60 minutes (the default definition): a deadline is shown.
  await expect(pref.getByTestId("incident-report-due")).not.toContainText("上位報告は不要");
  const incidentUrl = new URL(pref.url()).pathname;
  const incidentId = Number(incidentUrl.split("/").pop());

  // The opening is mailed to the level-3 path: 下関市's security officer and the prefecture's monitoring centre.
  for (const to of [MAIL.city, MAIL.centre]) {
    const [mail] = await mailsTo(to, "e2e 時間外の照会（レベル3）");
    expect(mail.subject).toContain("事案が登録されました");
    expect(mail.text).toContain(incidentUrl);
  }
  // The deadline passes without an upward report: the pass (as the worker runs it) tells the next level once.
  const { runEscalationPass } = await import("../../domain/incidents");
  const later = new Date(Date.now() + 3 * 3600_000);
  expect((await runEscalationPass(later)).overdue).toContain(incidentId);
  expect((await runEscalationPass(later)).overdue).not.toContain(incidentId);
  const [overdue] = await mailsTo(MAIL.head, "上位報告の期限を過ぎています");
  expect(overdue.subject).toContain("e2e 時間外の照会（レベル3）");
  await pref.reload();
  await expect(pref.getByTestId("incident-timeline")).toContainText("県 セキュリティ統括責任者");

  await pref.getByRole("form", { name: "状態を変更" }).getByLabel("状態").selectOption({ label: "調査中" });
  await pref.getByRole("form", { name: "状態を変更" }).getByRole("button").click();
  // Each form posts and comes back to a fresh page: wait for it before filling the next form.
  await expect(pref.getByTestId("incident-status")).toHaveText("調査中");
  const decision = pref.getByRole("form", { name: "判断を記録" });
  // A select's accessible name carries its chosen option ("判断 …"): picked by its field name.
  await decision.locator('select[name="decision"]').selectOption({ label: "ネットワーク切断を決定" });
  await decision.getByLabel("判断者").fill("県 セキュリティ統括責任者");
  await decision.getByLabel("理由").fill("被害拡大の防止");
  await decision.getByRole("button").click();
  await expect(pref.getByTestId("incident-timeline")).toContainText("ネットワーク切断を決定");

  const ask = pref.getByRole("form", { name: "調査を依頼" });
  await ask.getByLabel("依頼先").selectOption({ label: "下関市" });
  await ask.getByLabel("依頼内容").fill("該当操作者の時間外の照会の理由を確認してください。");
  await ask.getByRole("button", { name: "調査を依頼" }).click();
  await expect(pref.getByRole("status")).toHaveText("調査を依頼しました");
  await expect(pref.getByTestId("incident-timeline")).toContainText("調査を依頼");

  // 山口市's officer: the incident is not found, the request is not listed.
  const other = await pageFor(browser, "yamaguchi");
  await other.goto(incidentUrl);
  await expect(other.getByRole("heading", { name: "事案が見つかりません" })).toBeVisible();
  await other.goto("/investigations");
  await expect(other.getByText("該当操作者の時間外の照会の理由")).toHaveCount(0);

  // 下関市's officer answers with an attachment.
  const city = await pageFor(browser, "shimonoseki");
  await city.goto("/investigations");
  await city.getByRole("link", { name: /該当操作者の時間外の照会の理由/ }).click();
  const answer = city.getByRole("form", { name: "回答する" });
  await answer.getByLabel("調査結果").fill("転入届の処理のため課長の指示で時間外に照会した。");
  await answer.getByLabel("原因").fill("繁忙期の残業");
  await answer.getByLabel("正当な業務によるもの", { exact: true }).check();
  await answer.getByLabel("講じた措置").fill("時間外作業の事前申請を徹底");
  const attachment = path.join(testInfo.outputDir, "作業記録.txt");
  fs.mkdirSync(testInfo.outputDir, { recursive: true });
  fs.writeFileSync(attachment, "残業命令簿 写し\n");
  await answer.getByLabel("添付ファイル").setInputFiles(attachment);
  await answer.getByRole("button", { name: "回答する" }).click();
  await expect(city.getByRole("status")).toHaveText("回答を送信しました");
  await expect(city.getByTestId("investigation-answer")).toContainText("作業記録.txt");
  // The answer is in the alert's history too.
  await city.goto(`/alerts/${alert.id}`);
  await expect(city.locator("ol.history")).toContainText("調査の回答");

  // The prefecture closes the incident and downloads the report.
  await pref.goto(incidentUrl);
  await expect(pref.getByTestId("incident-timeline")).toContainText("調査の回答");
  const status = pref.getByRole("form", { name: "状態を変更" });
  await status.getByLabel("状態").selectOption({ label: "終結" });
  await status.getByLabel("理由").fill("再発防止策を確認");
  await status.getByRole("button").click();
  await expect(pref.getByTestId("incident-status")).toHaveText("終結");
  const [download] = await Promise.all([pref.waitForEvent("download"), pref.getByRole("link", { name: "事案報告書（PDF）" }).click()]);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "incident-")), "report.pdf");
  await download.saveAs(file);
  const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }).replace(/\s+/g, "");
  for (const s of [
    "事案報告書",
    "e2e時間外の照会（レベル3）",
    "4経過",
    "事案を受付",
    "ネットワーク切断を決定",
    "調査を依頼",
    "調査の回答",
    "転入届の処理のため",
    "終結",
    "令和",
  ])
    expect(text, s).toContain(s);
  // No mail carried resident data: no 住民票コード of the seeded events (tests/integration/detectors/harness resident(n) = 5000…) was sent.
  for (const m of smtp.mails) expect(`${m.raw}${m.text}`).not.toMatch(/(?<!\d)5000\d{7}(?!\d)/);
});

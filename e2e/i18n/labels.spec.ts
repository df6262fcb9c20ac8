import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { jstParts } from "../../lib/calendar";
import { resident } from "../../tests/integration/detectors/harness";
import { pageFor, seeded } from "../fixtures";

const DAY = 86_400_000;
const range = () => {
  const { from, to } = seeded();
  return `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
};

test("the events CSV opens in Excel: UTF-8 BOM, Japanese headers, JST times, labels and organisation names", async ({ browser }) => {
  const page = await pageFor(browser, "monitor");
  // The seeded after-hours look-up of OP-352012-003: 22:05 JST two days before the seed ran (13:05 UTC).
  await page.goto(`/events?${range()}&operator=OP-352012-003`);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "CSV出力" }).click()]);
  const bytes = fs.readFileSync(await download.path());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString("utf8").trim().split("\n");
  expect(lines[0].split(",").slice(0, 5)).toEqual(["日時（日本時間）", "操作", "結果", "団体コード", "団体名"]);
  expect(lines).toHaveLength(2);
  const day = jstParts(Date.parse(seeded().to) - 2 * DAY).dateKey.replaceAll("-", "/");
  expect(lines[1].split(",").slice(0, 5)).toEqual([`${day} 22:05:00`, "検索", "成功", "352012", "下関市"]);
});

test("the explorer's 団体 filter: organisations by name, a typed name accepted, an unknown one said", async ({ browser }) => {
  const page = await pageFor(browser, "monitor");
  await page.goto(`/events?${range()}`);
  await page.getByLabel("団体").selectOption({ label: "下関市" });
  await page.getByRole("button", { name: "検索", exact: true }).click();
  await expect(page).toHaveURL(/organization=352012/);
  const orgCells = page.locator("table.events tbody tr td:nth-child(4)");
  await expect(orgCells.first()).toBeVisible();
  expect(new Set(await orgCells.allTextContents())).toEqual(new Set(["下関市"]));
  await expect(orgCells.first().locator("span")).toHaveAttribute("title", "352012");
  // Actions read in Japanese.
  expect(new Set(await page.locator("table.events tbody tr td:nth-child(2)").allTextContents())).toEqual(new Set(["検索", "閲覧"]));

  // A name in the URL (a saved link) filters like the code.
  await page.goto(`/events?${range()}&organization=${encodeURIComponent("下関市")}`);
  expect(new Set(await orgCells.allTextContents())).toEqual(new Set(["下関市"]));
  await expect(page.getByLabel("団体")).toHaveValue("352012");
  // A name that is no organisation is said, not silently ignored.
  await page.goto(`/events?${range()}&organization=${encodeURIComponent("存在しない市")}`);
  await expect(page.locator("p.error[role=alert]")).toContainText("団体「存在しない市」が見つかりません");
  await expect(page.locator("table.events")).toHaveCount(0);
});

test("the audit trail reads in Japanese: actions, the actor by name and login, organisations by name", async ({ browser }) => {
  const page = await pageFor(browser, "monitor");
  await page.request.get(`/api/events/export?${range()}&organization=352012`);
  await page.goto("/audit-trail");
  await page.getByLabel("操作").selectOption({ label: "ログのCSV出力" });
  await page.getByRole("button", { name: "検索" }).click();
  await expect(page).toHaveURL(/action=event_export/);
  const row = page.locator("tbody tr").first();
  await expect(row.locator("td").nth(2)).toHaveText("e2e monitor（e2e-monitor）");
  await expect(row.locator("td").nth(3)).toHaveText("ログのCSV出力");
  await expect(row.locator("td").nth(5)).toHaveText("下関市");
  await expect(page.locator("tbody")).not.toContainText("event_export");
});

test("official letters carry 和暦 with 西暦: the audit plan PDF and the disclosure letter", async ({ browser }) => {
  const { db } = await import("../../lib/db");
  const auditor = await db().user.findUniqueOrThrow({ where: { loginId: "e2e-auditor" } });
  const now = Date.now();
  const fieldwork = new Date(`${jstParts(now + 10 * DAY).dateKey}T00:00:00+09:00`);
  const engagement = await db().auditEngagement.create({
    data: {
      firm: "e2e 和暦監査法人",
      prefectureId: "350001",
      fiscalYear: 2026,
      accessFrom: new Date(now - DAY),
      accessTo: new Date(now + 30 * DAY),
      auditFrom: new Date("2026-04-01T00:00:00+09:00"),
      auditTo: new Date("2026-10-01T00:00:00+09:00"),
      organizations: { create: [{ organizationId: "352039", fieldworkOn: fieldwork }] },
      auditors: { create: [{ userId: auditor.id }] },
    },
  });
  const page = await pageFor(browser, "auditor");
  const res = await page.request.get(`/api/audits/${engagement.id}/352039/plan`);
  expect(res.status()).toBe(200);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-letter-"));
  const file = path.join(dir, "plan.pdf");
  fs.writeFileSync(file, await res.body());
  // poppler's pdftotext (tests/support/pdf.ts is vitest's; the e2e run installs poppler-utils as well).
  const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }).replace(/\s+/g, "");
  fs.rmSync(dir, { recursive: true, force: true });
  expect(text).toContain("令和8年4月1日（2026年4月1日）〜令和8年9月30日（2026年9月30日）");
  const p = jstParts(fieldwork);
  expect(text).toContain(`令和${p.year - 2018}年${p.month}月${p.day}日（${p.year}年${p.month}月${p.day}日）`);

  // The disclosure letter to the resident.
  const officer = await pageFor(browser, "yamaguchi");
  await officer.goto("/disclosure");
  await officer.getByLabel("住民票コード（11桁）").fill(resident(7777));
  await officer.getByRole("button", { name: "照会する" }).click();
  const letter = officer.getByRole("article", { name: "本人確認情報の提供状況について（通知）" });
  await expect(letter.locator(".letter-date")).toHaveText(/^令和\d+年\d+月\d+日（\d{4}年\d+月\d+日）$/);
  await expect(letter).toContainText(/令和\d+年\d+月\d+日（\d{4}年\d+月\d+日）から令和\d+年\d+月\d+日（\d{4}年\d+月\d+日）までの間/);
});

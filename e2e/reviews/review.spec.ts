import { expect, test } from "@playwright/test";
import { pageFor, USERS } from "../fixtures";
import { ensureReviewTask } from "./seed";

/**
 * The monthly log review in the browser: 下関市's officer opens last month's
 * review (its material: alerts, after-hours work, the most active operators,
 * the sample with explorer links — the same sample when reopened), ticks the
 * standard checks, records findings and 要対応 with a follow-up, and completes
 * it; the officer cannot sign it off; the prefecture's monitoring centre signs
 * it off; 山口市's officer cannot open it.
 */
test("log review: 下関市's officer completes last month's review, the prefecture signs it off", async ({ browser }) => {
  test.setTimeout(180_000);
  const id = await ensureReviewTask(USERS.shimonoseki.organizationId, 1);
  const officer = await pageFor(browser, "shimonoseki");
  await officer.goto("/reviews");
  await expect(officer.getByRole("heading", { name: "操作履歴の点検" })).toBeVisible();
  await expect(officer.locator(`a[href="/reviews/${id}"]`)).toBeVisible();
  await officer.goto(`/reviews/${id}`);
  await expect(officer.getByTestId("review-status")).toHaveText("未完了");
  await expect(officer.getByRole("heading", { name: "期間中のアラートと対応状況" })).toBeVisible();
  await expect(officer.getByRole("heading", { name: "抽出した操作（申請書等との照合）" })).toBeVisible();
  const sampleIds = async () =>
    officer.locator("[data-testid=review-sample] tr[data-event-id]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-event-id")));
  const first = await sampleIds();
  // Reopened: the same sample.
  await officer.reload();
  expect(await sampleIds()).toEqual(first);

  await officer.getByLabel("認証IDの適正な利用（なりすまし・共用・同時利用がないか）").check();
  await officer.getByLabel("業務時間外の利用（承認のない時間外の操作がないか）").check();
  await officer.getByLabel("権限外業務での利用（所属の事務以外の照会がないか）").check();
  await officer.getByLabel("抽出した操作を申請書等と照合した").check();
  await officer.getByLabel("所見", { exact: true }).fill("夜間の照会1件に時間外使用承認の記録がない。");
  await officer.getByLabel("要対応", { exact: true }).check();
  await officer.getByLabel("対応（要対応の場合）").fill("本人と所属長に照会する。");
  await officer.getByRole("button", { name: "下書きを保存" }).click();
  await expect(officer.getByRole("status")).toContainText("点検の記録を保存しました。");
  await officer.getByRole("button", { name: "点検を完了する" }).click();
  await officer.getByRole("dialog").getByRole("button", { name: "実行する" }).click();
  await expect(officer.getByRole("status")).toContainText("点検を完了しました。");
  await expect(officer.getByTestId("review-status")).toHaveText("点検済（承認待ち）");
  await expect(officer.getByTestId("review-outcome")).toHaveText("要対応");
  // A municipal officer is not offered the sign-off.
  await expect(officer.getByRole("button", { name: "点検を承認する" })).toHaveCount(0);

  // 山口市's officer: not found.
  const other = await pageFor(browser, "yamaguchi");
  await other.goto(`/reviews/${id}`);
  await expect(other.getByRole("heading", { name: "点検が見つかりません" })).toBeVisible();

  const pref = await pageFor(browser, "monitor");
  await pref.goto(`/reviews?organization=${USERS.shimonoseki.organizationId}`);
  await pref.locator(`a[href="/reviews/${id}"]`).click();
  await pref.getByLabel("承認者のコメント").fill("確認しました。");
  await pref.getByRole("button", { name: "点検を承認する" }).click();
  await pref.getByRole("dialog").getByRole("button", { name: "実行する" }).click();
  await expect(pref.getByRole("status")).toContainText("点検を承認しました。");
  await expect(pref.getByTestId("review-status")).toHaveText("承認済");
  await expect(pref.getByTestId("review-signer")).not.toHaveText("—");
  await expect(pref.getByTestId("review-reviewer")).not.toHaveText("—");
});

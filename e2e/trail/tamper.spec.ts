import { spawnSync } from "node:child_process";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { pageFor } from "../fixtures";

/** Runs last (folder order): it breaks the chain on purpose. */
test("the console audit trail records actions, and tampering with one record is detected", async ({ browser }) => {
  const page = await pageFor(browser, "monitor");
  await page.goto("/audit-trail");
  await expect(page.getByTestId("chain-state")).toHaveText("改ざんは検出されませんでした");
  // Each kind of action is in the trail (filtered by action: earlier specs write many records).
  for (const a of [
    "signin",
    "signin_failure",
    "account_locked",
    "account_unlock_refused",
    "account_unlocked",
    "alert_triage",
    "alert_view",
    "event_search",
    "dashboard_view",
  ]) {
    await page.goto(`/audit-trail?action=${a}`);
    // The column reads in Japanese; the code it stands for is kept on the cell.
    const actions = await page.locator("tbody tr td[data-action]").evaluateAll((cells) => cells.map((c) => c.getAttribute("data-action")));
    expect(actions.length, a).toBeGreaterThan(0);
    expect(new Set(actions), a).toEqual(new Set([a]));
  }
  await page.goto("/audit-trail");

  const verify = () =>
    spawnSync(process.execPath, [path.join(process.cwd(), "node_modules", "tsx", "dist", "cli.mjs"), "scripts/audit-verify.ts"], {
      env: { ...process.env },
      encoding: "utf8",
    });
  expect(verify().status).toBe(0);

  const db = new Database(process.env.DATABASE_URL!.replace(/^file:/, ""));
  const victim = db.prepare("SELECT seq FROM ConsoleAuditEvent WHERE action = 'alert_triage' ORDER BY seq LIMIT 1").get() as { seq: number };
  // Someone rewrites who triaged the alert.
  db.prepare("UPDATE ConsoleAuditEvent SET actorLogin = 'someone-else' WHERE seq = ?").run(victim.seq);
  db.close();

  const broken = verify();
  expect(broken.status).toBe(1);
  expect(broken.stderr).toContain(`BROKEN at record ${victim.seq}: record ${victim.seq} was altered`);
  await page.reload();
  await expect(page.getByTestId("chain-state")).toHaveText(`改ざんを検出しました (#${victim.seq})`);
});

/**
 * What one console instance does, run as its own process by
 * tests/integration/instances.test.ts: `audit <n> <tag>` appends n audit records,
 * `signin-failures <n> <login> <address>` records n failed sign-ins.
 */
import { checkpointsSettled, recordAudit } from "../../lib/audit/trail";
import { recordSignInFailure } from "../../lib/auth/ratelimit";
import { disconnectDb } from "../../lib/db";

const [what, count, ...rest] = process.argv.slice(2);
const n = Number(count);
if (what === "audit") {
  // Not awaited one by one: as a busy instance would, with appends queued in this process.
  await Promise.all(Array.from({ length: n }, (_, i) => recordAudit({ action: "test_action", details: { instance: rest[0], i } })));
  await checkpointsSettled();
} else if (what === "signin-failures") {
  for (let i = 0; i < n; i++) await recordSignInFailure(rest[0], rest[1]);
} else throw new Error(`unknown action ${what}`);
await disconnectDb();

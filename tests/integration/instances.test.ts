/**
 * Several console instances on one PostgreSQL database (the PostgreSQL pass of
 * the suite): real processes appending to the audit trail at the same time keep
 * one intact chain, and sign-in rate limits count the failures of every instance.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../lib/paths";
import { freshTestDatabase, TEST_DATABASE } from "../support/database";
import { TEST_ES } from "./global-setup";

const saved = { ...process.env };
// This file's own database and index prefix, set before the app's modules read the configuration.
const url = TEST_DATABASE === "postgresql" ? await freshTestDatabase(`instances-${TEST_ES.port}`) : "";
Object.assign(process.env, { DATABASE_URL: url, ES_INDEX_PREFIX: "instancestest" });

function instance(...args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "tests", "support", "instance-actions.ts"), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: url, ES_INDEX_PREFIX: "instancestest" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    p.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    p.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`instance ${args.join(" ")} exited ${code}: ${err}`))));
  });
}

afterAll(async () => {
  const { disconnectDb } = await import("../../lib/db");
  await disconnectDb();
  for (const k of ["DATABASE_URL", "ES_INDEX_PREFIX"]) process.env[k] = saved[k];
});

describe.skipIf(TEST_DATABASE !== "postgresql")("two console instances on one PostgreSQL database", () => {
  it("append to one audit trail at the same time without breaking the chain, and share the sign-in limits", async () => {
    await Promise.all([
      instance("audit", "40", "a"),
      instance("audit", "40", "b"),
      instance("signin-failures", "6", "shared-login", "198.51.100.7"),
      instance("signin-failures", "6", "shared-login", "198.51.100.8"),
    ]);

    // Read back in this process, on the same database.
    const { db } = await import("../../lib/db");
    const { verifyAuditChain } = await import("../../lib/audit/trail");
    expect(await db().consoleAuditEvent.count()).toBe(80);
    expect(await verifyAuditChain()).toMatchObject({ ok: true });
    const { signInRetryAfter } = await import("../../lib/auth/ratelimit");
    // 6 + 6 failures of the same login id across instances pass the limit of 10 (each alone stayed under it).
    expect(await signInRetryAfter("shared-login", "203.0.113.1")).toBeGreaterThan(0);
    expect(await signInRetryAfter("other-login", "203.0.113.1")).toBeUndefined();
  });
});

/**
 * The audit trail's tamper evidence against real SQLite and Elasticsearch:
 * keyed MACs, legacy records, checkpoints outside the database, the verify
 * command, incremental verification and the scoped listing.
 *
 * This file uses its own database, checkpoint index prefix and trail key, so
 * that records and checkpoints of other test files (which share the run's
 * database) neither disturb it nor are disturbed by its tampering.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TEST_ES } from "./global-setup";
import { freshTestDatabase } from "../support/database";
import { REPO_ROOT, VAR_DIR } from "../../lib/paths";

const KEY = "747261696c2d746573742d6b65792d6e6f742d666f722d70726f64756374696f6e";
const saved = { ...process.env };
Object.assign(process.env, {
  DATABASE_URL: await freshTestDatabase(`trail-${TEST_ES.port}`),
  ES_INDEX_PREFIX: "trailtest",
  AUDIT_TRAIL_KEY: KEY,
  AUDIT_TRAIL_CHECKPOINT_RECORDS: "5",
  AUDIT_TRAIL_CHECKPOINT_SECONDS: "3600",
});

const { db, disconnectDb } = await import("../../lib/db");
const { es, resetEsClient } = await import("../../lib/es/client");
const { allCheckpoints, checkpointIndex } = await import("../../lib/audit/checkpoints");
const trail = await import("../../lib/audit/trail");
const { auditVerify } = await import("../../scripts/audit-verify");
const { scopeOf } = await import("../../lib/auth/scope");
type Role = import("../../lib/auth/principal").Role;
const { recordAudit, verifyAuditChain, verifyAuditChainIncremental, checkpointsSettled, legacyHashOf, listAuditTrail, seesUnownedAuditRecords } = trail;

type Row = Awaited<ReturnType<ReturnType<typeof db>["consoleAuditEvent"]["findMany"]>>[number];

const verifyCli = () =>
  spawnSync(process.execPath, [path.join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs"), path.join(REPO_ROOT, "scripts", "audit-verify.ts")], {
    env: { ...process.env },
    encoding: "utf8",
  });

const rows = () => db().consoleAuditEvent.findMany({ orderBy: { seq: "asc" } });

/** Puts the trail back as it was (after a test tampered with it) and re-verifies it in full. */
async function restore(snapshot: Row[]) {
  await db().consoleAuditEvent.deleteMany();
  await db().consoleAuditEvent.createMany({ data: snapshot });
  expect(await verifyAuditChain()).toMatchObject({ ok: true });
}

async function append(n: number, action = "test_action") {
  for (let i = 0; i < n; i++) await recordAudit({ action, details: { i } });
  await checkpointsSettled();
}

/** What an attacker without the key can do: change a record and recompute the chain after it with plain SHA-256. */
async function rewriteWithSha256(seq: number, change: (r: Row) => Partial<Row>) {
  const all = await rows();
  let prev = all.find((r) => r.seq === seq - 1)?.hash ?? "0".repeat(64);
  for (const r of all.filter((x) => x.seq >= seq)) {
    const next = { ...r, ...(r.seq === seq ? change(r) : {}), prevHash: prev };
    const canonical = JSON.stringify([
      next.macVersion,
      next.keyId,
      next.seq,
      next.at.toISOString(),
      next.actorId,
      next.actorLogin,
      next.actorOrganizationId,
      next.action,
      next.target,
      next.organizationId,
      next.scope,
      next.details,
      next.prevHash,
    ]);
    next.hash = next.macVersion === 0 ? legacyHashOf(next) : createHash("sha256").update(canonical).digest("hex");
    await db().consoleAuditEvent.update({ where: { seq: r.seq }, data: { ...next, hash: `tmp-${r.seq}` } });
    await db().consoleAuditEvent.update({ where: { seq: r.seq }, data: { hash: next.hash } });
    prev = next.hash;
  }
}

beforeAll(async () => {
  await disconnectDb();
  await resetEsClient();
  await es().indices.delete({ index: checkpointIndex(), ignore_unavailable: true });
});

afterAll(async () => {
  await checkpointsSettled();
  await disconnectDb();
  await resetEsClient();
  for (const k of [
    "DATABASE_URL",
    "ES_INDEX_PREFIX",
    "AUDIT_TRAIL_KEY",
    "AUDIT_TRAIL_KEY_FILE",
    "AUDIT_TRAIL_CHECKPOINT_RECORDS",
    "AUDIT_TRAIL_CHECKPOINT_SECONDS",
  ]) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe("audit trail tamper evidence", () => {
  it("keeps legacy SHA-256 records verifying before the first keyed one, and appends keyed records", async () => {
    // Three records as the previous version wrote them (plain SHA-256 chain, macVersion 0).
    let prev = "0".repeat(64);
    for (let seq = 1; seq <= 3; seq++) {
      const r = {
        seq,
        at: new Date(Date.UTC(2026, 0, seq)),
        actorId: null,
        actorLogin: "old",
        action: "legacy",
        target: null,
        organizationId: null,
        scope: null,
        details: null,
        prevHash: prev,
        macVersion: 0,
        keyId: null,
        actorOrganizationId: null,
      };
      const hash = legacyHashOf(r);
      await db().consoleAuditEvent.create({ data: { ...r, hash } });
      prev = hash;
    }
    await append(4);
    const all = await rows();
    expect(all.map((r) => r.macVersion)).toEqual([0, 0, 0, 1, 1, 1, 1]);
    expect(new Set(all.slice(3).map((r) => r.keyId)).size).toBe(1);
    expect(all[3].prevHash).toBe(all[2].hash);
    expect(await verifyAuditChain()).toMatchObject({ ok: true, records: 7, head: { seq: 7, mac: all[6].hash } });
  });

  it("checkpoints the head in Elasticsearch (write-once by seq, explicit mapping) and the log, without the key", async () => {
    const log = vi.spyOn(console, "log");
    await append(5); // 8 … 12: the throttle (every 5 records) checkpointed 5 and now 12; the verification above checkpointed 7
    const logged = log.mock.calls.map((c) => String(c[0]));
    log.mockRestore();
    const cps = await allCheckpoints();
    const bySeq = new Map((await rows()).map((r) => [r.seq, r.hash]));
    expect(cps.map((c) => c.seq)).toEqual([5, 7, 12]);
    for (const c of cps) expect(c.mac).toBe(bySeq.get(c.seq));
    const mapping = await es().indices.getMapping({ index: checkpointIndex() });
    expect(Object.values(mapping)[0].mappings).toMatchObject({ dynamic: "strict", properties: { seq: { type: "long" }, mac: { type: "keyword" } } });
    const lines = logged.filter((l) => l.includes("audit_trail_checkpoint"));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]).audit_trail_checkpoint).toMatchObject({ seq: 12, mac: bySeq.get(12) });
    expect(lines[0]).not.toContain(KEY);
    // A checkpoint is never overwritten.
    const { writeCheckpoint } = await import("../../lib/audit/checkpoints");
    await writeCheckpoint({ seq: 12, mac: "f".repeat(64), key: null, at: new Date().toISOString() });
    expect((await allCheckpoints()).find((c) => c.seq === 12)?.mac).toBe(bySeq.get(12));
  });

  it("exits 0 with the count for a clean chain", async () => {
    const r = verifyCli();
    expect(r.stderr).toContain("audit trail intact: 12 records");
    expect(r.status).toBe(0);
  });

  it("detects a record changed in SQLite with the chain after it recomputed with plain SHA-256", async () => {
    const snapshot = await rows();
    await rewriteWithSha256(9, (r) => ({ details: JSON.stringify({ i: 999 }), actorLogin: r.actorLogin }));
    const r = verifyCli();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("BROKEN at record 9: record 9 was altered");
    await restore(snapshot);

    // Nor can the rewritten records pose as legacy ones after the keyed chain began.
    await rewriteWithSha256(9, () => ({ details: JSON.stringify({ i: 999 }), macVersion: 0, keyId: null }));
    const down = await auditVerify();
    expect(down).toMatchObject({ code: 1, result: { ok: false, brokenAt: 9, reason: "record 9 is an unkeyed record after keyed ones" } });
    await restore(snapshot);

    // Nor as a whole legacy trail: the record at the checkpoint no longer carries its MAC.
    await rewriteWithSha256(4, () => ({ macVersion: 0, keyId: null }));
    for (let seq = 5; seq <= 12; seq++) {
      const x = (await rows()).find((r) => r.seq === seq)!;
      if (x.macVersion !== 0) await rewriteWithSha256(seq, () => ({ macVersion: 0, keyId: null }));
    }
    expect(await auditVerify()).toMatchObject({
      code: 1,
      result: { ok: false, brokenAt: 5, reason: expect.stringContaining("record 5 does not match the checkpoint") },
    });
    await restore(snapshot);
  });

  it("detects the newest 3 records deleted after a checkpoint", async () => {
    await append(3); // 13 … 15
    expect((await verifyAuditChain()).ok).toBe(true); // checkpoints the head, 15
    expect((await allCheckpoints()).at(-1)?.seq).toBe(15);
    const snapshot = await rows();
    await db().consoleAuditEvent.deleteMany({ where: { seq: { gt: 12 } } });
    const r = verifyCli();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("BROKEN at record 13: record 13 is missing: the trail ends at record 12, but the checkpoint of");
    expect(await verifyAuditChainIncremental()).toMatchObject({ ok: false });
    await restore(snapshot);
  });

  it("verifies incrementally: only the records after the last verified one, plus that one", async () => {
    const full = await verifyAuditChain();
    expect(full).toMatchObject({ ok: true, records: 15, rowsRead: 15 });
    expect(await verifyAuditChainIncremental()).toMatchObject({ ok: true, records: 0, rowsRead: 1, head: { seq: 15 } });
    await append(5); // 16 … 20
    expect(await verifyAuditChainIncremental()).toMatchObject({ ok: true, records: 5, rowsRead: 6, head: { seq: 20 } });
    expect(await verifyAuditChainIncremental()).toMatchObject({ ok: true, records: 0, rowsRead: 1 });

    // A new record changed before the page saw it is caught by the page.
    const snapshot = await rows();
    await append(2); // 21, 22
    await db().consoleAuditEvent.update({ where: { seq: 21 }, data: { action: "forged" } });
    expect(await verifyAuditChainIncremental()).toMatchObject({ ok: false, brokenAt: 21, reason: "record 21 was altered" });
    await db().consoleAuditEvent.deleteMany({ where: { seq: { gt: 20 } } });
    await restore(snapshot);

    // An older record is left to the full verification; its finding then stays on the page.
    await db().consoleAuditEvent.update({ where: { seq: 5 }, data: { actorLogin: "someone-else" } });
    expect(await verifyAuditChainIncremental()).toMatchObject({ ok: true, rowsRead: 1 });
    expect((await auditVerify()).code).toBe(1);
    expect(await verifyAuditChainIncremental()).toMatchObject({ ok: false, brokenAt: 5, rowsRead: 0 });
    await restore(snapshot);
    expect(await verifyAuditChainIncremental()).toMatchObject({ ok: true, rowsRead: 1 });

    // A forged verification state (moved past a change) is not trusted: back to a full walk.
    await db().auditTrailVerification.update({ where: { id: 1 }, data: { seq: 20 - 1 } });
    expect(await verifyAuditChainIncremental()).toMatchObject({ ok: true, rowsRead: 20 });
  });

  it("detects a record signed with a key that is not in the ring", async () => {
    const snapshot = await rows();
    process.env.AUDIT_TRAIL_KEY = "6f746865722d6b65792d6f662d616e2d61747461636b65722d6f722d6f6c64212121";
    process.env.AUDIT_TRAIL_CHECKPOINT_RECORDS = "100000"; // no checkpoint of the foreign record
    vi.resetModules();
    const other = await import("../../lib/audit/trail");
    const { config } = await import("../../lib/config");
    expect(config().AUDIT_TRAIL_KEY).not.toBe(KEY);
    await other.recordAudit({ action: "signed_elsewhere" });
    await other.checkpointsSettled();
    process.env.AUDIT_TRAIL_KEY = KEY;
    process.env.AUDIT_TRAIL_CHECKPOINT_RECORDS = "5";
    const r = verifyCli();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("BROKEN at record 21: record 21 is signed with an unknown key");
    await db().consoleAuditEvent.deleteMany({ where: { seq: { gt: 20 } } });
    await restore(snapshot);
  });
});

describe("audit trail page listing", () => {
  it("shows only the viewer's scope, anonymous records only to admins of the top organisation, actors by login", async () => {
    const orgs = [
      { id: "000001", name: "全国センター", kind: "national", parentId: null },
      { id: "350001", name: "山口県", kind: "prefecture", parentId: "000001" },
      { id: "352012", name: "下関市", kind: "municipality", parentId: "350001" },
      { id: "352039", name: "山口市", kind: "municipality", parentId: "350001" },
    ];
    for (const o of orgs) await db().organization.create({ data: o });
    const user = (loginId: string, role: string, organizationId: string) =>
      db().user.create({ data: { loginId, name: loginId, role, organizationId, passwordHash: "x" } });
    const shimoAdmin = await user("t-shimo-admin", "admin", "352012");
    const shimo = await user("t-shimo", "municipal_officer", "352012");
    const yama = await user("t-yama", "municipal_officer", "352039");
    const prefMonitor = await user("t-pref-monitor", "monitor", "350001");
    const prefAdmin = await user("t-pref-admin", "admin", "350001");
    const topAdmin = await user("t-top-admin", "admin", "000001");
    const topMonitor = await user("t-top-monitor", "monitor", "000001");
    const token = await db().apiToken.create({
      data: { id: "tok-yama", name: "yamaguchi-siem", hash: "h-tok-yama", role: "monitor", organizationId: "352039" },
    });

    await recordAudit({ actorId: shimo.id, actorLogin: shimo.loginId, action: "list_a", organizationId: "352012" });
    await recordAudit({ actorId: yama.id, actorLogin: yama.loginId, action: "list_b", organizationId: "352039" });
    await recordAudit({ actorId: shimo.id, action: "list_c" }); // no organisation, no login given: both from the user
    await recordAudit({ actorLogin: "nobody", action: "list_d", details: { reason: "unknown_user" } });
    await recordAudit({ actorId: token.id, action: "list_e" }); // an API token of 山口市
    await checkpointsSettled();

    const seen = async (u: { id: string; role: string; organizationId: string }) => {
      const scope = await scopeOf({ kind: "user", id: u.id, login: String(u.id), role: u.role as Role, organizationId: u.organizationId });
      const list = await listAuditTrail(scope, { unowned: await seesUnownedAuditRecords(u) });
      return list.filter((r) => r.action.startsWith("list_"));
    };
    const actions = async (u: { id: string; role: string; organizationId: string }) => (await seen(u)).map((r) => r.action).sort();

    expect(await actions(shimoAdmin)).toEqual(["list_a", "list_c"]);
    expect(await actions(prefMonitor)).toEqual(["list_a", "list_b", "list_c", "list_e"]);
    expect(await actions(prefAdmin)).toEqual(["list_a", "list_b", "list_c", "list_e"]);
    expect(await actions(topMonitor)).toEqual(["list_a", "list_b", "list_c", "list_e"]);
    expect(await actions(topAdmin)).toEqual(["list_a", "list_b", "list_c", "list_d", "list_e"]);

    const byAction = new Map((await seen(topAdmin)).map((r) => [r.action, r.actor]));
    expect(byAction.get("list_c")).toBe("t-shimo");
    expect(byAction.get("list_d")).toBe("nobody");
    expect(byAction.get("list_e")).toBe("API: yamaguchi-siem");
    expect(await verifyAuditChain()).toMatchObject({ ok: true });
  });
});

describe("audit trail key rotation (last: it changes the key for the rest of the file)", () => {
  it("rotates to a new key in the key file, keeps verifying old records, and refuses the old key afterwards", async () => {
    const keyFile = path.join(VAR_DIR, "test", `trail-${TEST_ES.port}.key`);
    fs.writeFileSync(keyFile, KEY + "\n");
    delete process.env.AUDIT_TRAIL_KEY;
    process.env.AUDIT_TRAIL_KEY_FILE = keyFile;
    vi.resetModules();
    const rotated = await (await import("../../scripts/audit-verify")).auditVerify(["--rotate-key"]);
    expect(rotated.code).toBe(0);
    const lines = fs.readFileSync(keyFile, "utf8").trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(KEY);
    const last = (await rows()).at(-1)!;
    expect(last.action).toBe("trail_key_rotated");
    const { keyIdOf } = await import("../../lib/audit/keys");
    expect(last.keyId).toBe(keyIdOf(Buffer.from(lines[1], "hex")));
    expect(JSON.parse(last.details!)).toEqual({ from: keyIdOf(Buffer.from(KEY, "hex")), to: last.keyId });
    const head = last.seq;
    expect(verifyCli().status).toBe(0);

    // A process still signing with the old key after the rotation is a break.
    process.env.AUDIT_TRAIL_KEY = KEY;
    process.env.AUDIT_TRAIL_CHECKPOINT_RECORDS = "100000";
    vi.resetModules();
    await (await import("../../lib/audit/trail")).recordAudit({ action: "stale_key" });
    delete process.env.AUDIT_TRAIL_KEY;
    const r = verifyCli();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`BROKEN at record ${head + 1}: record ${head + 1} is signed with a retired key`);
    fs.rmSync(keyFile, { force: true });
  });
});

/**
 * Two real detection workers (scripts/detect-worker.ts processes) against the same
 * database: only the leaseholder runs passes, no rule runs twice over the same
 * window, and when the leaseholder is killed (SIGKILL, no clean-up) the other
 * takes the lease over within a minute and carries on from the checkpoints.
 * Own database and index prefix, so the workers' passes touch no other test's data.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../lib/db";
import { REPO_ROOT } from "../../lib/paths";
import { freshTestDatabase, TEST_DATABASE } from "../support/database";
import { TEST_ES } from "./global-setup";

const LEASE_SECONDS = 6;
let url: string;
const workers: ChildProcess[] = [];

interface Worker {
  proc: ChildProcess;
  lines: string[];
  holder?: string;
}

function startWorker(): Worker {
  // `node --import tsx`, not tsx's CLI: one process, so SIGKILL kills the worker itself.
  const proc = spawn(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "scripts", "detect-worker.ts"), "--interval", "2"], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: url, ES_INDEX_PREFIX: "leasetest", DETECT_LEASE_SECONDS: String(LEASE_SECONDS) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  workers.push(proc);
  const w: Worker = { proc, lines: [] };
  all.push(w);
  let buf = "";
  proc.stderr!.on("data", (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split("\n");
    buf = parts.pop()!;
    for (const l of parts) {
      w.lines.push(l);
      const m = /\[detect\] (\S+) holds the lease/.exec(l);
      if (m) w.holder = m[1];
    }
  });
  return w;
}

const passes = (w: Worker) => w.lines.filter((l) => / \d+ rules, \d+ new alerts/.test(l)).length;

const all: Worker[] = [];
async function until(what: string, cond: () => boolean, timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs)
      throw new Error(`timed out waiting for ${what}; workers said:\n${all.map((w, i) => `#${i + 1}:\n${w.lines.slice(-8).join("\n")}`).join("\n")}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return Date.now() - t0;
}

beforeAll(async () => {
  url = await freshTestDatabase(`lease-${TEST_ES.port}`);
});

afterAll(() => {
  for (const p of workers) if (p.exitCode === null) p.kill("SIGKILL");
});

describe.skipIf(TEST_DATABASE !== "postgresql")("detection worker lease (in the PostgreSQL pass of the suite)", () => {
  it("lets one of two workers run the passes, and the other take over within a minute when it is killed", async () => {
    const a = startWorker();
    await until("worker A's first pass", () => passes(a) >= 1, 90_000);
    expect(a.holder).toBeDefined();

    const b = startWorker();
    await until("worker B to start", () => b.lines.length > 0 || passes(a) >= 4, 60_000);
    const aBefore = passes(a);
    await until("three more passes of A", () => passes(a) >= aBefore + 3, 60_000);
    expect(b.holder).toBeUndefined();
    expect(passes(b)).toBe(0);

    a.proc.kill("SIGKILL");
    const tookOverMs = await until("worker B to take the lease over", () => b.holder !== undefined, 60_000);
    expect(tookOverMs).toBeLessThan(60_000);
    expect(b.holder).not.toBe(a.holder);
    await until("worker B's first pass", () => passes(b) >= 1, 60_000);

    // Windows: every scheduled run of a rule covers a window no other run covered, in order.
    const client = openDatabase(url);
    try {
      const runs = await client.detectorRun.findMany({ where: { trigger: "schedule" }, orderBy: { id: "asc" } });
      expect(runs.length).toBeGreaterThan(0);
      const keys = runs.map((r) => `${r.ruleId} ${r.from.toISOString()} ${r.to.toISOString()}`);
      expect(new Set(keys).size).toBe(keys.length);
      const byRule = new Map<string, number[]>();
      for (const r of runs) byRule.set(r.ruleId, [...(byRule.get(r.ruleId) ?? []), r.to.getTime()]);
      for (const [rule, tos] of byRule) expect(tos, rule).toEqual([...tos].sort((x, y) => x - y));
      const lease = await client.workerLease.findUniqueOrThrow({ where: { name: "detection-scheduler" } });
      expect(lease.holder).toBe(b.holder);
    } finally {
      await client.$disconnect();
    }

    // A clean stop gives the lease back at once.
    b.proc.kill("SIGTERM");
    await until("worker B to exit", () => b.proc.exitCode !== null, 20_000);
    const after = openDatabase(url);
    try {
      expect(await after.workerLease.count()).toBe(0);
    } finally {
      await after.$disconnect();
    }
  });
});

/**
 * npm test — the whole suite, as CI runs it: type check, unit and integration
 * tests (vitest, real Elasticsearch and SQLite started by the tests), then the
 * Playwright specs in Debian's Chromium (installed here when missing). Ends
 * with one line "N passed, M failed".
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../lib/paths";

const bin = (name: string) => path.join(REPO_ROOT, "node_modules", ".bin", name);
const results = path.join(REPO_ROOT, "test-results");
fs.mkdirSync(results, { recursive: true });
const section = (s: string) => process.stdout.write(`\n===== ${s} =====\n`);

function run(cmd: string, args: string[], env: Record<string, string> = {}): number {
  const r = spawnSync(cmd, args, { cwd: REPO_ROOT, stdio: "inherit", env: { ...process.env, ...env } });
  return r.status ?? 1;
}

function ensureChromium(): void {
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (fs.existsSync(chromium)) return;
  if (process.getuid?.() !== 0) throw new Error(`${chromium} is missing: install Debian's chromium and fonts-noto-cjk (apt-get install chromium fonts-noto-cjk) or set CHROMIUM_PATH`);
  section("installing Debian's Chromium and Japanese fonts (apt-get)");
  if (run("apt-get", ["update", "-qq"]) !== 0 || run("apt-get", ["install", "-y", "-qq", "chromium", "fonts-noto-cjk"], { DEBIAN_FRONTEND: "noninteractive" }) !== 0) {
    throw new Error("apt-get install chromium fonts-noto-cjk failed");
  }
}

let passed = 0;
let failed = 0;
const only = process.argv[2];

if (!only || only === "types") {
  section("type check (tsc)");
  if (run(bin("tsc"), ["--noEmit", "-p", "."]) !== 0) failed++;
}

if (!only || only === "vitest") {
  section("unit and integration tests (vitest)");
  const out = path.join(results, "vitest.json");
  fs.rmSync(out, { force: true });
  const status = run(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`]);
  if (fs.existsSync(out)) {
    const r = JSON.parse(fs.readFileSync(out, "utf8"));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
  }
  if (status !== 0 && !failed) failed++;
}

if (!only || only === "e2e") {
  section("end-to-end tests (Playwright, Debian Chromium)");
  ensureChromium();
  const out = path.join(results, "e2e", "results.json");
  fs.rmSync(out, { force: true });
  const status = run(bin("playwright"), ["test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: out });
  if (fs.existsSync(out)) {
    const r = JSON.parse(fs.readFileSync(out, "utf8"));
    passed += r.stats.expected;
    failed += r.stats.unexpected;
  }
  if (status !== 0 && !failed) failed++;
}

process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed ? 1 : 0);

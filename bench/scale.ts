/**
 * Cost as the work grows (issue 16 item 5): the demo prefecture over 30 days at several sizes, on one node
 * and on the secured three-node cluster (replicas 1), each dataset ingested through the real pipeline
 * (bench/dataset.ts, cached under var/bench/ like bench:detect's). Per size and topology: ingest events/s,
 * a full 30-day detection run, one scheduler pass (the worker's 5-minute window with its look-back) per
 * rule and for all rules, and the p95 of GET /api/dashboard and GET /api/alerts through `next start` as
 * bench:console measures them; then the ratio of the largest to the smallest size for every figure,
 * against linear growth (the ratio of the events).
 *
 *   npm run bench:scale -- [--sizes 1M,3M,10M] [--topologies one,cluster] [--requests 60] [--reuse] [--no-build]
 *
 * A size is a number of events (1M, 300k, 2.5M; the generator's scale is (events − 47,000) / 282,000, from its
 * 329,659 events at scale 1 and 3,106,487 at scale 11) or a scale (s11). Each size and topology runs in a process of its own (the configuration is read once per process).
 * BENCH_ES_PORT (one node, default 9261), BENCH_CLUSTER_PORT (cluster, default 9600), BENCH_CONSOLE_PORT
 * (default 3210) and ES_HEAP (default 2g one node, 1g per cluster node) as in the other benchmarks.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { REPO_ROOT } from "../lib/paths";
import { log, prepareDataset } from "./dataset";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
/** Events of the demo generator over 30 days ≈ EVENTS_PER_SCALE × scale + EVENTS_FIXED (scale 1: 329,659; scale 11: 3,106,487). */
const EVENTS_PER_SCALE = 282_000;
const EVENTS_FIXED = 47_000;
const CONSOLE_PORT = Number(process.env.BENCH_CONSOLE_PORT ?? 3210);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const nextBin = path.join(REPO_ROOT, "node_modules", "next", "dist", "bin", "next");

type Topology = "one" | "cluster";

/** What one size on one topology measured. */
interface Figures {
  scale: number;
  topology: Topology;
  events: number;
  ingestSeconds: number;
  ingestPerSecond: number;
  cachedIngest: boolean;
  /** Bringing the six-hour tallies of the dataset up to date (all of them on a fresh dataset). */
  talliesSeconds: number;
  fullRunSeconds: number;
  fullRunAlerts: number;
  passMs: Record<string, number>;
  passAllMs: number;
  /** The first dashboard request: it brings the six-hour tallies of the 30 days up to date (domain/events/tallies.ts). */
  dashboardFirstMs: number;
  dashboardP95: number;
  dashboardP50: number;
  alertsP95: number;
  alertsP50: number;
}

/** "1M" → scale 3.4, "300k" → 0.9, "10M" → 35.3, "s11" → 11. */
function scaleOf(size: string): number {
  const s = size.trim().toLowerCase();
  if (s.startsWith("s")) return Number(s.slice(1));
  const m = /^([\d.]+)\s*([km]?)$/.exec(s);
  if (!m) throw new Error(`--sizes: "${size}" is neither a number of events (1M, 300k) nor a scale (s11)`);
  const events = Number(m[1]) * (m[2] === "m" ? 1e6 : m[2] === "k" ? 1e3 : 1);
  return Math.max(0.1, Math.round(((events - EVENTS_FIXED) / EVENTS_PER_SCALE) * 10) / 10);
}

async function waitFor(url: string, ms: number): Promise<void> {
  const t0 = Date.now();
  while (
    !(await fetch(url).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (Date.now() - t0 > ms) throw new Error(`${url} did not answer within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** One size on one topology, in this process; prints its figures as one JSON line. */
async function worker(scale: number, topology: Topology): Promise<void> {
  const ds = await prepareDataset({ scale, days: 30, reuse: process.argv.includes("--reuse"), ...(topology === "cluster" ? { cluster: {} } : {}) });
  try {
    const { runDetectors } = await import("../detectors/engine");
    const { systemScope } = await import("../lib/auth/scope");
    const { scopedCount } = await import("../lib/es/scoped");
    const { es } = await import("../lib/es/client");
    const events = await scopedCount(systemScope("bench"), "events");
    const from = new Date(ds.labels.from);
    const to = new Date(Date.parse(ds.labels.to) + 1);
    // The six-hour tallies of the dataset and the baseline period before it, as the detection worker keeps them
    // (domain/events/tallies.ts): built once here, measured on its own, then current for the runs below.
    const { currentTallies, tallyBucketStart } = await import("../domain/events/tallies");
    const tt = performance.now();
    await currentTallies({ from: tallyBucketStart(from.getTime() - 60 * 86_400_000), to: tallyBucketStart(to.getTime()) });
    const talliesSeconds = (performance.now() - tt) / 1000;
    log(`${topology}, scale ${scale}: tallies up to date in ${talliesSeconds.toFixed(1)} s`);
    await es().indices.clearCache({ request: true, query: true, fielddata: true });
    log(`${topology}, scale ${scale}: ${events.toLocaleString()} events; full 30-day detection run …`);
    const t0 = performance.now();
    const full = await runDetectors({ from, to }, { now: to, trigger: "cli" });
    const fullRunSeconds = (performance.now() - t0) / 1000;
    const failed = full.rules.filter((r) => r.error);
    if (failed.length) throw new Error(`rules failed: ${failed.map((r) => `${r.id}: ${r.error}`).join("; ")}`);

    // One scheduler pass, as bench:detect: the worker's window after a checkpoint five minutes earlier, 15:00 JST on the last business day.
    const { DEFAULT_SCHEDULER_OPTIONS, nextWindow } = await import("../detectors/scheduler");
    const { isBusinessDay } = await import("../lib/calendar");
    const { dayKey, shiftDay } = await import("../detectors/days");
    let day = dayKey(Date.parse(ds.labels.to));
    while (!isBusinessDay(day)) day = shiftDay(day, -1);
    const now = new Date(`${day}T15:00:00+09:00`);
    const w = nextWindow(new Date(now.getTime() - 5 * 60_000), now, DEFAULT_SCHEDULER_OPTIONS);
    const passMs: Record<string, number> = {};
    for (const r of full.rules) {
      const t = performance.now();
      const pass = await runDetectors({ from: w.from, to: w.to }, { now, trigger: "schedule", rules: [r.id] });
      passMs[r.id] = Math.round(performance.now() - t);
      if (pass.rules[0].error) throw new Error(`${r.id} (scheduler pass): ${pass.rules[0].error}`);
    }
    const passAllMs = Object.values(passMs).reduce((a, b) => a + b, 0);

    // The console's two busiest reads through `next start`, as bench:console measures them.
    const { issueApiToken } = await import("../lib/auth/api-tokens");
    const { token } = await issueApiToken({ name: "bench", role: "monitor", organizationId: "350001" });
    const env = {
      ...process.env,
      NEXTAUTH_SECRET: "bench-only-session-key-not-for-any-real-console",
      NEXTAUTH_URL: `http://localhost:${CONSOLE_PORT}`,
      NEXT_TELEMETRY_DISABLED: "1",
    };
    const server = spawn(process.execPath, [nextBin, "start", "-p", String(CONSOLE_PORT)], { cwd: REPO_ROOT, env, stdio: "ignore" });
    let dashboard: number[];
    let alertsList: number[];
    let dashboardFirstMs = NaN;
    try {
      await waitFor(`http://localhost:${CONSOLE_PORT}/api/health`, 120_000);
      const n = Number(arg("requests", "60"));
      const q = (i: number) => `from=${encodeURIComponent(ds.labels.from)}&to=${encodeURIComponent(new Date(to.getTime() - i * 1000).toISOString())}`;
      // Each request ends a second earlier than the previous one, so Elasticsearch's request cache cannot answer it.
      const time = async (url: (i: number) => string, first?: (ms: number) => void) => {
        const out: number[] = [];
        for (let i = 0; i < n + 3; i++) {
          const t = performance.now();
          const res = await fetch(url(i), { headers: { authorization: `Bearer ${token}` } });
          await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`${url(i)}: HTTP ${res.status}`);
          if (i === 0) first?.(performance.now() - t);
          if (i >= 3) out.push(performance.now() - t);
        }
        return out;
      };
      dashboard = await time(
        (i) => `http://localhost:${CONSOLE_PORT}/api/dashboard?${q(i)}`,
        (ms) => (dashboardFirstMs = ms),
      );
      alertsList = await time((i) => `http://localhost:${CONSOLE_PORT}/api/alerts?${q(i)}&size=100`);
    } finally {
      server.kill("SIGTERM");
    }
    const figures: Figures = {
      scale,
      topology,
      events,
      ingestSeconds: ds.ingestSeconds,
      ingestPerSecond: ds.events / ds.ingestSeconds,
      cachedIngest: process.argv.includes("--reuse"),
      talliesSeconds,
      fullRunSeconds,
      fullRunAlerts: full.alerts,
      passMs,
      passAllMs,
      dashboardFirstMs,
      dashboardP95: pct(dashboard, 95),
      dashboardP50: pct(dashboard, 50),
      alertsP95: pct(alertsList, 95),
      alertsP50: pct(alertsList, 50),
    };
    // On a line of its own: the generator may have left a line unterminated on stdout.
    process.stdout.write(`\n@@figures ${JSON.stringify(figures)}\n`);
  } finally {
    await ds.stop();
  }
}

const fmt = (x: number, digits = 0) => x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const millions = (n: number) => `${(n / 1e6).toFixed(2)} M`;

function report(all: Figures[]): void {
  const topologies: Record<Topology, string> = { one: "one node (1 shard, 0 replicas)", cluster: "3 nodes, TLS (3 shards, replicas 1)" };
  console.log(`\nScale benchmark: the demo prefecture over 30 days (${new Date().toISOString().slice(0, 16)} UTC)`);
  console.log(
    "| events | topology | ingest events/s | tallies s | full 30-day run s (alerts) | scheduler pass, all rules ms | dashboard first ms (tallies built) | dashboard p50 / p95 ms | alerts p50 / p95 ms |",
  );
  console.log("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const f of all)
    console.log(
      `| ${millions(f.events)} | ${topologies[f.topology]} | ${fmt(f.ingestPerSecond)}${f.cachedIngest ? " (cached)" : ""} | ${fmt(f.talliesSeconds ?? NaN, 1)} | ${fmt(f.fullRunSeconds, 1)} (${f.fullRunAlerts}) | ${fmt(f.passAllMs)} | ${fmt(f.dashboardFirstMs ?? NaN)} | ${fmt(f.dashboardP50)} / ${fmt(f.dashboardP95)} | ${fmt(f.alertsP50)} / ${fmt(f.alertsP95)} |`,
    );

  const rules = Object.keys(all[0]?.passMs ?? {}).sort();
  console.log("\nOne scheduler pass per rule (ms)");
  console.log(`| rule | ${all.map((f) => `${millions(f.events)} ${f.topology}`).join(" | ")} |`);
  console.log(`| --- | ${all.map(() => "---:").join(" | ")} |`);
  for (const r of rules) console.log(`| ${r} | ${all.map((f) => fmt(f.passMs[r] ?? NaN)).join(" | ")} |`);

  for (const topology of ["one", "cluster"] as const) {
    const runs = all.filter((f) => f.topology === topology).sort((a, b) => a.events - b.events);
    if (runs.length < 2) continue;
    const [small, big] = [runs[0], runs[runs.length - 1]];
    const linear = big.events / small.events;
    const row = (name: string, a: number, b: number) => {
      const r = b / a;
      console.log(`| ${name} | ${fmt(a, 1)} | ${fmt(b, 1)} | ${r.toFixed(2)} | ${r <= linear ? "no worse than linear" : "WORSE than linear"} |`);
    };
    console.log(`\nGrowth on ${topologies[topology]}: ${millions(big.events)} / ${millions(small.events)} = ${linear.toFixed(2)} × the events (linear)`);
    console.log(`| figure | ${millions(small.events)} | ${millions(big.events)} | ratio | against linear (${linear.toFixed(2)}) |`);
    console.log("| --- | ---: | ---: | ---: | --- |");
    row("ingest time s", small.ingestSeconds, big.ingestSeconds);
    row("full 30-day run s", small.fullRunSeconds, big.fullRunSeconds);
    row("scheduler pass, all rules ms", small.passAllMs, big.passAllMs);
    for (const r of rules) row(`scheduler pass, ${r} ms`, Math.max(1, small.passMs[r]), Math.max(1, big.passMs[r]));
    row("dashboard p95 ms", small.dashboardP95, big.dashboardP95);
    row("alerts p95 ms", small.alertsP95, big.alertsP95);
  }

  console.log("\nTargets (at 10 M events):");
  for (const f of all.filter((x) => x.events >= 9.5e6))
    console.log(
      `- ${topologies[f.topology]}: scheduler pass of all rules ${fmt(f.passAllMs)} ms (target < 10,000: ${f.passAllMs < 10_000 ? "met" : "NOT met"}); dashboard p95 ${fmt(f.dashboardP95)} ms (target < 300: ${f.dashboardP95 < 300 ? "met" : "NOT met"})`,
    );
  if (!all.some((x) => x.events >= 9.5e6)) console.log("- no size of 10 M events in this run (`--sizes 1M,3M,10M`)");
}

async function main(): Promise<void> {
  if (process.argv.includes("--worker")) {
    await worker(Number(arg("scale", "1")), arg("topology", "one") as Topology);
    process.exit(0);
  }
  const sizes = arg("sizes", "1M,3M,10M").split(",").map(scaleOf);
  const topologies = arg("topologies", "one,cluster").split(",") as Topology[];
  for (const t of topologies) if (t !== "one" && t !== "cluster") throw new Error(`--topologies: unknown "${t}" (one, cluster)`);
  if (!process.argv.includes("--no-build") || !fs.existsSync(path.join(REPO_ROOT, ".next", "BUILD_ID"))) {
    log("building the console (next build) …");
    const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
    if (spawnSync(process.execPath, [nextBin, "build"], { cwd: REPO_ROOT, env, stdio: ["ignore", "ignore", "inherit"] }).status !== 0)
      throw new Error("next build failed");
  }
  const passOn = ["--reuse", "--keep-es"].filter((f) => process.argv.includes(f));
  const all: Figures[] = [];
  for (const scale of sizes)
    for (const topology of topologies) {
      log(`— scale ${scale} (≈ ${fmt(scale * EVENTS_PER_SCALE + EVENTS_FIXED)} events) on ${topology} —`);
      const r = spawnSync(
        process.execPath,
        [
          "--import",
          "tsx",
          path.join(REPO_ROOT, "bench", "scale.ts"),
          "--worker",
          "--scale",
          String(scale),
          "--topology",
          topology,
          "--requests",
          arg("requests", "60"),
          ...passOn,
        ],
        { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8", maxBuffer: 64 << 20 },
      );
      const line = /^@@figures (.*)$/m.exec(r.stdout);
      if (r.status !== 0 || !line)
        throw new Error(`scale ${scale} on ${topology} failed (exit ${r.status}; stdout ends ${JSON.stringify(r.stdout.slice(-300))})`);
      all.push(JSON.parse(line[1]) as Figures);
      report(all);
    }
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

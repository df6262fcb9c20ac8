/**
 * Console API latency with the detector benchmark's dataset (≥ 3 million
 * events, alerts from every rule): p50/p95 of GET /api/dashboard and
 * GET /api/alerts through `next start`, as a monitor of the prefecture.
 * The baseline is the same Elasticsearch aggregation issued directly.
 *
 *   npx tsx bench/console.ts [--requests 60]   (run bench/detect first, or pass --scale to build the dataset)
 */
import { spawn, spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import path from "node:path";
import { REPO_ROOT } from "../lib/paths";
import { log, prepareDataset } from "./dataset";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const PORT = 3200;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function main() {
  const ds = await prepareDataset({ scale: Number(arg("scale", "11")), days: 30, reuse: true });
  const { es } = await import("../lib/es/client");
  const { aliasName } = await import("../lib/es/indices");
  const { issueApiToken } = await import("../lib/auth/api-tokens");
  const { searchAlerts } = await import("../domain/alerts");
  const { systemScope } = await import("../lib/auth/scope");
  const { scopedCount } = await import("../lib/es/scoped");
  const bench = systemScope("bench");
  const count = await scopedCount(bench, "events");
  if ((await searchAlerts({}, bench)).total === 0) {
    const { runDetectors } = await import("../detectors/engine");
    await runDetectors({ from: new Date(ds.labels.from), to: new Date(Date.parse(ds.labels.to) + 1) }, { now: new Date(Date.parse(ds.labels.to) + 1) });
  }
  const { token } = await issueApiToken({ name: "bench", role: "monitor", organizationId: "350001" });
  log("building and starting the console …");
  const nextBin = path.join(REPO_ROOT, "node_modules", "next", "dist", "bin", "next");
  const env = { ...process.env, NEXTAUTH_SECRET: "bench-secret", NEXTAUTH_URL: `http://localhost:${PORT}`, NEXT_TELEMETRY_DISABLED: "1" };
  if (spawnSync(process.execPath, [nextBin, "build"], { cwd: REPO_ROOT, env, stdio: ["ignore", "ignore", "inherit"] }).status !== 0)
    throw new Error("next build failed");
  const server = spawn(process.execPath, [nextBin, "start", "-p", String(PORT)], { cwd: REPO_ROOT, env, stdio: "ignore" });
  try {
    for (
      let i = 0;
      !(await fetch(`http://localhost:${PORT}/api/health`).then(
        (r) => r.ok,
        () => false,
      ));
      i++
    ) {
      if (i > 100) throw new Error("console did not start");
      await new Promise((r) => setTimeout(r, 300));
    }
    const from = ds.labels.from;
    const to = new Date(Date.parse(ds.labels.to) + 1).toISOString();
    const q = (i: number) => `from=${encodeURIComponent(from)}&to=${encodeURIComponent(new Date(Date.parse(to) - i * 1000).toISOString())}`;
    const n = Number(arg("requests", "60"));
    // Each request ends a second earlier than the previous one, so Elasticsearch's request cache cannot answer it.
    const time = async (url: (i: number) => string) => {
      const out: number[] = [];
      for (let i = 0; i < n + 3; i++) {
        const t0 = performance.now();
        const res = await fetch(url(i), { headers: { authorization: `Bearer ${token}` } });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${url(i)}: HTTP ${res.status}`);
        if (i >= 3) out.push(performance.now() - t0); // 3 warm-up requests
      }
      return out;
    };
    const dashboard = await time((i) => `http://localhost:${PORT}/api/dashboard?${q(i)}`);
    const alertsList = await time((i) => `http://localhost:${PORT}/api/alerts?${q(i)}&size=100`);
    // Baseline: the dashboard's main aggregation sent straight to Elasticsearch. It measures Elasticsearch
    // itself, so it stays a raw read of the alias on purpose (not the console's code path, no scope helper).
    const direct: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await es().search({
        index: aliasName("events"),
        size: 0,
        query: { range: { "@timestamp": { gte: from, lt: new Date(Date.parse(to) - i * 1000).toISOString() } } },
        aggs: {
          t: { date_histogram: { field: "@timestamp", fixed_interval: "1d" }, aggs: { a: { terms: { field: "event.action" } } } },
          o: { terms: { field: "organization.id", size: 100 } },
        },
      });
      direct.push(performance.now() - t0);
    }
    console.log(`\nConsole API latency: ${count.toLocaleString()} events, 30 days, monitor of 350001 (all 19 市町), ${n} requests each after 3 warm-ups`);
    console.log("| request | p50 ms | p95 ms | max ms |");
    console.log("| --- | ---: | ---: | ---: |");
    for (const [name, xs] of [
      ["GET /api/dashboard (30 days)", dashboard],
      ["GET /api/alerts (30 days, 100 rows)", alertsList],
      ["baseline: one ES aggregation, direct", direct],
    ] as const) {
      console.log(`| ${name} | ${pct(xs, 50).toFixed(0)} | ${pct(xs, 95).toFixed(0)} | ${Math.max(...xs).toFixed(0)} |`);
    }
    const ok = pct(dashboard, 95) < 500 && pct(alertsList, 95) < 500;
    console.log(`\nTarget p95 < 500 ms: ${ok ? "met" : "NOT met"}`);
  } finally {
    server.kill("SIGTERM");
    await ds.stop();
  }
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

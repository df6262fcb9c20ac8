/**
 * Detector speed: every rule over 30 days × 19 municipalities with at least
 * 3 million events (the demo prefecture at scale 11), timed per rule; then one
 * scheduler pass per rule (the worker's next window after a checkpoint five
 * minutes ago, with its overlap, at 15:00 JST on the last business day).
 *
 *   npx tsx bench/detect.ts [--scale 11] [--days 30] [--reuse] [--keep-es] [--rule <id>]...
 */
import { performance } from "node:perf_hooks";
import { log, prepareDataset } from "./dataset";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};

async function main() {
  const scale = Number(arg("scale", "11"));
  const ds = await prepareDataset({ scale, days: Number(arg("days", "30")), reuse: process.argv.includes("--reuse") });
  const { runDetectors } = await import("../detectors/engine");
  const { systemScope } = await import("../lib/auth/scope");
  const { scopedCount } = await import("../lib/es/scoped");
  const count = await scopedCount(systemScope("bench"), "events");
  const from = new Date(ds.labels.from);
  const to = new Date(Date.parse(ds.labels.to) + 1);
  // No answer from an earlier run's request cache (bench:detect-quality asks the same questions).
  const { es } = await import("../lib/es/client");
  await es().indices.clearCache({ request: true, query: true, fielddata: true });
  // Baseline, same run: one plain pass over every day (events per operator), the least any rule reading a day must do.
  const { scopedSearch } = await import("../lib/es/scoped");
  const b0 = performance.now();
  for (let t = from.getTime(); t < to.getTime(); t += 86_400_000) {
    await scopedSearch(systemScope("bench"), "events", {
      size: 0,
      request_cache: false,
      query: { range: { "@timestamp": { gte: new Date(t).toISOString(), lt: new Date(Math.min(t + 86_400_000, to.getTime())).toISOString() } } },
      aggs: { operators: { terms: { field: "user.id", size: 10_000 } } },
    });
  }
  const baseline = (performance.now() - b0) / 1000;
  log(`${count.toLocaleString()} events indexed; running every rule over 30 days …`);
  const t0 = performance.now();
  const only = process.argv.flatMap((a, i) => (a === "--rule" ? [process.argv[i + 1]] : []));
  const summary = await runDetectors({ from, to }, { now: to, trigger: "cli", rules: only.length ? only : undefined });
  const total = (performance.now() - t0) / 1000;
  console.log(
    `\nDetector benchmark: ${count.toLocaleString()} events, ${ds.labels.from.slice(0, 10)} … ${ds.labels.to.slice(0, 10)}, 19 municipalities + prefecture + national centre`,
  );
  console.log("| rule | ms | alerts |");
  console.log("| --- | ---: | ---: |");
  for (const r of [...summary.rules].sort((a, b) => b.ms - a.ms))
    console.log(`| ${r.id} | ${r.ms.toLocaleString()} | ${r.alerts}${r.error ? ` (error: ${r.error})` : ""} |`);
  console.log(`| **all rules** | **${Math.round(total * 1000).toLocaleString()}** | ${summary.alerts} |`);
  console.log(
    `\nBaseline (same run): one plain aggregation per day over the 30 days, ${baseline.toFixed(1)} s; all rules ${total.toFixed(1)} s = ${(total / baseline).toFixed(1)} × the baseline.`,
  );
  console.log(
    `${scale === 11 ? `Target at scale 11: under 30 s in total → ${total < 30 ? "met" : "NOT met"} (${total.toFixed(1)} s)` : `All rules in ${total.toFixed(1)} s at scale ${scale} (the 30-s target is for scale 11; compare the two runs for linear growth)`}. Ingest of the dataset took ${ds.ingestSeconds.toFixed(0)} s.`,
  );
  const capped = summary.rules.filter((r) => r.dropped > 0);
  console.log(`Rules at the per-run cap: ${capped.length ? capped.map((r) => `${r.id} (${r.dropped} dropped)`).join(", ") : "none"}.`);

  // One scheduler pass per rule: what the worker does every five minutes.
  const { DEFAULT_SCHEDULER_OPTIONS, nextWindow } = await import("../detectors/scheduler");
  const { isBusinessDay } = await import("../lib/calendar");
  const { dayKey, shiftDay } = await import("../detectors/days");
  let day = dayKey(Date.parse(ds.labels.to));
  while (!isBusinessDay(day)) day = shiftDay(day, -1);
  const now = new Date(`${day}T15:00:00+09:00`);
  const w = nextWindow(new Date(now.getTime() - 5 * 60_000), now, DEFAULT_SCHEDULER_OPTIONS);
  console.log(`\nOne scheduler pass per rule (window ${w.from.toISOString()} … ${w.to.toISOString()}, widened to each rule's buckets)`);
  console.log("| rule | ms | alerts |");
  console.log("| --- | ---: | ---: |");
  let passTotal = 0;
  for (const r of summary.rules) {
    const t = performance.now();
    const pass = await runDetectors({ from: w.from, to: w.to }, { now, trigger: "schedule", rules: [r.id] });
    const ms = Math.round(performance.now() - t);
    passTotal += ms;
    console.log(`| ${r.id} | ${ms.toLocaleString()} | ${pass.alerts}${pass.rules[0].error ? ` (error: ${pass.rules[0].error})` : ""} |`);
  }
  console.log(`| **one pass, all rules** | **${passTotal.toLocaleString()}** | |`);
  await ds.stop();
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

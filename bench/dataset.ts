/**
 * Shared by the detector benchmarks: a local Elasticsearch and SQLite of their
 * own, the demo prefecture generated at a given scale, imported and ingested
 * through the real pipeline. One dataset per scale and period, shared by
 * bench:detect and bench:detect-quality (`--reuse` keeps it between runs);
 * every run starts without alerts, detector runs or checkpoints.
 */
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { VAR_DIR } from "../lib/paths";

/** A labelled incident (anomaly or hard negative) of the demo generator's labels.json. */
export interface Label {
  id: string;
  rule: string;
  organization: string;
  entity: { type: string; id: string };
  start: string;
  end: string;
  description: string;
}

/** What the benchmarks read of labels.json: the generated period (JST ISO instants) and the labels. */
export interface Labels {
  from: string;
  to: string;
  anomalies: Label[];
  hard_negatives: Label[];
}

export interface Dataset {
  dir: string;
  labels: Labels;
  events: number;
  ingestSeconds: number;
  stop: () => Promise<void>;
}

export const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);

/** Elasticsearch port of the benchmark datasets (BENCH_ES_PORT to keep two scales running side by side). */
const ES_PORT = Number(process.env.BENCH_ES_PORT ?? 9261);

/**
 * HTTPS port of node 0 of the benchmarks' three-node cluster (`cluster: true`; node i port+i, transport port+10+i).
 */
const CLUSTER_PORT = Number(process.env.BENCH_CLUSTER_PORT ?? 9600);

export async function prepareDataset(opts: {
  scale: number;
  days: number;
  seed?: number;
  end?: string;
  reuse?: boolean;
  /** The secured three-node cluster of `npm run es -- start --nodes 3`, replicas 1 and `shards` primaries (default 3), instead of one node. */
  cluster?: { shards?: number };
}): Promise<Dataset> {
  const oneNodeName = `demo-s${opts.scale}-d${opts.days}-r${opts.seed ?? 42}`;
  const name = opts.cluster ? `${oneNodeName}-c3` : oneNodeName;
  const dir = path.join(VAR_DIR, "bench", name);
  const esPort = ES_PORT;
  Object.assign(process.env, {
    ES_PORT: String(esPort),
    DATABASE_URL: `file:${path.join(dir, "bench.db")}`,
    PSEUDONYM_KEY: "62656e63682d6b65792d6f6e6c792d666f722d62656e63686d61726b696e672d2d",
  });
  const { startLocal, stopLocal, fetchDistribution } = await import("../scripts/elasticsearch");
  const { runPrisma } = await import("../scripts/setup");
  const managed = !process.env.ELASTICSEARCH_URL;
  const reuse = opts.reuse && fs.existsSync(path.join(dir, "ingested"));
  if (!reuse) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
  }
  runPrisma(["migrate", "deploy"], { DATABASE_URL: process.env.DATABASE_URL });
  let stop = async () => {};
  if (managed && opts.cluster) {
    const { startCluster, stopCluster } = await import("../scripts/es-cluster");
    const o = { name: `bench-s${opts.scale}`, nodes: 3, port: CLUSTER_PORT, home: fetchDistribution(), heap: process.env.ES_HEAP ?? "1g" };
    // The console's settings only (URL, API key, CA), as in production.
    Object.assign(process.env, await startCluster({ ...o, fresh: !reuse }), { ES_REPLICAS: "1", ES_SHARDS: String(opts.cluster.shards ?? 3) });
    stop = async () => {
      if (!process.argv.includes("--keep-es")) await stopCluster(o);
    };
  } else if (managed) {
    await startLocal({ name: `bench-${name}`, port: esPort, fresh: !reuse, heap: process.env.ES_HEAP ?? "2g" });
    stop = async () => {
      if (!process.argv.includes("--keep-es")) await stopLocal({ name: `bench-${name}`, port: esPort });
    };
  }
  // The cluster's dataset reads the one-node dataset's generated files when they are there (same seed, same files).
  const shared = path.join(VAR_DIR, "bench", oneNodeName, "demo");
  const out = opts.cluster && fs.existsSync(path.join(shared, "labels.json")) ? shared : path.join(dir, "demo");
  if (reuse) {
    log(`reusing the dataset in ${dir} (--reuse); clearing alerts and detector runs`);
    const { es } = await import("../lib/es/client");
    const { alertsIndex } = await import("../domain/alerts");
    const { db } = await import("../lib/db");
    // The alerts index is recreated by the first detector run (this Elasticsearch build has no delete-by-query).
    await es().indices.delete({ index: `${alertsIndex()}-*`, ignore_unavailable: true, allow_no_indices: true });
    await db().detectorRun.deleteMany({});
    await db().detectorCheckpoint.deleteMany({});
    const labels = JSON.parse(fs.readFileSync(path.join(out, "labels.json"), "utf8"));
    const meta = JSON.parse(fs.readFileSync(path.join(dir, "ingested"), "utf8"));
    return { dir, labels, events: meta.events, ingestSeconds: meta.ingestSeconds, stop };
  }
  const { generateDemo } = await import("../scripts/demo/generate");
  const { importRegistry } = await import("../domain/registry/import");
  const { systemScope } = await import("../lib/auth/scope");
  const { ingestFile } = await import("../domain/ingest/file");
  const { es } = await import("../lib/es/client");
  const { aliasName } = await import("../lib/es/indices");
  let events: number;
  if (out === shared && opts.cluster) {
    events = JSON.parse(fs.readFileSync(path.join(path.dirname(shared), "ingested"), "utf8")).events;
    log(`using the generated files of ${shared}`);
  } else {
    log(`generating the demo prefecture: scale ${opts.scale}, ${opts.days} days …`);
    const summary = await generateDemo({ out, seed: opts.seed ?? 42, days: opts.days, scale: opts.scale, end: opts.end ?? "2026-11-20" });
    log(`${summary.events.toLocaleString()} events, ${summary.idsAlerts.toLocaleString()} IDS alerts`);
    events = summary.events;
  }
  await importRegistry(JSON.parse(fs.readFileSync(path.join(out, "registry.json"), "utf8")), systemScope("bench"));
  // System-work records with link control (issue 18): the seed-000 scenario's record, read by maintenance-window-update.
  if (fs.existsSync(path.join(out, "system-work.json"))) {
    const { ensureDemoSystemWork } = await import("../scripts/demo/system-work");
    await ensureDemoSystemWork(JSON.parse(fs.readFileSync(path.join(out, "system-work.json"), "utf8")));
  }
  // The IC card register (issue 17): the card used after its return, read by card-register-mismatch.
  const cards = path.join(out, "registers", "cards.json");
  if (fs.existsSync(cards)) await importRegistry(JSON.parse(fs.readFileSync(cards, "utf8")), systemScope("bench"));
  const started = performance.now();
  for (const [sub, stream] of [
    ["events", "events"],
    ["ids", "ids"],
  ] as const) {
    for (const f of fs.readdirSync(path.join(out, sub)).sort()) {
      const r = await ingestFile(stream, f.replace(/\.ndjson$/, ""), path.join(out, sub, f));
      if (r.rejected.length) throw new Error(`${f}: ${r.rejected.length} lines rejected, first: ${JSON.stringify(r.rejected[0])}`);
    }
  }
  await es().indices.refresh({ index: `${aliasName("events")},${aliasName("ids")}` });
  const ingestSeconds = (performance.now() - started) / 1000;
  await es()
    .indices.forcemerge({ index: aliasName("events"), max_num_segments: 1 })
    .catch(() => {});
  log(`ingested in ${ingestSeconds.toFixed(0)} s (merged after ${((performance.now() - started) / 1000).toFixed(0)} s)`);
  fs.writeFileSync(path.join(dir, "ingested"), JSON.stringify({ events, ingestSeconds }));
  return { dir, labels: JSON.parse(fs.readFileSync(path.join(out, "labels.json"), "utf8")), events, ingestSeconds, stop };
}

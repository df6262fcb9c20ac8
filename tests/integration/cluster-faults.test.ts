/**
 * Faults on a three-node secured cluster (issue 16 item 2): the cluster of `npm run es -- start --nodes 3`
 * (TLS on HTTP and transport, the console's API key) with replicas 1, reached by the console's code only
 * through ELASTICSEARCH_URL, ELASTICSEARCH_API_KEY and ELASTICSEARCH_CA_CERT (node 0). A data node is killed
 * (SIGKILL) during a large ingest through the real pipeline, then another during a detection run; the
 * console's reads answer while it is down; each node rejoins and the cluster returns to green.
 *
 * Its own cluster (ports CLUSTER_FAULTS_PORT, default 9520: HTTPS 9520–9522, transport 9530–9532), its own
 * SQLite database and index prefix; left out of the PostgreSQL pass (scripts/test.ts, POSTGRES_SKIPS: it
 * exercises Elasticsearch). CLUSTER_FAULTS_EVENTS sets the ingest size (default 100,000).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchDistribution } from "../../scripts/elasticsearch";
import { startCluster, startNode, stopCluster, stopNode, waitForCluster, type ClusterOptions } from "../../scripts/es-cluster";
import { freshTestDatabase, TEST_DATABASE } from "../support/database";
import { accessEvent, REGISTRY } from "./helpers";

const EVENTS = Number(process.env.CLUSTER_FAULTS_EVENTS ?? 100_000);
const PORT = Number(process.env.CLUSTER_FAULTS_PORT ?? 9520);
const RUN = "fault";
// 2026-10-05 09:00 JST onwards (a Monday), one event a second: clear of the other files' dates (own database and prefix anyway).
const START = Date.parse("2026-10-05T09:00:00+09:00");
const WINDOW = { from: new Date("2026-10-05T00:00:00+09:00"), to: new Date(START + EVENTS * 1000 + 86_400_000) };

const saved = { ...process.env };
let cluster: ClusterOptions;
const skip = TEST_DATABASE === "postgresql";
const t0 = Date.now();
const took = (label: string) => process.stderr.write(`[cluster-faults] ${label} at ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);

beforeAll(async () => {
  if (skip) return;
  cluster = { name: "faults", nodes: 3, port: PORT, home: fetchDistribution(), heap: process.env.ES_HEAP ?? "512m" };
  const access = await startCluster({ ...cluster, fresh: true });
  took("cluster green");
  Object.assign(process.env, access, {
    ES_SHARDS: "3",
    ES_REPLICAS: "1",
    ES_INDEX_PREFIX: "faults",
    DATABASE_URL: await freshTestDatabase(`cluster-faults-${PORT}`, "sqlite"),
  });
  // The console's settings only: no file-realm user on this path.
  delete process.env.ELASTICSEARCH_USERNAME;
  delete process.env.ELASTICSEARCH_PASSWORD;
  const { importRegistry } = await import("../../domain/registry/import");
  const { systemScope } = await import("../../lib/auth/scope");
  await importRegistry(REGISTRY, systemScope("test"));
}, 900_000);

afterAll(async () => {
  if (skip) return;
  const { resetEsClient } = await import("../../lib/es/client");
  const { disconnectDb } = await import("../../lib/db");
  await resetEsClient();
  await disconnectDb();
  if (!process.env.KEEP_TEST_ES) await stopCluster(cluster);
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
}, 300_000);

/** Every event.id of the run in the events alias, read page by page (search_after on the id). */
async function storedIds(): Promise<string[]> {
  const { es } = await import("../../lib/es/client");
  const { aliasName } = await import("../../lib/es/indices");
  await es().indices.refresh({ index: aliasName("events") });
  const ids: string[] = [];
  let after: string[] | undefined;
  for (;;) {
    const res = await es().search<{ event: { id: string } }>({
      index: aliasName("events"),
      size: 10_000,
      query: { prefix: { "event.id": `${RUN}-` } },
      _source: ["event.id"],
      sort: [{ "event.id": "asc" }],
      ...(after ? { search_after: after } : {}),
    });
    const hits = res.hits.hits;
    if (!hits.length) return ids;
    for (const h of hits) ids.push(h._source!.event.id);
    after = hits[hits.length - 1].sort as string[];
  }
}

describe.skipIf(skip)("a three-node secured cluster with replicas 1", () => {
  it("loses and duplicates nothing when a data node is killed during a large ingest, and the node rejoins", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jukinet-faults-"));
    const file = path.join(dir, "CS-352012.ndjson");
    const out = fs.createWriteStream(file);
    for (let n = 0; n < EVENTS; n++) {
      const e = accessEvent(n, { runId: RUN, time: new Date(START + n * 1000).toISOString() });
      out.write(JSON.stringify(e) + "\n");
    }
    await new Promise((r) => out.end(r));

    const { ingestFile } = await import("../../domain/ingest/file");
    const { StoreUnavailableError } = await import("../../domain/ingest/pipeline");
    let killed: Promise<void> | undefined;
    let acceptedAtKill = 0;
    const onProgress = (p: { accepted: number }) => {
      if (!killed && p.accepted >= EVENTS * 0.3) {
        acceptedAtKill = p.accepted;
        took(`killing node 2 after ${p.accepted} events`);
        killed = stopNode(cluster, 2, true);
      }
    };
    // As the CLI's exit code 3 tells its caller: when the store stays unavailable, send the file again (ids are idempotent).
    let result: Awaited<ReturnType<typeof ingestFile>> | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        result = await ingestFile("events", "CS-352012", file, { onProgress });
        break;
      } catch (e) {
        if (!(e instanceof StoreUnavailableError) || attempt >= 3) throw e;
        took(`store unavailable (${e.message}); resending`);
      }
    }
    took("ingest done");
    expect(killed, "node 2 was killed during the ingest").toBeDefined();
    expect(acceptedAtKill).toBeLessThan(EVENTS);
    await killed;
    expect(result!.rejected).toEqual([]);

    const ids = await storedIds();
    expect(ids.length).toBe(EVENTS);
    expect(new Set(ids).size).toBe(EVENTS);
    const want = new Set(Array.from({ length: EVENTS }, (_, n) => `${RUN}-${n}`));
    expect(ids.filter((id) => !want.has(id))).toEqual([]);

    startNode(cluster, 2, false);
    await waitForCluster(cluster, { status: ["green"], nodes: 3 }, 600_000);
    took("node 2 rejoined, green");
    fs.rmSync(dir, { recursive: true, force: true });
  }, 1_200_000);

  it("completes detection again without duplicate alerts when a node is killed during a run; the console's reads answer meanwhile", async () => {
    const { runDetectors } = await import("../../detectors/engine");
    const { dashboardData } = await import("../../domain/dashboard");
    const { searchAlerts, alertsIndex } = await import("../../domain/alerts");
    const { systemScope } = await import("../../lib/auth/scope");
    const { es } = await import("../../lib/es/client");
    const now = WINDOW.to;
    const range = { from: WINDOW.from.toISOString(), to: WINDOW.to.toISOString() };

    // A running deployment's alerts and tallies indices exist long before a node fails. Brought into being here (the
    // dashboard's read creates both), with the cluster green again, so that the kill below hits a detection run and
    // not an index created 300 ms earlier whose replicas are still being copied: killing the node of such a shard's
    // only copy leaves the index red (no_shard_available_action_exception on the reads, seen once in CI on a slow
    // machine), which is not the fault under test.
    await dashboardData(range, systemScope("test"));
    await waitForCluster(cluster, { status: ["green"], nodes: 3 }, 600_000);
    took("alerts and tallies indices in place, green");

    let settled = false;
    const first = runDetectors(WINDOW, { now, trigger: "test" }).then(
      (s) => ((settled = true), s),
      (e: unknown) => ((settled = true), e as Error),
    );
    await new Promise((r) => setTimeout(r, 300));
    const runningAtKill = !settled;
    took("killing node 1 during the detection run");
    await stopNode(cluster, 1, true);
    expect(runningAtKill, "the detection run was still running when node 1 was killed").toBe(true);
    const interrupted = await first;
    took(`interrupted run ended: ${interrupted instanceof Error ? interrupted.message : `${interrupted.alerts} alerts`}`);

    // Node 1 is down: the console's reads answer.
    const dashboard = await dashboardData(range, systemScope("test"));
    expect(dashboard.volumeByOrg.reduce((n, o) => n + o.events, 0)).toBe(EVENTS);
    const listed = await searchAlerts({ ...range, size: 100 }, systemScope("test"));
    expect(listed.total).toBeGreaterThanOrEqual(0);
    took(`reads answered with node 1 down (${listed.total} alerts listed)`);

    // The rerun (node 1 still down) completes every rule.
    const rerun = await runDetectors(WINDOW, { now, trigger: "test" });
    took(`rerun: ${rerun.alerts} alerts, ${rerun.created} new`);
    expect(rerun.rules.filter((r) => r.error).map((r) => `${r.id}: ${r.error}`)).toEqual([]);
    expect(rerun.alerts).toBeGreaterThan(0);

    startNode(cluster, 1, false);
    await waitForCluster(cluster, { status: ["green"], nodes: 3 }, 600_000);
    took("node 1 rejoined, green");

    // A third run on the whole cluster finds the same alerts and creates none; each alert is stored once.
    const again = await runDetectors(WINDOW, { now, trigger: "test" });
    expect(again.rules.filter((r) => r.error)).toEqual([]);
    expect(again.created).toBe(0);
    expect(again.alerts).toBe(rerun.alerts);
    await es().indices.refresh({ index: alertsIndex() });
    const stored = await es().search<{ id: string }>({ index: alertsIndex(), size: 10_000, _source: ["id"], query: { match_all: {} } });
    const alertIds = stored.hits.hits.map((h) => h._id!);
    expect(alertIds.length).toBeGreaterThan(0);
    expect(new Set(alertIds).size).toBe(alertIds.length);
    expect(new Set(stored.hits.hits.map((h) => h._source!.id)).size).toBe(alertIds.length);
  }, 1_200_000);
});

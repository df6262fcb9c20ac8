/**
 * The ingest gateway with a real shipper (issue 14, INTERFACE.md §6): Debian's
 * rsyslogd, run as a private instance (own configuration, work directory and
 * pid file), tails an NDJSON file with imfile and forwards it
 *  - with omrelp over TLS (client certificate, disk-assisted queue) while the
 *    gateway is killed and restarted twice and Elasticsearch is stopped for
 *    30 s: every line is stored exactly once;
 *  - with omfwd over TLS (octet-counted) while the gateway is up: every line
 *    stored, lines naming another node's observer.id refused and counted.
 * A revoked certificate is refused and counted. Real Elasticsearch, SQLite,
 * openssl-issued certificates and the gateway as its own process.
 */
import fs from "node:fs";
import path from "node:path";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/db";
import { es } from "../../lib/es/client";
import { aliasName } from "../../lib/es/indices";
import { VAR_DIR } from "../../lib/paths";
import { systemScope } from "../../lib/auth/scope";
import { issueNodeCertificate, revokeNodeCertificate } from "../../domain/registry/node-certs";
import { documentId } from "../../domain/ingest/pipeline";
import { relpFrame } from "../../gateway/framing";
import { startLocal, stopLocal } from "../../scripts/elasticsearch";
import { accessEvent, ensureRegistry } from "./helpers";
import { TEST_ES } from "./global-setup";
import { spawnGateway, type GatewayProcess } from "./gateway-process";
import { hasRsyslog, relpConfig, startRsyslog, syslogTlsConfig, type NodeTls, type Rsyslog } from "../../scripts/rsyslog";

const BASE_PORT = Number(process.env.TEST_GATEWAY_PORT ?? 16500);
const SYSLOG_PORT = BASE_PORT;
const RELP_PORT = BASE_PORT + 1;
const LINES = Number(process.env.TEST_GATEWAY_LINES ?? 100_000);
const work = path.join(VAR_DIR, "test", `gateway-${TEST_ES.port}`);
const caDir = path.join(work, "node-ca");
const env = () => ({
  DATABASE_URL: process.env.DATABASE_URL!,
  ES_PORT: process.env.ES_PORT ?? String(TEST_ES.port),
  PSEUDONYM_KEY: process.env.PSEUDONYM_KEY!,
  NODE_CA_DIR: caDir,
  GATEWAY_HOST: "127.0.0.1",
  GATEWAY_SYSLOG_PORT: String(SYSLOG_PORT),
  GATEWAY_RELP_PORT: String(RELP_PORT),
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const run = Date.now().toString(36);
let gateway: GatewayProcess | undefined;
const shippers: Rsyslog[] = [];

async function certFor(nodeId: string): Promise<NodeTls & { serial: string }> {
  const c = await issueNodeCertificate(nodeId, systemScope("test"), { dir: caDir });
  return { ca: c.caFile, cert: c.certFile, key: c.keyFile, serial: c.serial };
}

/** Appends `count` events of `node` with ids `<prefix>-<from..>` (one a line, as a node's logger writes them). */
function appendEvents(file: string, node: string, org: string, prefix: string, from: number, count: number, extra: string[] = []) {
  const lines: string[] = [];
  for (let i = from; i < from + count; i++) {
    const e = accessEvent(i, { runId: prefix, node, org, operator: `OP-${org}-001` });
    lines.push(JSON.stringify(e));
  }
  fs.appendFileSync(file, lines.concat(extra).join("\n") + "\n");
}

async function storedIds(node: string, prefix: string): Promise<string[]> {
  await es().indices.refresh({ index: aliasName("events") });
  const ids: string[] = [];
  let after: Record<string, string> | undefined;
  for (;;) {
    const res = await es().search({
      index: aliasName("events"),
      size: 0,
      query: { bool: { filter: [{ term: { "observer.id": node } }, { prefix: { "event.id": `${prefix}-` } }] } },
      aggs: { ids: { composite: { size: 10_000, sources: [{ id: { terms: { field: "event.id" } } }], ...(after ? { after } : {}) } } },
    });
    const agg = res.aggregations!.ids as { buckets: { key: { id: string }; doc_count: number }[]; after_key?: Record<string, string> };
    for (const b of agg.buckets) for (let k = 0; k < b.doc_count; k++) ids.push(b.key.id);
    if (agg.buckets.length < 10_000) return ids;
    after = agg.after_key;
  }
}

async function countOf(node: string, prefix: string): Promise<number> {
  try {
    await es().indices.refresh({ index: aliasName("events") });
    return (
      await es().count({
        index: aliasName("events"),
        query: { bool: { filter: [{ term: { "observer.id": node } }, { prefix: { "event.id": `${prefix}-` } }] } },
      })
    ).count;
  } catch {
    return -1;
  }
}

/** Waits until `want` are stored; fails when the count has not moved for `stallMs` (the shipper or the gateway is stuck). */
async function waitForCount(node: string, prefix: string, want: number, stallMs: number, diagnostics: () => string): Promise<void> {
  let n = 0;
  let moved = { n: -1, at: Date.now() };
  while (Date.now() - moved.at < stallMs) {
    n = await countOf(node, prefix);
    if (n >= want) return;
    if (n !== moved.n) moved = { n, at: Date.now() };
    await sleep(1000);
  }
  throw new Error(`${node}: ${n} of ${want} stored, no progress for ${stallMs} ms\n${diagnostics().slice(-4000)}`);
}

describe("ingest gateway with Debian's rsyslog", () => {
  beforeAll(async () => {
    if (!hasRsyslog()) throw new Error("rsyslog is missing: apt-get install rsyslog rsyslog-gnutls rsyslog-relp (npm test does it when run as root)");
    fs.rmSync(work, { recursive: true, force: true });
    fs.mkdirSync(work, { recursive: true });
    await ensureRegistry();
    gateway = await spawnGateway(env());
  });

  afterAll(async () => {
    for (const s of shippers) await s.stop();
    await gateway?.kill("SIGTERM");
  });

  it("omrelp over TLS: every line stored exactly once across two gateway kills and 30 s without Elasticsearch", async () => {
    const node = "CS-352012";
    const prefix = `relp-${run}`;
    const file = path.join(work, "relp", "access.ndjson");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, "");
    const shipper = await startRsyslog(
      path.join(work, "relp"),
      relpConfig({ file, port: RELP_PORT, tls: await certFor(node), workDir: path.join(work, "relp"), queueSize: 10_000 }),
    );
    shippers.push(shipper);
    const diag = () => `${shipper.log()}\n--- gateway ---\n${gateway?.output()}`;
    const part = Math.ceil(LINES / 5);
    const append = (k: number) => appendEvents(file, node, "352012", prefix, k * part, Math.min(part, LINES - k * part));

    append(0);
    await sleep(1500);
    await gateway!.kill(); // 1st kill, mid-stream
    append(1);
    await sleep(1000);
    gateway = await spawnGateway(env());
    append(2);
    await sleep(1000);
    const managed = process.env.JUKINET_TEST_ES_MANAGED === "1";
    const esDown = Date.now();
    if (managed) await stopLocal(TEST_ES);
    append(3);
    await sleep(3000);
    await gateway.kill(); // 2nd kill, while the store is down and batches are held
    gateway = await spawnGateway(env());
    await sleep(Math.max(0, 30_000 - (Date.now() - esDown)));
    if (managed) await startLocal(TEST_ES);
    append(4);

    await waitForCount(node, prefix, LINES, 90_000, diag);
    await sleep(2000); // anything late would be a duplicate: give it the chance to show
    await shipper.stop();
    const ids = await storedIds(node, prefix);
    expect(ids.length).toBe(LINES);
    const expected = new Set(Array.from({ length: LINES }, (_, i) => `${prefix}-${i}`));
    expect(new Set(ids).size).toBe(LINES);
    expect(ids.filter((id) => !expected.has(id))).toEqual([]);
    // The document ids are the idempotent ones of the pipeline (observer.id, event.id).
    // (An ids query, not mget: the events alias may span several monthly indices.)
    const sampleIds = [documentId(node, `${prefix}-0`), documentId(node, `${prefix}-${LINES - 1}`)];
    const sample = await es().search({ index: aliasName("events"), query: { ids: { values: sampleIds } }, size: 2, _source: false });
    expect(sample.hits.hits.map((h) => h._id).sort()).toEqual([...sampleIds].sort());
  }, 480_000);

  it("omfwd over TLS (octet-counted): every line stored; lines naming another node refused and counted", async () => {
    const node = "CS-352039";
    const prefix = `fwd-${run}`;
    const file = path.join(work, "fwd", "access.ndjson");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, "");
    const before = (await db().nodeRejections.findUnique({ where: { nodeId: node } }))?.count ?? 0;
    const shipper = await startRsyslog(
      path.join(work, "fwd"),
      syslogTlsConfig({ file, port: SYSLOG_PORT, tls: await certFor(node), workDir: path.join(work, "fwd") }),
    );
    shippers.push(shipper);
    // Three lines forged with the other node's observer.id, amid the node's own lines.
    const foreign = [0, 1, 2].map((i) => JSON.stringify(accessEvent(i, { runId: `forged-${run}`, node: "CS-352012", org: "352012" })));
    appendEvents(file, node, "352039", prefix, 0, LINES / 2, foreign);
    appendEvents(file, node, "352039", prefix, LINES / 2, LINES / 2);
    await waitForCount(node, prefix, LINES, 60_000, () => `${shipper.log()}\n--- gateway ---\n${gateway?.output()}`);
    expect(await countOf(node, prefix)).toBe(LINES);
    expect(await countOf("CS-352012", `forged-${run}`)).toBe(0);
    await sleep(500);
    const row = await db().nodeRejections.findUnique({ where: { nodeId: node } });
    expect(row!.count - before).toBe(3);
    expect(row!.lastReasons).toContain('observer.id \\"CS-352012\\" is not the sending node \\"CS-352039\\"');
  }, 300_000);

  it("refuses a revoked certificate and counts the refusal on the node", async () => {
    const node = "CS-352039";
    const c = await certFor(node);
    await revokeNodeCertificate(c.serial, systemScope("test"));
    const before = (await db().nodeRejections.findUnique({ where: { nodeId: node } }))?.count ?? 0;
    const outcome = await new Promise<string>((resolve) => {
      const s = tls.connect({
        host: "127.0.0.1",
        port: RELP_PORT,
        ca: fs.readFileSync(c.ca),
        cert: fs.readFileSync(c.cert),
        key: fs.readFileSync(c.key),
        servername: "localhost",
      });
      let got = "";
      s.on("secureConnect", () => s.write(relpFrame(1, "open", "relp_version=0\nrelp_software=test\ncommands=syslog")));
      s.on("data", (d) => (got += d));
      s.on("error", (e) => resolve(`error ${e.message}`));
      s.on("close", () => resolve(got ? `answered ${got}` : "closed"));
    });
    expect(outcome).not.toMatch(/^answered/);
    await sleep(300);
    const row = await db().nodeRejections.findUnique({ where: { nodeId: node } });
    expect(row!.count - before).toBe(1);
    expect(row!.lastReasons).toContain("is revoked");
    // A certificate the CA never issued (self-signed with the same CN) fails the handshake itself.
    const stranger = await new Promise<string>((resolve) => {
      const s = tls.connect({ host: "127.0.0.1", port: RELP_PORT, ca: fs.readFileSync(c.ca), servername: "localhost" });
      s.on("error", (e) => resolve(`error ${e.message}`));
      s.on("data", () => resolve("answered"));
      s.on("secureConnect", () => s.write("1 open 14 relp_version=0\n"));
      s.on("close", () => resolve("closed"));
    });
    expect(stranger).not.toBe("answered");
  }, 60_000);
});

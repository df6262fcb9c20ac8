/**
 * Ingest benchmark: the same generated events through
 *   (1) a plain sequential `_bulk` loop of the already-transformed documents (baseline),
 *   (2) the CLI (`scripts/ingest.ts`, a separate process, file streamed from disk),
 *   (3) HTTP (`POST /api/ingest/access` on `next start`, 20,000-line requests, 3 in flight by default),
 *   (4) the peer an office would pick without this console: Debian's rsyslog tailing the file (imfile)
 *       straight into an index with its own Elasticsearch output (omelasticsearch, bulk mode) — no
 *       validation, binding, pseudonymisation or acknowledgement: the ceiling a user compares us with,
 *   (5) the ingest gateway (`npm run gateway`, its own process) fed by the same rsyslog: omrelp over TLS
 *       (RELP, acknowledged after storage) and omfwd over TLS (octet-counted syslog), with its peak RSS,
 * into a fresh local Elasticsearch, and prints events/s and the ratio to the
 * baseline (and the gateway's to the peer); then streams a ~1 GB file through the CLI and prints its peak RSS;
 * and prints what "searchable on return" (INTERFACE.md §3: one refresh of the
 * touched indices before the pipeline answers) costs: the same requests
 * through the pipeline in this process, without and with that refresh; and
 * the index size per million events, of the mix and of per-resident batch
 * records alone (forcemerged to one segment, primary store).
 *
 * Half of the generated events are per-resident `provide` records of nightly
 * batches (`jukinet.batch.id`, INTERFACE.md §1): at national volume batch
 * provisions are most of the data (seed 001: 831,993,991 pension records by
 * 電気通信回線 in a year against 17,570,461 immediate).
 *
 *   npm run bench:ingest -- [--events 1000000] [--big-gb 1] [--skip-big] [--skip-http] [--skip-rsyslog] [--skip-refresh] [--http-in-flight 3]
 *                           [--refresh-requests 100] [--refresh-lines 1000] [--refresh-in-flight 4]
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Readable } from "node:stream";
import { REPO_ROOT, VAR_DIR } from "../lib/paths";
import { isoJst } from "../scripts/demo/events";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const EVENTS = Number(arg("events", "1000000"));
const BIG_GB = Number(arg("big-gb", "1"));
const ES_PORT = Number(arg("es-port", "9260"));
const HTTP_PORT = Number(arg("http-port", "3100"));
const GATEWAY_PORT = Number(arg("gateway-port", "16590")); // syslog/TLS; RELP on the next port
const HTTP_IN_FLIGHT = Number(arg("http-in-flight", "3"));
const REFRESH_REQUESTS = Number(arg("refresh-requests", "100"));
const REFRESH_LINES = Number(arg("refresh-lines", "1000"));
const REFRESH_IN_FLIGHT = Number(arg("refresh-in-flight", "4"));
const NODE = "CS-352012";
const dir = path.join(VAR_DIR, "bench", "ingest");
const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);

// Environment shared by this process and the CLI / server it starts.
Object.assign(process.env, {
  ES_PORT: String(ES_PORT),
  DATABASE_URL: `file:${path.join(dir, "bench.db")}`,
  PSEUDONYM_KEY: "62656e63682d6b65792d6f6e6c792d666f722d62656e63686d61726b696e672d2d",
  NEXT_TELEMETRY_DISABLED: "1",
  // `next start` is a production server: it refuses to run without its own session key.
  NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? "bench-only-session-key-not-for-any-real-console",
});

const ACTIONS = ["search", "search", "search", "view", "view", "view", "update", "print", "login", "logout"] as const;

/** A per-resident record of a nightly online batch (no operator, §1 system activity); deterministic in n. */
function batchRecord(n: number, run: string): string {
  const t = Date.parse("2026-10-01T01:30:00+09:00") + Math.floor(n * 1.7) * 1000;
  return JSON.stringify({
    "@timestamp": isoJst(t),
    event: { id: `${run}-${n}`, action: "provide", outcome: "success" },
    observer: { id: NODE, type: "municipal_cs" },
    organization: { id: "352012" },
    jukinet: {
      subject: { resident_code: String(40000000000 + ((n * 7919) % 900000)) },
      purpose: { schedule: "jukiho", item: "jukiho-5" },
      recipient: { id: "shichouson-chou", name: "市町村長" },
      channel: "online_batch",
      batch: { id: `B-352012-${isoJst(t).slice(0, 10)}` },
    },
  });
}

/** A realistic municipal CS event (every other one a per-resident batch record); deterministic in n. */
function event(n: number, run: string): string {
  if (n % 2 === 1) return batchRecord(n, run);
  const action = ACTIONS[(n / 2) % ACTIONS.length];
  const t = Date.parse("2026-10-01T08:30:00+09:00") + Math.floor(n * 1.7) * 1000;
  const op = `OP-352012-${String((n % 37) + 1).padStart(3, "0")}`;
  const term = `TM-352012-${String((n % 12) + 1).padStart(2, "0")}`;
  const e: Record<string, unknown> = {
    "@timestamp": isoJst(t),
    event: { id: `${run}-${n}`, action, outcome: "success" },
    observer: { id: NODE, type: "municipal_cs" },
    organization: { id: "352012" },
    user: { id: op },
    host: { id: term },
    source: { ip: `10.35.201.${(n % 12) + 11}` },
  };
  const subject = { resident_code: String(40000000000 + ((n * 7919) % 900000)) };
  if (action === "search")
    e.jukinet = { query: { kind: "resident_code", wildcard: false, result_count: 1 }, subject, purpose: { schedule: "jukiho", item: "jukiho-1" } };
  else if (action === "view") e.jukinet = { subject, purpose: { schedule: "jukiho", item: "jukiho-2" } };
  else if (action === "update") e.jukinet = { subject, change: { reason: "relocation", source_system: "住民記録システム" } };
  else if (action === "print") e.jukinet = { record_count: 1 };
  else e.jukinet = { auth: { method: "ic_card_password", card_id: `IC-352012-${String((n % 37) + 1).padStart(3, "0")}` } };
  return JSON.stringify(e);
}

async function writeFile(file: string, count: number, run: string, line = event): Promise<number> {
  const out = fs.createWriteStream(file);
  let buf = "";
  for (let i = 0; i < count; i++) {
    buf += line(i, run) + "\n";
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once("drain", () => r()));
      buf = "";
    }
  }
  out.end(buf);
  await new Promise<void>((r) => out.on("finish", () => r()));
  return fs.statSync(file).size;
}

/** Peak RSS of a child, from /proc (no external tools needed). */
function watchPeakRss(pid: number): () => number {
  let peak = 0;
  const read = () => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
      if (m) peak = Math.max(peak, Number(m[1]) * 1024);
    } catch {}
  };
  const timer = setInterval(read, 100);
  return () => (clearInterval(timer), peak);
}

function runCli(file: string): Promise<{ seconds: number; peakRss: number; result: { accepted: number } }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // Exactly the command line of `npm run ingest` (package.json), exec'd so the pid is node's own.
    const script = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")).scripts.ingest as string;
    const child = spawn("sh", ["-c", `exec ${script} --node ${NODE} --quiet "$0"`, file], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const stop = watchPeakRss(child.pid!);
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code) => {
      const peakRss = stop();
      if (code !== 0) return reject(new Error(`ingest CLI exited ${code}: ${out.slice(0, 2000)}`));
      resolve({ seconds: (performance.now() - started) / 1000, peakRss, result: JSON.parse(out) });
    });
  });
}

async function main() {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const { startLocal, stopLocal } = await import("../scripts/elasticsearch");
  const { runPrisma } = await import("../scripts/setup");
  runPrisma(["migrate", "deploy"], { DATABASE_URL: process.env.DATABASE_URL });
  const managed = !process.env.ELASTICSEARCH_URL;
  if (managed) await startLocal({ name: "bench", port: ES_PORT, fresh: true });
  const { es } = await import("../lib/es/client");
  const { aliasName, ensureIndexTemplates } = await import("../lib/es/indices");
  const { importRegistry } = await import("../domain/registry/import");
  const { issueNodeToken } = await import("../domain/registry/tokens");
  const { systemScope } = await import("../lib/auth/scope");
  const { accessEventSchema, toStoredEvent } = await import("../domain/ingest/event");
  const { documentId } = await import("../domain/ingest/pipeline");
  const { monthlyIndex } = await import("../lib/es/indices");
  await importRegistry(
    {
      organizations: [
        { id: "350001", name: "山口県", kind: "prefecture" },
        { id: "352012", name: "下関市", kind: "municipality", parent: "350001" },
      ],
      nodes: [{ id: NODE, type: "municipal_cs", organization: "352012" }],
    },
    systemScope("bench"),
  );
  await ensureIndexTemplates();
  const reset = async () => {
    await es().indices.delete({ index: `${aliasName("events")}-*`, ignore_unavailable: true, allow_no_indices: true });
  };
  const stored = async () => {
    await es().indices.refresh({ index: aliasName("events") });
    return (await es().count({ index: aliasName("events") })).count;
  };

  const file = path.join(dir, "events.ndjson");
  log(`generating ${EVENTS.toLocaleString()} events …`);
  const size = await writeFile(file, EVENTS, "b");
  log(`${(size / 1e6).toFixed(0)} MB`);

  // (1) Baseline: the same documents, already transformed, through a plain sequential _bulk loop.
  log("baseline: building bulk bodies (not timed) …");
  const BATCH = 5000;
  const bodies: string[][] = [];
  const ingested = new Date().toISOString();
  for (let i = 0; i < EVENTS; i += BATCH) {
    const ops: string[] = [];
    for (let n = i; n < Math.min(EVENTS, i + BATCH); n++) {
      const e = accessEventSchema.parse(JSON.parse(event(n, "b")));
      ops.push(
        `{"create":{"_index":"${monthlyIndex("events", Date.parse(e["@timestamp"]))}","_id":"${documentId(NODE, e.event.id)}"}}\n${JSON.stringify(toStoredEvent(e, ingested))}`,
      );
    }
    bodies.push(ops);
  }
  await reset();
  log("baseline: raw _bulk loop …");
  let t0 = performance.now();
  for (const ops of bodies) {
    const r = await es().bulk({ operations: ops });
    if (r.errors) throw new Error("baseline bulk had errors");
  }
  const baselineSeconds = (performance.now() - t0) / 1000;
  const baselineCount = await stored();
  bodies.length = 0;

  // (2) CLI.
  await reset();
  log("CLI: npm run ingest …");
  const cli = await runCli(file);
  const cliCount = await stored();
  if (cli.result.accepted !== EVENTS) throw new Error(`CLI accepted ${cli.result.accepted} of ${EVENTS}`);
  /** Primary store bytes per million documents of the events indices, merged to one segment as an aged monthly index is. */
  const perMillion = async (count: number) => {
    await es().indices.forcemerge({ index: `${aliasName("events")}-*`, max_num_segments: 1 });
    const st = await es().indices.stats({ index: `${aliasName("events")}-*`, metric: "store" });
    return ((st._all.primaries?.store?.size_in_bytes ?? 0) / count) * 1e6;
  };
  log("index size: forcemerge and store size of the mix …");
  const mixPerMillion = await perMillion(cliCount);
  await reset();
  const recordsOnly = Math.min(EVENTS, 500_000);
  const recordsFile = path.join(dir, "records.ndjson");
  await writeFile(recordsFile, recordsOnly, "r", batchRecord);
  log(`index size: ${recordsOnly.toLocaleString()} per-resident batch records alone …`);
  await runCli(recordsFile);
  const recordsPerMillion = await perMillion(await stored());
  fs.rmSync(recordsFile, { force: true });

  // (3) HTTP through the real server.
  let httpSeconds = NaN;
  let httpCount = 0;
  if (!process.argv.includes("--skip-http")) {
    await reset();
    log("HTTP: building and starting the console …");
    const nextBin = path.join(REPO_ROOT, "node_modules", "next", "dist", "bin", "next");
    if (spawnSync(process.execPath, [nextBin, "build"], { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "inherit"] }).status !== 0)
      throw new Error("next build failed");
    const server = spawn(process.execPath, [nextBin, "start", "-p", String(HTTP_PORT)], { cwd: REPO_ROOT, stdio: "ignore" });
    try {
      for (
        let i = 0;
        i < 100 &&
        !(await fetch(`http://127.0.0.1:${HTTP_PORT}/api/health`).then(
          (r) => r.ok,
          () => false,
        ));
        i++
      )
        await new Promise((r) => setTimeout(r, 300));
      const { token } = await issueNodeToken(NODE, systemScope("bench"));
      const LINES = 20_000;
      const chunks: string[] = [];
      for (let i = 0; i < EVENTS; i += LINES) {
        let s = "";
        for (let n = i; n < Math.min(EVENTS, i + LINES); n++) s += event(n, "b") + "\n";
        chunks.push(s);
      }
      log(`HTTP: ${chunks.length} requests of ${LINES} lines, ${HTTP_IN_FLIGHT} in flight …`);
      t0 = performance.now();
      let next = 0;
      let accepted = 0;
      const worker = async () => {
        while (next < chunks.length) {
          const body = chunks[next++];
          const res = await fetch(`http://127.0.0.1:${HTTP_PORT}/api/ingest/access`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body });
          const json = (await res.json()) as { accepted: number };
          if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${JSON.stringify(json)}`);
          accepted += json.accepted;
        }
      };
      await Promise.all(Array.from({ length: HTTP_IN_FLIGHT }, worker));
      httpSeconds = (performance.now() - t0) / 1000;
      httpCount = await stored();
      if (accepted !== EVENTS) throw new Error(`HTTP accepted ${accepted} of ${EVENTS}`);
    } finally {
      server.kill("SIGTERM");
    }
  }

  // (4)–(5) Debian's rsyslog: its own Elasticsearch output (the peer), then through the gateway over RELP and syslog/TLS.
  const shipped: { name: string; count: number; seconds: number; peakRss?: number }[] = [];
  if (!process.argv.includes("--skip-rsyslog")) {
    const { hasRsyslog, startRsyslog, relpConfig, syslogTlsConfig, omelasticsearchConfig } = await import("../scripts/rsyslog");
    const { spawnGateway } = await import("../tests/integration/gateway-process");
    const { issueNodeCertificate } = await import("../domain/registry/node-certs");
    if (!hasRsyslog())
      throw new Error("rsyslog is missing (apt-get install rsyslog rsyslog-gnutls rsyslog-relp rsyslog-elasticsearch), or pass --skip-rsyslog");
    /** Starts rsyslog on a fresh copy of the file and times it until `count()` reaches EVENTS. */
    const timeShipper = async (name: string, conf: (file: string, workDir: string) => string, count: () => Promise<number>, peak?: () => number) => {
      const workDir = path.join(dir, name.replace(/\W+/g, "-"));
      fs.rmSync(workDir, { recursive: true, force: true });
      fs.mkdirSync(workDir, { recursive: true });
      const input = path.join(workDir, "events.ndjson");
      fs.copyFileSync(file, input);
      log(`${name} …`);
      const started = performance.now();
      const shipper = await startRsyslog(workDir, conf(input, workDir));
      let n = 0;
      let last = { n: -1, at: performance.now() };
      try {
        for (;;) {
          await new Promise((r) => setTimeout(r, 250));
          n = await count();
          if (n >= EVENTS) break;
          if (n !== last.n) last = { n, at: performance.now() };
          else if (performance.now() - last.at > 120_000) throw new Error(`${name}: stuck at ${n} of ${EVENTS}\n${shipper.log().slice(-3000)}`);
        }
      } finally {
        await shipper.stop();
      }
      shipped.push({ name, count: n, seconds: (performance.now() - started) / 1000, peakRss: peak?.() });
      log(`${name}: ${n.toLocaleString()} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    };
    const peerIndex = "bench-peer-omelasticsearch";
    await es().indices.delete({ index: peerIndex, ignore_unavailable: true });
    await es().indices.create({ index: peerIndex, settings: { number_of_shards: 1, number_of_replicas: 0 } });
    await timeShipper(
      "rsyslog omelasticsearch (peer, bulk mode)",
      (input, workDir) => omelasticsearchConfig({ file: input, workDir, port: ES_PORT, index: peerIndex }),
      async () => {
        await es().indices.refresh({ index: peerIndex });
        return (await es().count({ index: peerIndex })).count;
      },
    );
    await es().indices.delete({ index: peerIndex, ignore_unavailable: true });

    const caDir = path.join(dir, "node-ca");
    const cert = await issueNodeCertificate(NODE, systemScope("bench"), { dir: caDir });
    const tls = { ca: cert.caFile, cert: cert.certFile, key: cert.keyFile };
    const gateway = await spawnGateway({
      NODE_CA_DIR: caDir,
      GATEWAY_HOST: "127.0.0.1",
      GATEWAY_SYSLOG_PORT: String(GATEWAY_PORT),
      GATEWAY_RELP_PORT: String(GATEWAY_PORT + 1),
    });
    const gatewayPeak = watchPeakRss(gateway.proc.pid!);
    // Until the first batch is stored the monthly index (and so the alias) does not exist yet.
    const storedSoFar = () => stored().catch(() => 0);
    try {
      await reset();
      await timeShipper(
        "gateway: RELP over TLS (rsyslog omrelp)",
        (input, workDir) => relpConfig({ file: input, workDir, port: GATEWAY_PORT + 1, tls, windowSize: 4096 }),
        storedSoFar,
      );
      await reset();
      await timeShipper(
        "gateway: syslog over TLS (rsyslog omfwd, octet-counted)",
        (input, workDir) => syslogTlsConfig({ file: input, workDir, port: GATEWAY_PORT, tls }),
        storedSoFar,
      );
    } finally {
      const stats = await gateway.stats().catch(() => undefined);
      await gateway.kill("SIGTERM");
      const peak = gatewayPeak();
      for (const r of shipped) if (r.name.startsWith("gateway")) r.peakRss = peak;
      log(`gateway counters: ${JSON.stringify(stats)}`);
    }
  }

  // (4) Peak RSS streaming a ~1 GB file through the CLI.
  let big: { bytes: number; events: number; seconds: number; peakRss: number } | undefined;
  if (!process.argv.includes("--skip-big")) {
    await reset();
    const bigFile = path.join(dir, "big.ndjson");
    const perEvent = size / EVENTS;
    const bigEvents = Math.ceil((BIG_GB * 1024 ** 3) / perEvent);
    log(`1 GB file: generating ${bigEvents.toLocaleString()} events …`);
    const bytes = await writeFile(bigFile, bigEvents, "g");
    log("1 GB file: CLI …");
    const r = await runCli(bigFile);
    big = { bytes, events: r.result.accepted, seconds: r.seconds, peakRss: r.peakRss };
    fs.rmSync(bigFile, { force: true });
  }

  // (5) Cost of "searchable on return": the same requests through the pipeline, without then with the final refresh.
  const { ingestLines } = await import("../domain/ingest/pipeline");
  const { splitLines } = await import("../domain/ingest/lines");
  const pipelineNode = { id: NODE, type: "municipal_cs", organizationId: "352012" };
  const requests = (run: string) =>
    Array.from({ length: REFRESH_REQUESTS }, (_, r) => {
      let body = "";
      for (let n = r * REFRESH_LINES; n < (r + 1) * REFRESH_LINES; n++) body += event(n, run) + "\n";
      return body;
    });
  const timeRequests = async (refresh: boolean, inFlight: number, run: string) => {
    await reset();
    const bodies = requests(run);
    const started = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const r = await ingestLines("events", splitLines(Readable.from([Buffer.from(body)]), 1 << 20), pipelineNode, { refresh });
        if (r.accepted !== REFRESH_LINES) throw new Error(`refresh bench: accepted ${r.accepted} of ${REFRESH_LINES}`);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    return (performance.now() - started) / 1000;
  };
  // Without and with alternate (two rounds each, the mean is printed) so a change of load on the machine hits both alike.
  const refreshRows: { inFlight: number; without: number; with: number }[] = [];
  for (const inFlight of process.argv.includes("--skip-refresh") ? [] : [1, REFRESH_IN_FLIGHT]) {
    log(`refresh cost: ${REFRESH_REQUESTS} requests of ${REFRESH_LINES} lines, ${inFlight} in flight, without and with the final refresh …`);
    const t = { without: 0, with: 0 };
    for (let round = 0; round < 2; round++) {
      t.without += (await timeRequests(false, inFlight, `r${inFlight}-${round}-a`)) / 2;
      t.with += (await timeRequests(true, inFlight, `r${inFlight}-${round}-b`)) / 2;
    }
    refreshRows.push({ inFlight, ...t });
  }

  await reset();
  if (managed && !process.argv.includes("--keep-es")) await stopLocal({ name: "bench", port: ES_PORT });

  const rate = (n: number, s: number) => Math.round(n / s);
  const baseline = rate(baselineCount, baselineSeconds);
  const rows: [string, number, number, number, number][] = [
    ["raw _bulk loop (baseline)", baselineCount, baselineSeconds, baseline, 1],
    ["CLI (npm run ingest)", cliCount, cli.seconds, rate(cliCount, cli.seconds), rate(cliCount, cli.seconds) / baseline],
  ];
  if (!Number.isNaN(httpSeconds))
    rows.push(["HTTP (POST /api/ingest/access)", httpCount, httpSeconds, rate(httpCount, httpSeconds), rate(httpCount, httpSeconds) / baseline]);
  console.log(
    `\nIngest benchmark, ${EVENTS.toLocaleString()} events (${(size / 1e6).toFixed(0)} MB NDJSON), Elasticsearch on this machine, ${new Date().toISOString()}`,
  );
  const peer = shipped.find((r) => r.name.includes("peer"));
  for (const r of shipped) {
    const ev = rate(r.count, r.seconds);
    const toPeer = peer && r !== peer ? `, ${(ev / rate(peer.count, peer.seconds)).toFixed(2)} of the peer` : "";
    rows.push([`${r.name}${toPeer}`, r.count, r.seconds, ev, ev / baseline]);
  }
  console.log("| path | events stored | seconds | events/s | ratio to baseline |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const [name, n, s, r, ratio] of rows) console.log(`| ${name} | ${n.toLocaleString()} | ${s.toFixed(1)} | ${r.toLocaleString()} | ${ratio.toFixed(2)} |`);
  console.log(`| CLI peak RSS (${EVENTS.toLocaleString()} events) | | | | ${(cli.peakRss / 1e6).toFixed(0)} MB |`);
  const gw = shipped.find((r) => r.peakRss);
  if (gw) console.log(`| gateway peak RSS (both gateway paths, one process) | | | | ${(gw.peakRss! / 1e6).toFixed(0)} MB |`);
  console.log("(rsyslog rows: from starting rsyslogd on the file until every event is stored, imfile reading included)");
  console.log(
    `\nIndex size per million events (primary store, one segment): the mix (half per-resident batch records) ${(mixPerMillion / 1e6).toFixed(1)} MB; ` +
      `per-resident batch records alone ${(recordsPerMillion / 1e6).toFixed(1)} MB (${recordsOnly.toLocaleString()} records measured)`,
  );
  if (big) {
    console.log(
      `\n1 GB file through the CLI: ${(big.bytes / 1024 ** 3).toFixed(2)} GiB, ${big.events.toLocaleString()} events in ${big.seconds.toFixed(1)} s ` +
        `(${rate(big.events, big.seconds).toLocaleString()} events/s), peak RSS ${(big.peakRss / 1e6).toFixed(0)} MB`,
    );
  }
  const events = REFRESH_REQUESTS * REFRESH_LINES;
  if (refreshRows.length) {
    console.log(
      `\nSearchable on return (INTERFACE.md §3: one refresh of the indices written, shared by concurrent requests, before the answer): ` +
        `${REFRESH_REQUESTS} requests of ${REFRESH_LINES.toLocaleString()} lines through the pipeline, mean of 2 alternating rounds`,
    );
    console.log("| requests in flight | without refresh: s | events/s | with refresh: s | events/s | cost per request | cost |");
    console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const r of refreshRows) {
      console.log(
        `| ${r.inFlight} | ${r.without.toFixed(2)} | ${rate(events, r.without).toLocaleString()} | ${r.with.toFixed(2)} | ${rate(events, r.with).toLocaleString()} | ` +
          `${((1000 * (r.with - r.without)) / REFRESH_REQUESTS).toFixed(1)} ms | ${((100 * (r.with - r.without)) / r.without).toFixed(0)} % |`,
      );
    }
    console.log("(the CLI and HTTP rows above include the refresh: one per file, one per request)");
  }
  const cliRate = rate(cliCount, cli.seconds);
  console.log(`\nA day of national provisions (~4.1 million events) through the CLI at this rate: ${(4.1e6 / cliRate / 60).toFixed(1)} min`);
  process.exit(0);
}

main().catch((e) => {
  console.error(`[bench] ${e instanceof Error ? e.stack : e}`);
  process.exit(1);
});

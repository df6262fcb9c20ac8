/**
 * The project's own local Elasticsearch: fetch the server archive from Maven
 * Central with `mvn`, cache it, run a single node on 127.0.0.1, stop it.
 *
 *   npm run es -- fetch | start | stop | status   [--name dev] [--port 9200] [--fresh]
 *   npm run es -- start | stop --nodes 3          [--name cluster] [--port 9400] [--fresh]   (a secured cluster, scripts/es-cluster.ts)
 *
 * When ELASTICSEARCH_URL is set the project uses that cluster and this script
 * starts nothing (start only checks that the cluster answers).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPO_ROOT } from "../lib/paths";
import { esBaseDir, javaHome, spawnElasticsearch } from "./es-process";

export const ES_VERSION = process.env.ES_VERSION ?? "8.19.7";
const ARTIFACT = `org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip`;

const log = (msg: string) => process.stderr.write(`[elasticsearch] ${msg}\n`);

export function distDir(): string {
  return path.join(esBaseDir(), `elasticsearch-${ES_VERSION}`);
}

export interface InstanceOptions {
  name: string;
  port: number;
  heap?: string;
}

function instanceDir(opts: InstanceOptions): string {
  const checkout = createHash("sha256").update(REPO_ROOT).digest("hex").slice(0, 8);
  return path.join(esBaseDir(), "instances", `${opts.name}-${opts.port}-${checkout}`);
}

/** The node's path.repo: where the archive's snapshot repository is (kept by stop/start, removed by --fresh). */
export function snapshotDir(opts: InstanceOptions): string {
  return path.join(instanceDir(opts), "snapshots");
}

export function fetchDistribution(): string {
  const dir = distDir();
  if (fs.existsSync(path.join(dir, "bin", "elasticsearch"))) return dir;
  fs.mkdirSync(esBaseDir(), { recursive: true });
  log(`fetching Elasticsearch ${ES_VERSION} from Maven Central with mvn (about 95 MB, cached afterwards) …`);
  const repoLocal = process.env.MAVEN_REPO_LOCAL ?? path.join(os.homedir(), ".m2", "repository");
  const mvn = spawnSync("mvn", ["-q", "-B", "dependency:get", `-Dartifact=${ARTIFACT}`, `-Dmaven.repo.local=${repoLocal}`], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (mvn.status !== 0) throw new Error(`mvn dependency:get ${ARTIFACT} failed (exit ${mvn.status})`);
  const zip = path.join(repoLocal, "org/elasticsearch/distribution/integ-test-zip/elasticsearch", ES_VERSION, `elasticsearch-${ES_VERSION}.zip`);
  if (!fs.existsSync(zip)) throw new Error(`mvn reported success but ${zip} is missing`);
  log(`unpacking ${path.basename(zip)} …`);
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  // `jar` ships with every JDK, so no unzip package is needed.
  const unpack = spawnSync(path.join(javaHome(), "bin", "jar"), ["xf", zip], { cwd: tmp, stdio: "inherit" });
  if (unpack.status !== 0) throw new Error(`unpacking ${zip} failed`);
  const inner = path.join(tmp, `elasticsearch-${ES_VERSION}`);
  for (const f of fs.readdirSync(path.join(inner, "bin"))) fs.chmodSync(path.join(inner, "bin", f), 0o755);
  fs.renameSync(inner, dir);
  fs.rmSync(tmp, { recursive: true, force: true });
  log(`Elasticsearch ${ES_VERSION} ready in ${dir}`);
  return dir;
}

export async function health(url: string, timeoutMs = 2000): Promise<string | undefined> {
  try {
    const res = await fetch(`${url}/_cluster/health`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return undefined;
    return ((await res.json()) as { status: string }).status;
  } catch {
    return undefined;
  }
}

function readPid(dir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(dir, "es.pid"), "utf8").trim());
    if (!pid) return undefined;
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** Starts the node (or finds it running) and waits for yellow health. Returns its URL. */
export async function startLocal(opts: InstanceOptions & { fresh?: boolean }): Promise<string> {
  const url = `http://127.0.0.1:${opts.port}`;
  const dir = instanceDir(opts);
  if (readPid(dir) && (await health(url))) {
    if (!opts.fresh) {
      log(`already running on ${url}`);
      return url;
    }
    await stopLocal(opts);
  }
  if (await health(url))
    throw new Error(`port ${opts.port} already answers as Elasticsearch but is not this checkout's "${opts.name}" node; stop it or choose another port`);
  const home = fetchDistribution();
  if (opts.fresh) fs.rmSync(dir, { recursive: true, force: true });
  const conf = path.join(dir, "config");
  for (const sub of ["data", "logs", "tmp", "config", "snapshots"]) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  fs.cpSync(path.join(home, "config"), conf, { recursive: true, force: false, errorOnExist: false });
  fs.writeFileSync(
    path.join(conf, "elasticsearch.yml"),
    [
      `cluster.name: jukinet-${opts.name}`,
      `node.name: ${opts.name}`,
      `path.data: ${path.join(dir, "data")}`,
      `path.logs: ${path.join(dir, "logs")}`,
      // The archive's fs snapshot repository lives under it (domain/archive, ARCHIVE_REPOSITORY_LOCATION).
      `path.repo: ${snapshotDir(opts)}`,
      `network.host: 127.0.0.1`,
      `http.port: ${opts.port}`,
      `transport.port: ${opts.port + 100}`,
      `discovery.type: single-node`,
      `xpack.security.enabled: false`,
      `action.destructive_requires_name: false`,
      // Test machines have small or nearly full disks; do not block writes.
      `cluster.routing.allocation.disk.watermark.low: 97%`,
      `cluster.routing.allocation.disk.watermark.high: 98%`,
      `cluster.routing.allocation.disk.watermark.flood_stage: 99%`,
      "",
    ].join("\n"),
  );
  const heap = opts.heap ?? process.env.ES_HEAP ?? "1g";
  log(`starting Elasticsearch ${ES_VERSION} "${opts.name}" on ${url} (heap ${heap}, logs in ${path.join(dir, "logs")}) …`);
  const child = spawnElasticsearch({ home, conf, dir, heap });
  let exited: number | null = null;
  child.on("exit", (code) => (exited = code ?? -1));
  const deadline = Date.now() + Number(process.env.ES_START_TIMEOUT_MS ?? 180_000);
  let lastNote = Date.now();
  while (Date.now() < deadline) {
    const status = await health(url);
    if (status === "green" || status === "yellow") {
      log(`ready (${status}) after ${Math.round((Date.now() - (deadline - Number(process.env.ES_START_TIMEOUT_MS ?? 180_000))) / 1000)} s`);
      return url;
    }
    if (exited !== null) {
      const tail = fs.readFileSync(path.join(dir, "console.log"), "utf8").split("\n").slice(-30).join("\n");
      throw new Error(`Elasticsearch exited with code ${exited} during start-up:\n${tail}`);
    }
    if (Date.now() - lastNote > 15_000) {
      log("still starting …");
      lastNote = Date.now();
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`Elasticsearch did not become healthy on ${url} within the timeout; see ${dir}/logs`);
}

export async function stopLocal(opts: InstanceOptions): Promise<void> {
  const dir = instanceDir(opts);
  const pid = readPid(dir);
  if (!pid) {
    log(`"${opts.name}" on port ${opts.port} is not running`);
    return;
  }
  log(`stopping "${opts.name}" (pid ${pid}) …`);
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      log("stopped");
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  process.kill(pid, "SIGKILL");
  log("killed after 60 s");
}

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

async function main() {
  const command = process.argv[2];
  const opts: InstanceOptions = {
    name: arg("name", "dev")!,
    port: Number(arg("port", process.env.ES_PORT ?? "9200")),
  };
  if (process.env.ELASTICSEARCH_URL && command !== "fetch") {
    log(`ELASTICSEARCH_URL is set (${process.env.ELASTICSEARCH_URL}): using that cluster, nothing to ${command}`);
    return;
  }
  const nodes = Number(arg("nodes", "1"));
  if (nodes > 1 && (command === "start" || command === "stop")) {
    const { startCluster, stopCluster } = await import("./es-cluster");
    const o = { name: arg("name", "cluster")!, nodes, port: Number(arg("port", "9400")), home: fetchDistribution() };
    if (command === "stop") return stopCluster(o);
    const access = await startCluster({ ...o, fresh: process.argv.includes("--fresh") });
    // The console's settings, as in production.
    for (const [k, v] of Object.entries(access)) console.log(`${k}=${v}`);
    return;
  }
  switch (command) {
    case "fetch":
      fetchDistribution();
      break;
    case "start":
      await startLocal({ ...opts, fresh: process.argv.includes("--fresh") });
      break;
    case "stop":
      await stopLocal(opts);
      break;
    case "status": {
      const status = await health(`http://127.0.0.1:${opts.port}`);
      console.log(status ? `running (${status}) on port ${opts.port}` : `not running on port ${opts.port}`);
      break;
    }
    default:
      console.error("usage: npm run es -- fetch|start|stop|status [--name dev] [--port 9200] [--fresh]");
      process.exit(2);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    console.error(`[elasticsearch] ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  });
}

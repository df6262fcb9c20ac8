/**
 * A secured multi-node Elasticsearch cluster on this machine, from the same
 * Maven archive as the single node (scripts/elasticsearch.ts):
 *
 *   npm run es -- start --nodes 3 [--port 9400] [--name cluster] [--fresh]
 *   npm run es -- stop  --nodes 3 [--port 9400] [--name cluster]
 *
 * Node i serves HTTPS on port+i and transport on port+10+i (loopback only),
 * discovery through the other nodes' transport ports. Security is on: TLS on
 * HTTP and transport with a CA and node certificate made here by
 * elasticsearch-certutil, an administrative user of the file realm (role
 * `jukinet_console`: the project's indices and templates, cluster monitor, its
 * own API keys) and an API key made by it for the console. `start` prints the
 * settings the console needs (also written to <cluster dir>/console.env):
 * ELASTICSEARCH_URL, ELASTICSEARCH_API_KEY, ELASTICSEARCH_CA_CERT.
 *
 * API keys live in the `.security` index, whose settings name analysis
 * components of the analysis-common module, which the Maven integ-test-zip
 * archive does not ship ("Unknown filter type [pattern_capture]") and Maven
 * Central does not publish. The cluster therefore runs from its own hard-linked
 * copy of the archive with a small plugin (scripts/es-plugin/, compiled here
 * with javac, installed with elasticsearch-plugin) that registers them over the
 * archive's own Lucene classes.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Client } from "@elastic/elasticsearch";
import { REPO_ROOT } from "../lib/paths";
import { esBaseDir, esEnv, javaHome, spawnElasticsearch } from "./es-process";

const log = (msg: string) => process.stderr.write(`[es-cluster] ${msg}\n`);

export interface ClusterOptions {
  name: string;
  nodes: number;
  /** HTTP port of node 0; node i uses port+i (HTTP) and port+10+i (transport). */
  port: number;
  heap?: string;
  /** The unpacked distribution (scripts/elasticsearch.ts fetchDistribution()). */
  home: string;
}

/** What the console is given: URL, API key, CA certificate (as in production). */
export interface ClusterAccess {
  ELASTICSEARCH_URL: string;
  ELASTICSEARCH_API_KEY: string;
  ELASTICSEARCH_CA_CERT: string;
}

const CONSOLE_USER = "jukinet-console";
const CONSOLE_ROLE = [
  "jukinet_console:",
  // manage: registering the archive's snapshot repository and restoring an archived month need it (domain/archive).
  '  cluster: [ "monitor", "manage_index_templates", "manage_own_api_key", "create_snapshot", "manage" ]',
  "  indices:",
  '    - names: [ "*" ]',
  '      privileges: [ "all" ]',
  "",
].join("\n");

export function clusterDir(o: ClusterOptions): string {
  const checkout = createHash("sha256").update(REPO_ROOT).digest("hex").slice(0, 8);
  return path.join(esBaseDir(), "clusters", `${o.name}-${o.port}-${checkout}`);
}

/** The console's API key: the project's indices and templates, cluster monitor, the archive's snapshots (domain/archive). */
const CONSOLE_KEY_ROLE = {
  cluster: ["monitor", "manage_index_templates", "create_snapshot", "manage"],
  indices: [{ names: ["*"], privileges: ["all"] }],
};
const PLUGIN = "jukinet-security-analysis";

/** The cluster's path.repo (the archive's snapshot repository), shared by its nodes. */
export const clusterSnapshotDir = (o: ClusterOptions) => path.join(clusterDir(o), "snapshots");

const nodeName = (o: ClusterOptions, i: number) => `${o.name}-${i}`;
const nodeDir = (o: ClusterOptions, i: number) => path.join(clusterDir(o), `node-${i}`);

function tool(home: string, name: string, args: string[], conf: string, input?: string): string {
  const r = spawnSync(path.join(home, "bin", name), args, { env: esEnv(conf), input, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${name} ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function unzip(zip: string, into: string): void {
  const r = spawnSync(path.join(javaHome(), "bin", "jar"), ["xf", zip], { cwd: into });
  if (r.status !== 0) throw new Error(`unpacking ${zip} failed`);
}

/** CA and one node certificate (localhost, 127.0.0.1) for HTTP and transport, made once per cluster. */
function ensureCertificates(home: string, o: ClusterOptions): string {
  const certs = path.join(clusterDir(o), "certs");
  if (fs.existsSync(path.join(certs, "node", "node.crt"))) return certs;
  fs.mkdirSync(certs, { recursive: true });
  const conf = path.join(home, "config");
  log("generating the cluster's CA and node certificate (elasticsearch-certutil) …");
  tool(home, "elasticsearch-certutil", ["ca", "--pem", "--silent", "--days", "3650", "--out", path.join(certs, "ca.zip")], conf);
  unzip(path.join(certs, "ca.zip"), certs);
  tool(
    home,
    "elasticsearch-certutil",
    [
      "cert",
      "--pem",
      "--silent",
      "--days",
      "3650",
      "--ca-cert",
      path.join(certs, "ca", "ca.crt"),
      "--ca-key",
      path.join(certs, "ca", "ca.key"),
      "--name",
      "node",
      "--dns",
      "localhost",
      "--ip",
      "127.0.0.1",
      "--out",
      path.join(certs, "node.zip"),
    ],
    conf,
  );
  unzip(path.join(certs, "node.zip"), certs);
  return certs;
}

/**
 * The cluster's own copy of the archive (hard links: no extra disk) with the analysis plugin the
 * `.security` index needs (see the header). The shared archive itself is never changed.
 */
export function clusterHome(distribution: string, o: Pick<ClusterOptions, "name" | "port">): string {
  const home = path.join(clusterDir(o as ClusterOptions), "home");
  if (fs.existsSync(path.join(home, "plugins", PLUGIN, "plugin-descriptor.properties"))) return home;
  fs.rmSync(home, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(home), { recursive: true });
  execFileSync("cp", ["-al", distribution, home]);
  const build = path.join(clusterDir(o as ClusterOptions), "plugin-build");
  fs.rmSync(build, { recursive: true, force: true });
  fs.mkdirSync(path.join(build, "classes"), { recursive: true });
  log(`compiling the ${PLUGIN} plugin (javac) …`);
  const java = javaHome();
  const javac = spawnSync(
    path.join(java, "bin", "javac"),
    [
      "--release",
      "17",
      "-cp",
      path.join(distribution, "lib", "*"),
      "-d",
      path.join(build, "classes"),
      path.join(REPO_ROOT, "scripts", "es-plugin", "SecurityIndexAnalysisPlugin.java"),
    ],
    { encoding: "utf8" },
  );
  if (javac.status !== 0) throw new Error(`javac failed (a JDK 17+ is needed, not only a JRE):\n${javac.stderr}`);
  const version = path.basename(distribution).replace(/^elasticsearch-/, "");
  const jar = (args: string[], cwd: string) => {
    const r = spawnSync(path.join(java, "bin", "jar"), args, { cwd, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`jar ${args.join(" ")} failed: ${r.stderr}`);
  };
  jar(["cf", path.join(build, `${PLUGIN}.jar`), "."], path.join(build, "classes"));
  fs.writeFileSync(
    path.join(build, "plugin-descriptor.properties"),
    [
      "description=Analysis components of the .security index missing from the integ-test archive",
      "version=1.0.0",
      `name=${PLUGIN}`,
      "classname=jukinet.SecurityIndexAnalysisPlugin",
      "java.version=17",
      `elasticsearch.version=${version}`,
      "",
    ].join("\n"),
  );
  jar(["cfM", path.join(build, `${PLUGIN}.zip`), "plugin-descriptor.properties", `${PLUGIN}.jar`], build);
  tool(home, "elasticsearch-plugin", ["install", "--batch", `file://${path.join(build, `${PLUGIN}.zip`)}`], path.join(home, "config"));
  return home;
}

function readPid(dir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(dir, "es.pid"), "utf8").trim());
    process.kill(pid, 0);
    return pid || undefined;
  } catch {
    return undefined;
  }
}

/** The file-realm administrative user (start-up, API key, the fault tests' health checks). */
export function adminClient(o: ClusterOptions, port = o.port): Client {
  const dir = clusterDir(o);
  return new Client({
    node: `https://127.0.0.1:${port}`,
    auth: { username: CONSOLE_USER, password: fs.readFileSync(path.join(dir, "console.password"), "utf8").trim() },
    tls: { ca: fs.readFileSync(path.join(dir, "certs", "ca", "ca.crt")) },
    requestTimeout: 10_000,
    maxRetries: 0,
  });
}

/** Starts node i (configuring it on first use). */
export function startNode(o: ClusterOptions, i: number, bootstrap: boolean): void {
  const home = clusterHome(o.home, o);
  const dir = nodeDir(o, i);
  if (readPid(dir)) return;
  const conf = path.join(dir, "config");
  const fresh = !fs.existsSync(path.join(conf, "elasticsearch.yml"));
  for (const sub of ["data", "logs", "tmp", "config"]) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  // The archive's fs snapshot repository: one directory every node shares (path.repo must be the same shared file system).
  fs.mkdirSync(clusterSnapshotDir(o), { recursive: true });
  if (fresh) {
    fs.cpSync(path.join(home, "config"), conf, { recursive: true });
    fs.cpSync(path.join(clusterDir(o), "certs"), path.join(conf, "certs"), { recursive: true });
  }
  // Written on every start, so a cluster made by an older checkout gains the role's newer privileges (file-realm roles reload).
  fs.writeFileSync(path.join(conf, "roles.yml"), fs.readFileSync(path.join(home, "config", "roles.yml"), "utf8") + "\n" + CONSOLE_ROLE);
  if (fresh) {
    const password = fs.readFileSync(path.join(clusterDir(o), "console.password"), "utf8").trim();
    tool(home, "elasticsearch-users", ["useradd", CONSOLE_USER, "-p", password, "-r", "jukinet_console"], conf);
    const seeds = Array.from({ length: o.nodes }, (_, k) => `"127.0.0.1:${o.port + 10 + k}"`).join(", ");
    const tls = (scope: string) => [
      `xpack.security.${scope}.ssl.enabled: true`,
      `xpack.security.${scope}.ssl.key: certs/node/node.key`,
      `xpack.security.${scope}.ssl.certificate: certs/node/node.crt`,
      `xpack.security.${scope}.ssl.certificate_authorities: [ "certs/ca/ca.crt" ]`,
    ];
    fs.writeFileSync(
      path.join(conf, "elasticsearch.yml"),
      [
        `cluster.name: jukinet-${o.name}`,
        `node.name: ${nodeName(o, i)}`,
        `path.data: ${path.join(dir, "data")}`,
        `path.logs: ${path.join(dir, "logs")}`,
        `path.repo: ${clusterSnapshotDir(o)}`,
        `network.host: 127.0.0.1`,
        `http.port: ${o.port + i}`,
        `transport.port: ${o.port + 10 + i}`,
        `discovery.seed_hosts: [ ${seeds} ]`,
        ...(bootstrap ? [`cluster.initial_master_nodes: [ ${Array.from({ length: o.nodes }, (_, k) => `"${nodeName(o, k)}"`).join(", ")} ]`] : []),
        `xpack.security.enabled: true`,
        ...tls("http"),
        ...tls("transport"),
        `xpack.security.transport.ssl.verification_mode: certificate`,
        `action.destructive_requires_name: false`,
        `cluster.routing.allocation.disk.watermark.low: 97%`,
        `cluster.routing.allocation.disk.watermark.high: 98%`,
        `cluster.routing.allocation.disk.watermark.flood_stage: 99%`,
        "",
      ].join("\n"),
    );
  }
  // A node configured before the archive tier existed: give it the shared path.repo too.
  const yml = path.join(conf, "elasticsearch.yml");
  if (!fs.readFileSync(yml, "utf8").includes("path.repo:")) fs.appendFileSync(yml, `path.repo: ${clusterSnapshotDir(o)}\n`);
  const heap = o.heap ?? process.env.ES_CLUSTER_HEAP ?? process.env.ES_HEAP ?? "512m";
  spawnElasticsearch({ home, conf, dir, heap, writes: [clusterSnapshotDir(o)] });
}

/** Cluster health through any node answering, or undefined. */
export async function clusterHealth(o: ClusterOptions): Promise<{ status: string; number_of_nodes: number } | undefined> {
  for (let i = 0; i < o.nodes; i++) {
    const c = adminClient(o, o.port + i);
    try {
      return (await c.cluster.health()) as { status: string; number_of_nodes: number };
    } catch {
      // next node
    } finally {
      await c.close();
    }
  }
  return undefined;
}

export async function waitForCluster(o: ClusterOptions, want: { status: string[]; nodes: number }, timeoutMs = 300_000): Promise<void> {
  const t0 = Date.now();
  let note = t0;
  for (;;) {
    const h = await clusterHealth(o);
    if (h && want.status.includes(h.status) && h.number_of_nodes >= want.nodes) return;
    if (Date.now() - t0 > timeoutMs)
      throw new Error(
        `cluster not ${want.status.join("/")} with ${want.nodes} nodes after ${timeoutMs / 1000} s (last: ${JSON.stringify(h)}); logs in ${clusterDir(o)}`,
      );
    if (Date.now() - note > 15_000) {
      log(`waiting for the cluster (${h ? `${h.status}, ${h.number_of_nodes} nodes` : "no answer"}) …`);
      note = Date.now();
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Starts every node (making certificates and the elastic password first when new), waits for green, returns the console's settings. */
export async function startCluster(o: ClusterOptions & { fresh?: boolean }): Promise<ClusterAccess> {
  const dir = clusterDir(o);
  if (o.fresh) {
    await stopCluster(o);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const home = o.home;
  const bootstrap = !fs.existsSync(path.join(dir, "console.password"));
  fs.mkdirSync(dir, { recursive: true });
  if (bootstrap) fs.writeFileSync(path.join(dir, "console.password"), randomBytes(18).toString("base64url") + "\n", { mode: 0o600 });
  ensureCertificates(home, o);
  log(`starting a ${o.nodes}-node secured cluster (${path.basename(home)}) on https://127.0.0.1:${o.port}–${o.port + o.nodes - 1} …`);
  for (let i = 0; i < o.nodes; i++) startNode(o, i, bootstrap);
  await waitForCluster(o, { status: ["green"], nodes: o.nodes });
  const access: ClusterAccess = {
    ELASTICSEARCH_URL: `https://127.0.0.1:${o.port}`,
    ELASTICSEARCH_API_KEY: await consoleApiKey(o),
    ELASTICSEARCH_CA_CERT: path.join(dir, "certs", "ca", "ca.crt"),
  };
  fs.writeFileSync(
    path.join(dir, "console.env"),
    Object.entries(access)
      .map(([k, v]) => `${k}=${v}`)
      .join("\n") + "\n",
    { mode: 0o600 },
  );
  log(`cluster green (${o.nodes} nodes)`);
  return clusterAccess(o);
}

/**
 * The console's API key (encoded, for `Authorization: ApiKey …`): the one made earlier when it still
 * authenticates, else a new one made by the file-realm user with the console's privileges.
 */
async function consoleApiKey(o: ClusterOptions): Promise<string> {
  const file = path.join(clusterDir(o), "console.apikey");
  const ca = fs.readFileSync(path.join(clusterDir(o), "certs", "ca", "ca.crt"));
  if (fs.existsSync(file)) {
    const key = fs.readFileSync(file, "utf8").trim();
    const c = new Client({ node: `https://127.0.0.1:${o.port}`, auth: { apiKey: key }, tls: { ca }, requestTimeout: 30_000 });
    try {
      await c.security.authenticate();
      return key;
    } catch {
      log("the stored console API key no longer authenticates; making a new one");
    } finally {
      await c.close();
    }
  }
  const admin = adminClient(o);
  try {
    const made = await admin.security.createApiKey(
      { name: "jukinet-console", role_descriptors: { jukinet_console: CONSOLE_KEY_ROLE } },
      // The first key creates the .security index: allow for a slow machine.
      { requestTimeout: 120_000 },
    );
    fs.writeFileSync(file, made.encoded + "\n", { mode: 0o600 });
    log(`made the console's API key ${made.id}`);
    return made.encoded;
  } finally {
    await admin.close();
  }
}

export function clusterAccess(o: ClusterOptions): ClusterAccess {
  const lines = fs
    .readFileSync(path.join(clusterDir(o), "console.env"), "utf8")
    .trim()
    .split("\n");
  return Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)])) as unknown as ClusterAccess;
}

/** Stops node i: SIGTERM, or SIGKILL (a crash) when `kill`. */
export async function stopNode(o: ClusterOptions, i: number, kill = false): Promise<void> {
  const pid = readPid(nodeDir(o, i));
  if (!pid) return;
  process.kill(pid, kill ? "SIGKILL" : "SIGTERM");
  for (let t = 0; t < 240; t++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  process.kill(pid, "SIGKILL");
}

export async function stopCluster(o: ClusterOptions): Promise<void> {
  await Promise.all(Array.from({ length: o.nodes }, (_, i) => stopNode(o, i)));
}

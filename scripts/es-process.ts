/**
 * What every Elasticsearch process this project starts has in common, single node (scripts/elasticsearch.ts) or
 * cluster node (scripts/es-cluster.ts): where archives and instances live, which Java runs them, and how the process
 * is launched — as an unprivileged system user when we are root (Elasticsearch refuses root), detached, its output
 * appended to the instance's console.log.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** Elasticsearch refuses to run as root; when we are root it runs as this system user. */
export const RUN_AS_USER = "jukinet-es";

export function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

/** Archives, instances and clusters: JUKINET_ES_DIR, else somewhere the unprivileged runner user can read when root. */
export function esBaseDir(): string {
  if (process.env.JUKINET_ES_DIR) return process.env.JUKINET_ES_DIR;
  return isRoot() ? "/var/tmp/jukinet-watch" : path.join(os.homedir(), ".cache", "jukinet-watch");
}

/** Java for Elasticsearch 8.x: 17 or later. ES_JAVA_HOME wins, then JAVA_HOME, then the default java. */
export function javaHome(): string {
  for (const candidate of [process.env.ES_JAVA_HOME, process.env.JAVA_HOME]) {
    if (candidate && fs.existsSync(path.join(candidate, "bin", "java"))) return candidate;
  }
  const java = execFileSync("bash", ["-c", 'readlink -f "$(command -v java)"'], { encoding: "utf8" }).trim();
  if (!java) throw new Error("no java found: install a JDK 17+ or set ES_JAVA_HOME");
  return path.resolve(path.dirname(java), "..");
}

function ensureRunnerUser(): void {
  if (spawnSync("id", ["-u", RUN_AS_USER], { stdio: "ignore" }).status === 0) return;
  const r = spawnSync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", RUN_AS_USER], { stdio: "inherit" });
  if (r.status !== 0) throw new Error(`could not create system user ${RUN_AS_USER} to run Elasticsearch (it refuses to run as root)`);
}

export interface ElasticsearchProcess {
  /** The unpacked archive. */
  home: string;
  /** ES_PATH_CONF. */
  conf: string;
  /** The instance's directory: es.pid, tmp/, console.log (and its data and logs, as its configuration says). */
  dir: string;
  heap: string;
  /** Other directories the process writes (a shared snapshot repository), handed to the runner user with `dir`. */
  writes?: string[];
}

/**
 * The environment of the archive's programs (the server and its tools: certutil, elasticsearch-plugin, …): its Java,
 * its configuration directory, and no JAVA_TOOL_OPTIONS (a caller's JVM options, not meant for Elasticsearch).
 */
export function esEnv(conf: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ES_JAVA_HOME: javaHome(), ES_PATH_CONF: conf, ...extra };
  delete env.JAVA_TOOL_OPTIONS;
  return env;
}

/**
 * Starts one Elasticsearch process, detached. The heap comes first in ES_JAVA_OPTS, the caller's ES_JAVA_OPTS after
 * it (npm test sets the C1 compiler only for its nodes: scripts/test.ts).
 */
export function spawnElasticsearch(p: ElasticsearchProcess): ChildProcess {
  const env = esEnv(p.conf, {
    ES_TMPDIR: path.join(p.dir, "tmp"),
    ES_JAVA_OPTS: `-Xms${p.heap} -Xmx${p.heap} ${process.env.ES_JAVA_OPTS ?? ""}`.trim(),
  });
  let cmd = path.join(p.home, "bin", "elasticsearch");
  let args = ["-p", path.join(p.dir, "es.pid")];
  if (isRoot()) {
    ensureRunnerUser();
    execFileSync("chown", ["-R", `${RUN_AS_USER}:${RUN_AS_USER}`, p.dir, ...(p.writes ?? [])]);
    args = [`--reuid=${RUN_AS_USER}`, `--regid=${RUN_AS_USER}`, "--init-groups", "--", cmd, ...args];
    cmd = "setpriv";
  }
  const out = fs.openSync(path.join(p.dir, "console.log"), "a");
  const child = spawn(cmd, args, { env, detached: true, stdio: ["ignore", out, out] });
  child.unref();
  return child;
}

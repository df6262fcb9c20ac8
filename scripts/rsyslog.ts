/**
 * A private instance of Debian's rsyslogd for tests and benchmarks: its own
 * configuration, work directory (queues, imfile state) and pid file, in the
 * foreground (-n) as a child process — never the system service. The
 * configurations are the ones the README gives node operators.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const RSYSLOGD = process.env.RSYSLOGD ?? "/usr/sbin/rsyslogd";
export const hasRsyslog = () => fs.existsSync(RSYSLOGD) && fs.existsSync("/usr/lib/x86_64-linux-gnu/rsyslog/omrelp.so");

export interface NodeTls {
  ca: string;
  cert: string;
  key: string;
}

/**
 * imfile tailing `file` (each line one event) → omrelp over TLS with a client certificate and a disk-assisted queue.
 * No large queue.dequeueBatchSize with a disk-assisted queue: with rsyslog 8.2302 and dequeueBatchSize 5000, 3 of
 * 20,000 messages never left rsyslog when the queue spilled to disk (README, "Shipping with rsyslog").
 */
export function relpConfig(o: { file: string; port: number; tls: NodeTls; workDir: string; tag?: string; windowSize?: number; queueSize?: number }): string {
  return `global(workDirectory="${o.workDir}" maxMessageSize="64k")
module(load="imfile" mode="inotify")
module(load="omrelp")
input(type="imfile" file="${o.file}" tag="${o.tag ?? "jukinet"}:" ruleset="ship" persistStateInterval="1000")
ruleset(name="ship") {
  action(type="omrelp" target="127.0.0.1" port="${o.port}" template="RSYSLOG_SyslogProtocol23Format"
         tls="on" tls.caCert="${o.tls.ca}" tls.myCert="${o.tls.cert}" tls.myPrivKey="${o.tls.key}"
         tls.authMode="name" tls.permittedPeer=["localhost"] windowSize="${o.windowSize ?? 1024}"
         queue.type="LinkedList" queue.filename="relp-queue" queue.size="${o.queueSize ?? 100000}"
         queue.saveOnShutdown="on" queue.maxDiskSpace="1g" action.resumeRetryCount="-1" action.resumeInterval="1")
}
*.* action(type="omfile" file="${o.workDir}/rsyslogd.log")
`;
}

/** imfile → omfwd: syslog over TLS (gtls), octet-counted framing, RFC 5424. */
export function syslogTlsConfig(o: { file: string; port: number; tls: NodeTls; workDir: string; tag?: string }): string {
  return `global(workDirectory="${o.workDir}" maxMessageSize="64k"
       defaultNetstreamDriver="gtls" defaultNetstreamDriverCAFile="${o.tls.ca}"
       defaultNetstreamDriverCertFile="${o.tls.cert}" defaultNetstreamDriverKeyFile="${o.tls.key}")
module(load="imfile" mode="inotify")
input(type="imfile" file="${o.file}" tag="${o.tag ?? "jukinet"}:" ruleset="ship" persistStateInterval="1000")
ruleset(name="ship") {
  action(type="omfwd" target="127.0.0.1" port="${o.port}" protocol="tcp" template="RSYSLOG_SyslogProtocol23Format"
         streamDriver="gtls" streamDriverMode="1" streamDriverAuthMode="x509/name" streamDriverPermittedPeers="localhost"
         tcp_framing="octet-counted"
         queue.type="LinkedList" queue.filename="fwd-queue" queue.size="100000"
         queue.saveOnShutdown="on" queue.maxDiskSpace="1g" action.resumeRetryCount="-1" action.resumeInterval="1")
}
*.* action(type="omfile" file="${o.workDir}/rsyslogd.log")
`;
}

/** The peer of bench:ingest: imfile → omelasticsearch (bulk mode) straight into `index`, each line its own document. */
export function omelasticsearchConfig(o: { file: string; port: number; index: string; workDir: string }): string {
  return `global(workDirectory="${o.workDir}" maxMessageSize="64k")
module(load="imfile" mode="inotify")
module(load="omelasticsearch")
template(name="line" type="list") { property(name="msg") }
input(type="imfile" file="${o.file}" tag="jukinet:" ruleset="ship" persistStateInterval="1000")
ruleset(name="ship") {
  action(type="omelasticsearch" server="127.0.0.1" serverport="${o.port}" searchIndex="${o.index}" template="line" esVersion.major="8"
         bulkmode="on" errorFile="${o.workDir}/omelasticsearch-errors.json"
         queue.type="LinkedList" queue.size="100000" queue.dequeueBatchSize="5000" action.resumeRetryCount="-1")
}
*.* action(type="omfile" file="${o.workDir}/rsyslogd.log")
`;
}

export interface Rsyslog {
  workDir: string;
  proc: ChildProcess;
  log(): string;
  stop(): Promise<void>;
}

export async function startRsyslog(workDir: string, conf: string): Promise<Rsyslog> {
  fs.mkdirSync(workDir, { recursive: true });
  const confFile = path.join(workDir, "rsyslog.conf");
  const pidFile = path.join(workDir, "rsyslogd.pid");
  fs.writeFileSync(confFile, conf);
  const check = spawn(RSYSLOGD, ["-N1", "-f", confFile], { stdio: ["ignore", "pipe", "pipe"] });
  let checkOut = "";
  check.stdout!.on("data", (d) => (checkOut += d));
  check.stderr!.on("data", (d) => (checkOut += d));
  const status = await new Promise<number | null>((r) => check.on("close", r));
  if (status !== 0) throw new Error(`rsyslogd refused its configuration:\n${checkOut}`);
  const proc = spawn(RSYSLOGD, ["-n", "-f", confFile, "-i", pidFile], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));
  return {
    workDir,
    proc,
    log: () => out + (fs.existsSync(path.join(workDir, "rsyslogd.log")) ? fs.readFileSync(path.join(workDir, "rsyslogd.log"), "utf8") : ""),
    async stop() {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * The project's own local PostgreSQL instance (for tests, the benches and trying
 * the PostgreSQL mode): Debian's server binaries (`apt-get install postgresql`,
 * installed here when missing and running as root), a cluster of its own under
 * var/postgres/<name>-<port> listening on 127.0.0.1 only, never the system service.
 *
 *   npm run postgres -- start | stop | url   [--name dev] [--port 55432] [--fresh] [--database jukinet]
 *
 * `start` prints the DATABASE_URL to use. PostgreSQL refuses to run as root: when
 * we are root the cluster runs as Debian's `postgres` system user.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { VAR_DIR } from "../lib/paths";

const log = (msg: string) => process.stderr.write(`[postgres] ${msg}\n`);
const RUN_AS_USER = "postgres";
const SUPERUSER = "jukinet";

export interface PgInstance {
  name: string;
  port: number;
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

/** Directory of initdb/pg_ctl of the newest installed major version, or undefined. */
function findBinDir(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!fs.existsSync(root)) return undefined;
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0], "bin") : undefined;
}

/** The server binaries; installs Debian's `postgresql` when missing and running as root. */
export function ensurePostgresInstalled(): string {
  let bin = findBinDir();
  if (bin) return bin;
  if (!isRoot()) throw new Error("PostgreSQL server binaries not found under /usr/lib/postgresql: install Debian's postgresql (apt-get install postgresql)");
  log("installing Debian's postgresql (apt-get)");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [
    ["update", "-qq"],
    ["install", "-y", "-qq", "postgresql"],
  ]) {
    const r = spawnSync("apt-get", args, { stdio: "inherit", env });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed`);
  }
  bin = findBinDir();
  if (!bin) throw new Error("apt-get install postgresql left no server binaries under /usr/lib/postgresql");
  return bin;
}

export function dataDir(i: PgInstance): string {
  return path.join(VAR_DIR, "postgres", `${i.name}-${i.port}`);
}

const passwordFile = (i: PgInstance) => path.join(VAR_DIR, "postgres", `${i.name}-${i.port}.password`);

/** Runs a server binary, as the `postgres` user when we are root. */
function runBin(bin: string, args: string[], quiet = false): void {
  const [cmd, argv] = isRoot() ? ["runuser", ["-u", RUN_AS_USER, "--", bin, ...args]] : [bin, args];
  const r = spawnSync(cmd, argv, { encoding: "utf8", cwd: "/" });
  if (r.status !== 0) throw new Error(`${path.basename(bin)} ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  if (!quiet && r.stdout.trim()) log(r.stdout.trim());
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on("error", () => resolve(false));
  });
}

/** Server URL of the instance (superuser, database `postgres` unless given). */
export function instanceUrl(i: PgInstance, database = "postgres"): string {
  const password = fs.readFileSync(passwordFile(i), "utf8").trim();
  return `postgresql://${SUPERUSER}:${password}@127.0.0.1:${i.port}/${database}`;
}

/** Starts the instance (initialising its cluster first when needed); returns its server URL. */
export async function startPostgres(i: PgInstance & { fresh?: boolean }): Promise<string> {
  const bin = ensurePostgresInstalled();
  const dir = dataDir(i);
  if (i.fresh) await stopPostgres(i);
  if (i.fresh) fs.rmSync(dir, { recursive: true, force: true });
  if (!fs.existsSync(path.join(dir, "PG_VERSION"))) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    // The server user must be able to reach its directory: var/ and var/postgres/ get search (x) permission only.
    if (isRoot()) for (const d of [VAR_DIR, path.dirname(dir)]) fs.chmodSync(d, fs.statSync(d).mode | 0o111);
    const pw = passwordFile(i);
    fs.writeFileSync(pw, randomBytes(18).toString("base64url") + "\n", { mode: 0o600 });
    if (isRoot()) spawnSync("chown", ["-R", `${RUN_AS_USER}:`, dir, pw]);
    // C locale: the same byte order of strings as SQLite's; UTF-8; password authentication even on loopback.
    runBin(path.join(bin, "initdb"), ["-D", dir, "-U", SUPERUSER, `--pwfile=${pw}`, "--auth=scram-sha-256", "--no-locale", "-E", "UTF8"], true);
    fs.appendFileSync(
      path.join(dir, "postgresql.conf"),
      [
        "",
        "# jukinet-watch local instance",
        "listen_addresses = '127.0.0.1'",
        `port = ${i.port}`,
        "unix_socket_directories = ''",
        "fsync = on",
        "max_connections = 100",
        "",
      ].join("\n"),
    );
    if (isRoot()) spawnSync("chown", ["-R", `${RUN_AS_USER}:`, dir]);
  }
  if (!(await portOpen(i.port))) {
    log(`starting PostgreSQL ${path.basename(path.dirname(bin))} on 127.0.0.1:${i.port} (${path.relative(process.cwd(), dir)})`);
    runBin(path.join(bin, "pg_ctl"), ["-D", dir, "-l", path.join(dir, "server.log"), "-w", "-t", "60", "start"], true);
  }
  return instanceUrl(i);
}

export async function stopPostgres(i: PgInstance): Promise<void> {
  const bin = findBinDir();
  const dir = dataDir(i);
  if (!bin || !fs.existsSync(path.join(dir, "postmaster.pid"))) return;
  try {
    runBin(path.join(bin, "pg_ctl"), ["-D", dir, "-m", "fast", "-w", "stop"], true);
  } catch (e) {
    log((e as Error).message);
  }
}

/** Drops and creates `database` on the instance at `serverUrl`; returns the database's URL. */
export async function recreateDatabase(serverUrl: string, database: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`bad database name ${database}`);
  const { Client } = (await import("pg")).default;
  const c = new Client({ connectionString: serverUrl });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${database}`);
  } finally {
    await c.end();
  }
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const inst = { name: arg("name", "dev")!, port: Number(arg("port", "55432")) };
  switch (process.argv[2]) {
    case "start": {
      const url = await startPostgres({ ...inst, fresh: process.argv.includes("--fresh") });
      const database = arg("database", "jukinet")!;
      const { Client } = (await import("pg")).default;
      const c = new Client({ connectionString: url });
      await c.connect();
      const exists = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
      if (!exists.rowCount) await c.query(`CREATE DATABASE ${database.replace(/[^a-z0-9_]/g, "")}`);
      await c.end();
      process.stdout.write(instanceUrl(inst, database) + "\n");
      return;
    }
    case "stop":
      return stopPostgres(inst);
    case "url":
      process.stdout.write(instanceUrl(inst, arg("database", "jukinet")) + "\n");
      return;
    default:
      log("usage: npm run postgres -- start | stop | url [--name dev] [--port 55432] [--fresh] [--database jukinet]");
      process.exit(2);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    log((e as Error).message);
    process.exit(1);
  });
}

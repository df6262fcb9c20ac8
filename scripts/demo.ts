/**
 * npm run demo — the first README command, after `npm install`:
 * local Elasticsearch → demo prefecture generated (deterministic) → registry
 * imported → events and IDS alerts ingested → console built and served on
 * http://localhost:3000, with the ingest gateway (syslog/TLS and RELP/TLS for
 * nodes) and — when Debian's rsyslog is installed — one node shipping through
 * a real rsyslogd. Stays in the foreground; Ctrl-C stops the console, the
 * gateway, the demo's rsyslogd and the local Elasticsearch.
 *
 * Options: --days 30 --scale 1 --seed 42 --port 3000 --keep-es (leave Elasticsearch running on exit)
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fiscalYear, jstParts } from "../lib/calendar";
import { ensureDemoAudit } from "./demo/audit";
import { ensureDemoChecklist } from "./demo/checklist";
import { ensureDemoIncidents } from "./demo/incidents";
import { ensureDemoReviews } from "./demo/reviews";
import { ensureDemoSystemWork } from "./demo/system-work";
import { ensureDemoTraining } from "./demo/training";
import { templateForYear } from "../domain/checklist/template";
import { config, elasticsearchUrl, sessionSecret } from "../lib/config";
import { disconnectDb } from "../lib/db";
import { es } from "../lib/es/client";
import { aliasName, ensureIndexTemplates } from "../lib/es/indices";
import { ingestFile } from "../domain/ingest/file";
import { runDetectors } from "../detectors/engine";
import { REPO_ROOT, VAR_DIR } from "../lib/paths";
import { systemScope } from "../lib/auth/scope";
import { importRegistry } from "../domain/registry/import";
import { importEquipment } from "../domain/registers/equipment";
import { DEMO_PASSWORD, DEMO_USERS, ensureDemoUsers } from "./demo/users";
import { startLocal, stopLocal } from "./elasticsearch";
import { setup } from "./setup";
import { startDemoShipper } from "./demo/shipper";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const step = (msg: string) => process.stderr.write(`\n▶ ${msg}\n`);
const info = (msg: string) => process.stderr.write(`  ${msg}\n`);

async function main() {
  const days = arg("days", "30");
  const scale = arg("scale", "1");
  const seed = arg("seed", "42");
  const port = arg("port", "3000");
  // The demo period ends yesterday (JST) so the console shows recent traffic.
  const end = jstParts(Date.now() - 24 * 3600 * 1000).dateKey;
  const out = path.join(VAR_DIR, "demo");

  if (!(await portIsFree(Number(port)))) throw new Error(`port ${port} is already in use (another console running?); stop it or pass --port`);

  step("1/7 set-up (pseudonymisation key, Prisma client, database migrations)");
  await setup();

  step("2/7 Elasticsearch");
  const managed = !process.env.ELASTICSEARCH_URL;
  if (managed) await startLocal({ name: "dev", port: config().ES_PORT });
  else info(`using ${elasticsearchUrl()}`);
  await ensureIndexTemplates();

  step(`3/7 generating the demo prefecture (山口県, 19 市町): ${days} days to ${end}, scale ${scale}, seed ${seed}`);
  const fingerprint = JSON.stringify({ days, scale, seed, end });
  const stamp = path.join(out, ".fingerprint");
  const current = fs.existsSync(stamp) ? fs.readFileSync(stamp, "utf8") : "";
  if (current !== fingerprint) {
    fs.rmSync(out, { recursive: true, force: true });
    const gen = spawnSync(
      process.execPath,
      [
        path.join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs"),
        path.join(REPO_ROOT, "scripts", "demo-generate.ts"),
        "--out",
        out,
        "--days",
        days,
        "--scale",
        scale,
        "--seed",
        seed,
        "--end",
        end,
      ],
      { stdio: ["ignore", "inherit", "inherit"] },
    );
    if (gen.status !== 0) throw new Error("demo generation failed");
  } else info("already generated for these settings");

  step("4/7 importing the demo registry");
  const registry = JSON.parse(fs.readFileSync(path.join(out, "registry.json"), "utf8"));
  info(JSON.stringify(await importRegistry(registry, systemScope("demo"))));
  // Registers (issue 17): the equipment register through its spreadsheet import, the card register as a registry section.
  const registersDir = path.join(out, "registers");
  if (fs.existsSync(registersDir)) {
    const equipment = await importEquipment(
      systemScope("demo"),
      { name: "equipment.csv", bytes: fs.readFileSync(path.join(registersDir, "equipment.csv")) },
      { dryRun: false },
    );
    info(`equipment register: ${equipment.stored} devices, ${equipment.problems.length} problems`);
    info(JSON.stringify(await importRegistry(JSON.parse(fs.readFileSync(path.join(registersDir, "cards.json"), "utf8")), systemScope("demo"))));
  }
  const created = await ensureDemoUsers();
  info(
    `demo users (password "${DEMO_PASSWORD}", second factor enrolled at first sign-in): ${DEMO_USERS.map((u) => `${u.loginId} (${u.role}, ${u.organizationId})`).join(", ")}${created.length ? ` — created ${created.length}` : ""}`,
  );
  // System-work records with link control (issue 18), among them seed 000's incident.
  const systemWorkFile = path.join(out, "system-work.json");
  if (fs.existsSync(systemWorkFile))
    info(`system-work records (連携制御記録): ${await ensureDemoSystemWork(JSON.parse(fs.readFileSync(systemWorkFile, "utf8")))}`);
  const checklist = await ensureDemoChecklist({
    prefectureId: "350001",
    fiscalYear: fiscalYear(Date.now()),
    reviewerLogin: "monitor",
    templateFor: templateForYear,
  });
  info(`self-inspection rounds: last year ${checklist.previous.created ? "created" : "kept"}, this year ${checklist.current.created ? "created" : "kept"}`);
  const { from: demoFrom, to: demoTo } = JSON.parse(fs.readFileSync(path.join(out, "labels.json"), "utf8"));
  const audit = await ensureDemoAudit({
    fiscalYear: fiscalYear(Date.now()),
    adminLogin: "admin",
    auditorLogin: "auditor",
    auditFrom: new Date(`${demoFrom.slice(0, 10)}T00:00:00+09:00`),
    auditTo: new Date(new Date(`${demoTo.slice(0, 10)}T00:00:00+09:00`).getTime() + 86_400_000),
  });
  info(`external audit of 7 municipalities with the demo auditor: ${audit ? "created" : "kept"}`);
  const incidents = await ensureDemoIncidents({ prefectureId: "350001", adminLogin: "admin", monitorLogin: "monitor" });
  info(`incident response: threat levels, contact chain and 4 incidents (one a drill) ${incidents ? "created" : "kept"}`);
  const reviews = await ensureDemoReviews({ prefectureId: "350001" });
  info(`log reviews: monthly schedules for every organisation, five months of reviews (宇部市 missed one) ${reviews ? "created" : "kept"}`);
  const training = await ensureDemoTraining({ seed });
  info(`training and drills register: the 19 市町's sessions of this and last fiscal year (美祢市 without a drill this year) ${training ? "created" : "kept"}`);

  step("5/7 ingesting demo events and IDS alerts (same pipeline as HTTP and the CLI)");
  const ingestedStamp = path.join(VAR_DIR, "demo-ingested");
  const previous = fs.existsSync(ingestedStamp) ? fs.readFileSync(ingestedStamp, "utf8") : "";
  if (previous && previous !== fingerprint) {
    info("the demo period moved since the last run: dropping the previous demo events and IDS alerts");
    await es().indices.delete({ index: `${aliasName("events")}-*,${aliasName("ids")}-*`, ignore_unavailable: true, allow_no_indices: true });
  }
  let total = 0;
  const started = Date.now();
  for (const [dir, stream] of [
    ["events", "events"],
    ["ids", "ids"],
  ] as const) {
    const folder = path.join(out, dir);
    if (!fs.existsSync(folder)) continue;
    for (const name of fs
      .readdirSync(folder)
      .filter((f) => f.endsWith(".ndjson"))
      .sort()) {
      const node = name.replace(/\.ndjson$/, "");
      const r = await ingestFile(stream, node, path.join(folder, name));
      total += r.accepted + r.duplicates;
      info(
        `${node.padEnd(12)} ${String(r.accepted).padStart(8)} stored ${String(r.duplicates).padStart(8)} already there ${r.rejected.length ? `${r.rejected.length} rejected (first: line ${r.rejected[0].line}: ${r.rejected[0].error})` : ""}`,
      );
    }
  }
  fs.writeFileSync(ingestedStamp, fingerprint);
  info(`${total} documents in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await es().indices.refresh({ index: `${aliasName("events")},${aliasName("ids")}` });

  step("6/7 running every detector over the demo period (the worker then keeps it current every 5 minutes)");
  const periodStart = new Date(Date.parse(`${end}T00:00:00+09:00`) - (Number(days) - 1) * 86_400_000);
  const detection = await runDetectors({ from: periodStart, to: new Date() }, { trigger: "cli" });
  for (const r of detection.rules)
    info(`${r.id.padEnd(28)} ${String(r.alerts).padStart(4)} alerts ${String(r.ms).padStart(6)} ms${r.error ? `  error: ${r.error}` : ""}`);
  await disconnectDb();

  step(`7/7 building and starting the console on http://localhost:${port}`);
  const nextBin = path.join(REPO_ROOT, "node_modules", "next", "dist", "bin", "next");
  // `next start` is a production server, which needs an explicit session key: the demo passes the one setup wrote.
  const env = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
    NEXTAUTH_SECRET: sessionSecret(),
  };
  const build = spawnSync(process.execPath, [nextBin, "build"], { cwd: REPO_ROOT, env, stdio: ["ignore", "inherit", "inherit"] });
  if (build.status !== 0) throw new Error("next build failed");
  const server = spawn(process.execPath, [nextBin, "start", "-p", port], { cwd: REPO_ROOT, env, stdio: ["ignore", "inherit", "inherit"] });
  const worker = spawn(
    process.execPath,
    [path.join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs"), path.join(REPO_ROOT, "scripts", "detect-worker.ts")],
    {
      cwd: REPO_ROOT,
      env,
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
  // The ingest gateway (npm run gateway) for nodes that ship with a syslog daemon.
  const gateway = spawn(process.execPath, ["--max-old-space-size=256", "--import", "tsx", path.join(REPO_ROOT, "gateway", "main.ts")], {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const gatewayUp = new Promise<boolean>((resolve) => {
    let out = "";
    gateway.stdout!.on("data", (d) => {
      process.stdout.write(d);
      out += d;
      if (out.includes("RELP over TLS on")) resolve(true);
    });
    gateway.on("exit", () => resolve(false));
  });
  let shipper: Awaited<ReturnType<typeof startDemoShipper>>;
  let stopping = false;
  const shutdown = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    server.kill("SIGTERM");
    worker.kill("SIGTERM");
    gateway.kill("SIGTERM");
    await shipper?.stop().catch(() => undefined);
    if (managed && !process.argv.includes("--keep-es")) await stopLocal({ name: "dev", port: config().ES_PORT });
    process.exit(code);
  };
  process.on("SIGINT", () => shutdown(0));
  process.on("SIGTERM", () => shutdown(0));
  server.on("exit", (code) => shutdown(code ?? 0));
  for (let i = 0; i < 120; i++) {
    const ok = await fetch(`http://localhost:${port}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) {
      process.stderr.write(
        `\n✔ Juki-net Watch is running: http://localhost:${port}  (Ctrl-C to stop)\n  sign in as admin / monitor / shimonoseki / yamaguchi-city / shimonoseki-admin with password ${DEMO_PASSWORD}\n`,
      );
      break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const c = config();
  if (await gatewayUp) {
    process.stderr.write(
      `✔ nodes connect to the ingest gateway: syslog over TLS (RFC 5425, octet-counted) on port ${c.GATEWAY_SYSLOG_PORT}, RELP over TLS on port ${c.GATEWAY_RELP_PORT};\n` +
        `  client certificate per node: npm run node:cert -- <nodeId> (CA ${path.join(c.NODE_CA_DIR, "ca.crt")}); rsyslog configuration: README "Shipping with rsyslog"\n`,
    );
    try {
      shipper = await startDemoShipper(c.GATEWAY_RELP_PORT);
      if (shipper)
        process.stderr.write(
          `✔ node CS-352012 ships ${path.relative(REPO_ROOT, shipper.file)} through a real rsyslogd (imfile → omrelp over TLS → gateway), one event every 30 s\n`,
        );
      else process.stderr.write("  (install rsyslog, rsyslog-gnutls and rsyslog-relp to see a node ship through a real rsyslogd)\n");
    } catch (e) {
      process.stderr.write(`  the demo's rsyslog shipper did not start: ${(e as Error).message}\n`);
    }
  } else
    process.stderr.write(
      `✖ the ingest gateway did not start (ports ${c.GATEWAY_SYSLOG_PORT}/${c.GATEWAY_RELP_PORT} in use? set GATEWAY_SYSLOG_PORT, GATEWAY_RELP_PORT)\n`,
    );
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}

main().catch(async (e) => {
  console.error(`\n✖ demo failed: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});

/**
 * e2e environment: a real Elasticsearch (fresh, own port), a fresh SQLite
 * database, seeded registry, events, alerts and users, and the console built
 * and served with `next start`. Returns the teardown.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../lib/paths";
import { E2E_DB_FILE, E2E_ES_PORT as ES_PORT, E2E_PORT as PORT, e2eEnvironment, PREBUILT_FLAG } from "./environment";
import { PASSWORD, STATE_FILE, USERS } from "./fixtures";

const log = (s: string) => process.stderr.write(`[e2e] ${s}\n`);

export default async function globalSetup() {
  fs.mkdirSync(path.dirname(E2E_DB_FILE), { recursive: true });
  for (const suffix of ["", "-journal", "-wal", "-shm"]) fs.rmSync(E2E_DB_FILE + suffix, { force: true });
  const env = e2eEnvironment();
  Object.assign(process.env, env);
  fs.rmSync(env.EVIDENCE_DIR, { recursive: true, force: true });

  const { runPrisma } = await import("../scripts/setup");
  const { startLocal, stopLocal } = await import("../scripts/elasticsearch");
  runPrisma(["migrate", "deploy"], { DATABASE_URL: env.DATABASE_URL });
  const managed = !process.env.ELASTICSEARCH_URL;
  if (managed) await startLocal({ name: "e2e", port: ES_PORT, fresh: true });

  log("seeding registry, events, alerts and users …");
  const state = await seed();
  fs.mkdirSync(path.dirname(STATE_FILE), { recursive: true });
  // Sessions of the previous run belong to another database and secret.
  fs.rmSync(path.join(path.dirname(STATE_FILE), "e2e-auth"), { recursive: true, force: true });
  fs.writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));

  const nextBin = path.join(REPO_ROOT, "node_modules", "next", "dist", "bin", "next");
  if (process.env[PREBUILT_FLAG] === "1") log("console built by npm test with this configuration");
  else {
    log("building the console (next build) …");
    const build = spawnSync(process.execPath, [nextBin, "build"], { cwd: REPO_ROOT, env: { ...process.env }, stdio: ["ignore", "ignore", "inherit"] });
    if (build.status !== 0) throw new Error("next build failed");
  }
  const server = spawn(process.execPath, [nextBin, "start", "-p", String(PORT)], {
    cwd: REPO_ROOT,
    env: { ...process.env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; ; i++) {
    if (
      await fetch(`http://localhost:${PORT}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i > 120) throw new Error("the console did not start");
    await new Promise((r) => setTimeout(r, 500));
  }
  log(`console on http://localhost:${PORT}`);
  return async () => {
    server.kill("SIGTERM");
    if (managed && !process.env.KEEP_TEST_ES) await stopLocal({ name: "e2e", port: ES_PORT });
  };
}

async function seed() {
  const { useFixtureRegistry, ev, ingest, resident, SHIMONOSEKI, YAMAGUCHI } = await import("../tests/integration/detectors/harness");
  const { runDetectors } = await import("../detectors/engine");
  const { searchAlerts } = await import("../domain/alerts");
  const { systemScope } = await import("../lib/auth/scope");
  const { createUser } = await import("../lib/auth/accounts");
  const { db } = await import("../lib/db");
  await useFixtureRegistry();
  // Recent traffic (so the dashboard's default 30-day range shows it) and two after-hours incidents.
  const now = Date.now();
  const jst = (t: number) => new Date(t + 9 * 3600_000).toISOString().replace("Z", "+09:00");
  const dayStart = (daysAgo: number) => Math.floor((now + 9 * 3600_000) / 86_400_000 - daysAgo) * 86_400_000 - 9 * 3600_000;
  const events: Record<string, unknown>[] = [];
  for (let d = 1; d <= 6; d++) {
    for (let i = 0; i < 60; i++) {
      const t = dayStart(d) + (9 * 60 + i * 7) * 60_000;
      const org = i % 3 === 0 ? YAMAGUCHI : SHIMONOSEKI;
      events.push(ev({ t: jst(t), org, user: `OP-${org}-00${(i % 2) + 1}`, action: i % 4 === 0 ? "view" : "search", resident: resident(d * 100 + i) }));
    }
  }
  events.push(ev({ t: jst(dayStart(2) + 22 * 3600_000 + 5 * 60_000), user: `OP-${SHIMONOSEKI}-003`, resident: resident(9001) }));
  events.push(ev({ t: jst(dayStart(3) + 23 * 3600_000), org: YAMAGUCHI, user: `OP-${YAMAGUCHI}-002`, resident: resident(9002) }));
  events.push(ev({ t: jst(dayStart(4) + 22 * 3600_000), org: YAMAGUCHI, user: `OP-${YAMAGUCHI}-003`, resident: resident(9003) }));
  // Resident disclosure: 山口市 handles resident 7777, whose record the national centre provided twice; 7778 is a stranger to 山口市.
  events.push(ev({ t: jst(dayStart(5) + 10 * 3600_000), org: YAMAGUCHI, user: `OP-${YAMAGUCHI}-002`, resident: resident(7777) }));
  for (const [d, recipient, item, who] of [
    [4, "nenkin-kiko", "1-1", 7777],
    [3, "kokuzeicho", "1-2", 7777],
    [3, "nenkin-kiko", "1-1", 7778],
  ] as const) {
    events.push(
      ev({
        t: jst(dayStart(d) + 14 * 3600_000),
        org: "000001",
        action: "provide",
        schedule: "1",
        item,
        recipient,
        channel: "immediate",
        resident: resident(who),
      }),
    );
  }
  await ingest(events);
  // One IDS alert from the prefecture's sensor: the dashboard reads sensors from the IDS index.
  const { ingestLines } = await import("../domain/ingest/pipeline");
  const eve = {
    timestamp: jst(dayStart(1) + 10 * 3600_000).replace(/\.\d{3}\+09:00$/, ".000000+0900"),
    event_type: "alert",
    src_ip: "198.51.100.2",
    src_port: 40000,
    dest_ip: "172.16.0.10",
    dest_port: 445,
    proto: "TCP",
  };
  const alert = { signature_id: 2001219, signature: "ET SCAN Potential SSH Scan", category: "Attempted Information Leak", severity: 2 };
  const ids = (async function* () {
    yield [{ number: 1, text: JSON.stringify({ ...eve, alert }) }];
  })();
  const idsResult = await ingestLines("ids", ids, { id: "IDS-350001", type: "ids_sensor", organizationId: "350001" });
  if (idsResult.rejected.length) throw new Error(`IDS fixture rejected: ${JSON.stringify(idsResult.rejected)}`);
  const from = new Date(dayStart(8)).toISOString();
  const to = new Date(now).toISOString();
  await runDetectors({ from: new Date(from), to: new Date(to) }, { rules: ["after-hours-access"], trigger: "test" });
  const { alerts } = await searchAlerts({ from, to }, systemScope("test"));
  const byOrg: Record<string, { id: string; entity: string }[]> = {};
  for (const a of alerts) (byOrg[a.organization.id] ??= []).push({ id: a.id, entity: a.entity.id });

  for (const [key, u] of Object.entries(USERS)) {
    await createUser({ loginId: u.loginId, name: `e2e ${key}`, role: u.role, organizationId: u.organizationId, password: PASSWORD, totpSecret: u.secret });
  }
  // An engagement whose access period is over.
  const auditor = await db().user.findUniqueOrThrow({ where: { loginId: USERS.expiredAuditor.loginId } });
  const expired = await db().auditEngagement.create({
    data: {
      firm: "e2e 監査法人",
      prefectureId: "350001",
      fiscalYear: 2025,
      accessFrom: new Date(now - 60 * 86_400_000),
      accessTo: new Date(now - 30 * 86_400_000),
      organizations: { create: [{ organizationId: SHIMONOSEKI }] },
      auditors: { create: [{ userId: auditor.id }] },
    },
  });
  // Last fiscal year's self-inspection, all accepted: this year's round carries it over as reference.
  const { seedChecklistRound } = await import("../scripts/demo/checklist");
  const { fiscalYear } = await import("../lib/calendar");
  const { templateForYear } = await import("../domain/checklist/template");
  const monitor = await db().user.findUniqueOrThrow({ where: { loginId: USERS.monitor.loginId } });
  const officer = await db().user.findUniqueOrThrow({ where: { loginId: USERS.shimonoseki.loginId } });
  const lastYear = fiscalYear(now) - 1;
  await seedChecklistRound({
    prefectureId: "350001",
    fiscalYear: lastYear,
    template: templateForYear(lastYear),
    openedAt: new Date(now - 300 * 86_400_000),
    deadline: new Date(now - 200 * 86_400_000),
    states: { [SHIMONOSEKI]: "accepted", [YAMAGUCHI]: "accepted" },
    actor: { id: officer.id, login: officer.loginId },
    reviewer: { id: monitor.id, login: monitor.loginId },
  });
  // Incident response: one incident at 下関市 with an open investigation request (the page walk opens both).
  const { openIncident, requestInvestigation } = await import("../domain/incidents");
  const monitorActor = { kind: "user" as const, id: monitor.id, login: monitor.loginId, role: "monitor" as const, organizationId: "350001" };
  const incident = await openIncident(monitorActor, { title: "e2e 事案", kind: "failure", level: 2, organizations: [SHIMONOSEKI], summary: "e2e" });
  await requestInvestigation(monitorActor, { organizationId: SHIMONOSEKI, question: "e2e 調査依頼", due: "2099-12-31", incidentId: incident });
  // Registers (issue 17): one security training of 下関市 this fiscal year (the page walk opens it).
  await db().trainingSession.create({
    data: {
      organizationId: SHIMONOSEKI,
      kind: "security_training",
      title: "e2e セキュリティ研修",
      heldOn: new Date(now),
      participantCount: 3,
      recordedBy: "e2e",
    },
  });
  return { from, to, alerts: byOrg, expiredEngagement: expired.id };
}

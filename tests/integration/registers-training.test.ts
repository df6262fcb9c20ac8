/**
 * The training and drills register (issue 17) against the real database and
 * Elasticsearch: scope (another municipality's session is refused, its
 * organisation 403, its session 404), validation against the registry, the
 * figures the checklist suggestions show for the training/drill signals, the
 * reminders reader (operators without training this fiscal year) with its
 * notification events sent once per period, and the audit report's table.
 *
 * Everything happens in fiscal year 2031 (no other test uses it) and is
 * removed afterwards; the integration database is shared.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { suggestionsFor } from "../../domain/checklist/suggestions";
import { registerTables } from "../../domain/audits/report";
import { notifyMany } from "../../domain/notifications/notify";
import { countReminders, registerReminders, reminderEvents } from "../../domain/registers/reminders";
import type { ReminderSource } from "../../domain/registers/sources";
import { getSession, listSessions, readMaterial, recordSession, TrainingError, trainingFigures, untrainedOperators } from "../../domain/registers/training";
import { createUser } from "../../lib/auth/accounts";
import { AuthError, type Principal } from "../../lib/auth/principal";
import { scopeOf } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { fiscalYearPeriod } from "../../domain/statistics/period";
import { SHIMONOSEKI, useFixtureRegistry, YAMAGUCHI } from "./detectors/harness";
import { ensureDemoTraining } from "../../scripts/demo/training";

const FY = 2031;
const NOW = new Date("2032-01-15T12:00:00+09:00");
const IN_YEAR = "2031-10-01";

let officer: Principal, otherOfficer: Principal, monitor: Principal, auditor: Principal;

async function user(loginId: string, role: Principal["role"], organizationId: string): Promise<Principal> {
  const u = await createUser({ loginId, name: loginId, role, organizationId, password: "training integration password" });
  return { kind: "user" as const, id: u.id, login: u.loginId, role, organizationId };
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (x) => x,
  );

async function cleanUp() {
  const { from, to } = fiscalYearPeriod(FY);
  await db().trainingSession.deleteMany({
    where: { organizationId: { in: [SHIMONOSEKI, YAMAGUCHI] }, OR: [{ heldOn: { gte: from, lt: to } }, { title: { startsWith: "training-it" } }] },
  });
}

const operatorsOf = async (org: string) =>
  (await db().operator.findMany({ where: { organizationId: org, kind: "person" }, select: { id: true }, orderBy: { id: "asc" } })).map((o) => o.id);

beforeAll(async () => {
  await useFixtureRegistry();
  officer = await user("training-officer", "municipal_officer", SHIMONOSEKI);
  otherOfficer = await user("training-other-officer", "municipal_officer", YAMAGUCHI);
  monitor = await user("training-monitor", "monitor", "350001");
  auditor = await user("training-auditor", "auditor", "350001");
  await cleanUp();
});

afterAll(cleanUp);

describe("training register: scope and validation", () => {
  it("records a drill with a material; another municipality's officer is refused its organisation (403) and its session (404)", async () => {
    const ops = await operatorsOf(SHIMONOSEKI);
    expect(ops.length).toBeGreaterThan(0);
    const id = await recordSession(
      officer,
      {
        organizationId: SHIMONOSEKI,
        kind: "emergency_drill",
        title: "training-it 緊急時対応訓練",
        heldOn: IN_YEAR,
        participantCount: "5",
        operators: ops[0],
        outcome: "連絡網を確認",
        files: [{ name: "訓練記録.txt", bytes: Buffer.from("drill record\n") }],
      },
      NOW,
    );
    const s = await getSession(officer, id);
    expect(s.participants.map((p) => p.operatorId)).toEqual([ops[0]]);
    expect(s.materials).toHaveLength(1);
    expect((await readMaterial(officer, s.materials[0].id)).bytes.toString()).toBe("drill record\n");

    // 山口市's officer: the session is not found, its material neither, the organisation is outside the scope.
    const e = await failure(getSession(otherOfficer, id));
    expect(e).toBeInstanceOf(TrainingError);
    expect((e as TrainingError).code).toBe("not_found");
    expect(((await failure(readMaterial(otherOfficer, s.materials[0].id))) as AuthError).status).toBe(404);
    expect(((await failure(listSessions(otherOfficer, { organizationId: SHIMONOSEKI }))) as AuthError).status).toBe(403);
    expect((await listSessions(otherOfficer, { fiscalYear: FY })).some((r) => r.id === id)).toBe(false);
    const write = await failure(
      recordSession(otherOfficer, { organizationId: SHIMONOSEKI, kind: "security_training", title: "x", heldOn: IN_YEAR, participantCount: 1 }, NOW),
    );
    expect((write as AuthError).status).toBe(403);
    expect(await db().trainingSession.count({ where: { title: "x", organizationId: SHIMONOSEKI } })).toBe(0);
    // The prefecture's monitor sees it; auditors have no access to the register pages.
    expect((await listSessions(monitor, { organizationId: SHIMONOSEKI, fiscalYear: FY })).some((r) => r.id === id)).toBe(true);
    expect(((await failure(listSessions(auditor))) as AuthError).status).toBe(403);
  });

  it("names the field of bad input: unknown or foreign operators, a future day, a count below the operators, a link on a training", async () => {
    const [foreign] = await operatorsOf(YAMAGUCHI);
    const base = { organizationId: SHIMONOSEKI, kind: "security_training", title: "training-it bad", heldOn: IN_YEAR, participantCount: "3" };
    const code = async (input: Partial<typeof base> & Record<string, unknown>) => {
      const e = await failure(recordSession(officer, { ...base, ...input } as never, NOW));
      expect(e).toBeInstanceOf(TrainingError);
      return `${(e as TrainingError).code}: ${(e as TrainingError).message}`;
    };
    expect(await code({ operators: "OP-NOPE-1" })).toMatch(/^bad_operator: operators: OP-NOPE-1/);
    expect(await code({ operators: foreign })).toMatch(/^bad_operator/);
    expect(await code({ heldOn: "2032-02-01" })).toMatch(/^bad_input: heldOn: .* future/);
    expect(await code({ heldOn: "2031-02-30" })).toMatch(/^bad_input: heldOn/);
    expect(await code({ kind: "picnic" })).toMatch(/^bad_input: kind/);
    expect(await code({ participantCount: "-1" })).toMatch(/^bad_input: participantCount/);
    expect(await code({ incidentId: "1" })).toMatch(/^bad_incident/);
    expect(await code({ files: [{ name: "evil.exe", bytes: Buffer.from("MZ") }] })).toMatch(/^file/);
    expect(await db().trainingSession.count({ where: { title: "training-it bad" } })).toBe(0);
  });
});

describe("training register: figures, reminders, audit table", () => {
  it("gives the checklist suggestions the year's sessions, drills and operators trained out of operators", async () => {
    const ops = await operatorsOf(SHIMONOSEKI);
    const before = await trainingFigures(await scopeOf(officer), SHIMONOSEKI, FY);
    await recordSession(
      officer,
      {
        organizationId: SHIMONOSEKI,
        kind: "security_training",
        title: "training-it 研修",
        heldOn: "2031-06-10",
        participantCount: "",
        operators: ops.slice(0, 2).join(", "),
      },
      NOW,
    );
    // A session of the year before does not count.
    await recordSession(
      officer,
      { organizationId: SHIMONOSEKI, kind: "security_training", title: "training-it 前年度", heldOn: "2031-03-31", participantCount: 1 },
      NOW,
    );
    const s = await suggestionsFor(await scopeOf(officer), SHIMONOSEKI, FY, NOW);
    expect(s.signals.training_sessions?.value).toBe(before.training_sessions.value + 1);
    expect(s.signals.drills?.value).toBe(before.drills.value);
    expect(s.signals.drills?.value).toBeGreaterThanOrEqual(1);
    expect(s.signals.operators_trained).toMatchObject({ value: Math.min(2, ops.length), of: ops.length });
    expect(s.signals.drills?.href).toBe(`/registers/training?organization=${SHIMONOSEKI}&fy=${FY}&kind=emergency_drill`);
    // 山口市's figures are its own (none of 下関市's sessions), and 下関市's officer may not ask for them.
    const other = await trainingFigures(await scopeOf(otherOfficer), YAMAGUCHI, FY);
    expect(other.training_sessions.value).toBe(0);
    expect(((await failure(suggestionsFor(await scopeOf(officer), YAMAGUCHI, FY, NOW))) as AuthError).status).toBe(403);
  });

  it("reminds of the operators without training this fiscal year, in scope only, and notifies each organisation and kind once a month", async () => {
    const ops = await operatorsOf(SHIMONOSEKI);
    const reminders = await registerReminders(await scopeOf(officer), NOW);
    const untrained = reminders.filter((r) => r.kind === "operator_untrained").map((r) => r.subject);
    expect(untrained).toEqual(ops.slice(2));
    expect(untrained).toEqual((await untrainedOperators(await scopeOf(officer), FY, SHIMONOSEKI)).map((o) => o.id));
    expect(reminders.every((r) => r.organizationId === SHIMONOSEKI)).toBe(true);
    // The reader takes every source and keeps only the scope's organisations.
    const extra: ReminderSource = async () => [
      { kind: "card_not_returned", organizationId: SHIMONOSEKI, subject: "IC-1", due: null, href: "/registers/cards?organization=352012" },
      { kind: "card_not_returned", organizationId: YAMAGUCHI, subject: "IC-2", due: null, href: "/registers/cards?organization=352039" },
    ];
    const merged = await registerReminders(await scopeOf(officer), NOW, [extra]);
    expect(merged.map((r) => r.subject)).toEqual(["IC-1"]);
    const counts = countReminders([...reminders, ...merged]);
    expect(counts.map((c) => c.kind)).toEqual(ops.length > 2 ? ["card_not_returned", "operator_untrained"] : ["card_not_returned"]);
    expect(counts[0]).toEqual({ kind: "card_not_returned", count: 1, href: "/registers/cards?organization=352012" });

    // One event per organisation and kind, keyed by month: a second pass in the same month sends nothing.
    const events = reminderEvents(reminders, NOW);
    expect(events.every((e) => e.type === "register.reminder" && e.dedupeKey?.endsWith(":2032.01"))).toBe(true);
    if (!events.length) return;
    const first = await notifyMany(events, NOW);
    expect(first.filter((r) => r.created)).toHaveLength(events.length);
    const again = await notifyMany(reminderEvents(await registerReminders(await scopeOf(officer), NOW), NOW), new Date(NOW.getTime() + 60_000));
    expect(again.filter((r) => r.created)).toHaveLength(0);
    expect(reminderEvents(reminders, new Date("2032-02-15T12:00:00+09:00"))[0].dedupeKey).not.toBe(events[0].dedupeKey);
  });

  it("lists the period's sessions in the audit report's register table, and an empty table for a period without", async () => {
    const scope = await scopeOf(monitor);
    const { from, to } = fiscalYearPeriod(FY);
    // Every register lists its tables (equipment, cards, training); this file judges the training register's.
    const training = (tables: Awaited<ReturnType<typeof registerTables>>) => tables.find((x) => x.title === "registers.training.audit.title")!;
    const table = training(await registerTables(scope, SHIMONOSEKI, { from, to }));
    expect(table.rows.map((r) => r[2])).toEqual(["training-it 研修", "training-it 緊急時対応訓練"]);
    expect(table.rows[1].slice(0, 2)).toEqual(["2031/10/01", "緊急時対応訓練"]);
    const empty = training(
      await registerTables(scope, SHIMONOSEKI, { from: new Date("2040-04-01T00:00:00+09:00"), to: new Date("2041-04-01T00:00:00+09:00") }),
    );
    expect(empty.rows).toEqual([]);
    expect(((await failure(registerTables(await scopeOf(otherOfficer), SHIMONOSEKI, { from, to }))) as AuthError).status).toBe(403);
  });
});

describe("training register: the demo", () => {
  it("records the same sessions for the registered 市町 each time (deterministic), this and last fiscal year, none after today; kept when present", async () => {
    const now = new Date("2026-12-02T12:00:00+09:00");
    const demoRows = async () =>
      (
        await db().trainingSession.findMany({
          where: { title: { endsWith: "（デモ）" } },
          include: { participants: true },
          orderBy: [{ organizationId: "asc" }, { heldOn: "asc" }, { kind: "asc" }],
        })
      ).map((x) =>
        [
          x.organizationId,
          x.kind,
          x.heldOn.toISOString(),
          x.participantCount,
          x.participants
            .map((p) => p.operatorId)
            .sort()
            .join(","),
        ].join("|"),
      );
    const wipe = () => db().trainingSession.deleteMany({ where: { title: { endsWith: "（デモ）" } } });
    await wipe();
    try {
      expect(await ensureDemoTraining({ now, seed: "42" })).toBe(true);
      expect(await ensureDemoTraining({ now, seed: "42" })).toBe(false);
      const first = await demoRows();
      await wipe();
      await ensureDemoTraining({ now, seed: "42" });
      expect(await demoRows()).toEqual(first);
      const city = first.filter((row) => row.startsWith(SHIMONOSEKI));
      expect(city.some((row) => row.includes("emergency_drill|2026-"))).toBe(true);
      expect(city.some((row) => row.includes("security_training|2025-"))).toBe(true);
      expect(first.every((row) => row.split("|")[2] <= now.toISOString())).toBe(true);
    } finally {
      await wipe();
    }
  });
});

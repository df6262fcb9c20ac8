/**
 * The archive tier against the real Elasticsearch (with path.repo from
 * scripts/elasticsearch.ts) and database: archive → verify → delete →
 * restore gives back exactly the same documents; a kill between snapshot and
 * deletion leaves the month searchable and a rerun completes it; release;
 * the end of the total period deletes the snapshot; a second run does nothing.
 *
 * The months used (1998) belong to no other test file; every pass is limited
 * to them (`months`), since the integration cluster is shared.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runArchivePass } from "../../domain/archive/job";
import { snapshotState } from "../../domain/archive/es-ops";
import { archivedPartOf, releaseMonth, restoreMonth } from "../../domain/archive/restore";
import { alertsIndex, ensureAlertsIndex } from "../../domain/alerts/store";
import { systemScope } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { es } from "../../lib/es/client";
import { aliasName, ensureIndexTemplates } from "../../lib/es/indices";
import { scopedSearch } from "../../lib/es/scoped";
import { REPO_ROOT } from "../../lib/paths";

const NOW = new Date("1999-06-10T00:00:00Z"); // hot from 1998-06 (13 months), kept from 1992-07
const actor = { actorLogin: "archive-test" };
const scope = systemScope("test");

async function seedEvents(month: string, n: number): Promise<string[]> {
  await ensureIndexTemplates();
  const index = `${aliasName("events")}-${month.replace("-", ".")}`;
  const ids = Array.from({ length: n }, (_, i) => `arch-${month}-${String(i).padStart(3, "0")}`);
  await es().bulk({
    refresh: true,
    operations: ids.flatMap((id, i) => [
      { create: { _index: index, _id: id } },
      { "@timestamp": `${month}-0${1 + (i % 9)}T03:00:00Z`, event: { id, action: "search", outcome: "success" }, organization: { id: "352012" } },
    ]),
  });
  return ids;
}

/** The ids of a month's events found through the read alias and the scoped helper. */
async function searchableIds(month: string): Promise<string[]> {
  const from = `${month}-01T00:00:00+09:00`;
  const [y, m] = month.split("-").map(Number);
  const to = new Date(Date.UTC(y, m, 1) - 9 * 3_600_000).toISOString();
  await es().indices.refresh({ index: aliasName("events"), ignore_unavailable: true, allow_no_indices: true });
  const res = await scopedSearch(scope, "events", { size: 1000, _source: false, query: { range: { "@timestamp": { gte: from, lt: to } } } });
  return res.hits.hits.map((h) => h._id!).sort();
}

const record = (stream: string, month: string) => db().archivedMonth.findUnique({ where: { stream_month: { stream, month } } });

afterAll(async () => {
  for (const m of ["1998-03", "1998-04", "1998-05"]) {
    const r = await record("events", m);
    if (r)
      await es()
        .snapshot.delete({ repository: r.repository, snapshot: r.snapshot })
        .catch(() => {});
  }
  await es().indices.delete({ index: `${aliasName("events")}-1998.*`, ignore_unavailable: true });
  await db().archivedMonth.deleteMany({ where: { month: { startsWith: "1998-" } } });
});

describe("archive tier", () => {
  it("archives a month leaving the hot period (snapshot, verify, delete) and restores exactly the same documents", async () => {
    const ids = await seedEvents("1998-03", 37);
    expect(await searchableIds("1998-03")).toEqual(ids);

    const out = await runArchivePass({ now: NOW, streams: ["events"], months: ["1998-03"], log: () => {} });
    expect(out).toEqual([{ stream: "events", month: "1998-03", action: "archived" }]);
    const rec = await record("events", "1998-03");
    expect(rec).toMatchObject({ state: "archived", docCount: 37, sourceIndex: `${aliasName("events")}-1998.03` });
    expect(rec!.verifiedAt).toBeTruthy();
    expect(rec!.deletedAt!.getTime()).toBeGreaterThanOrEqual(rec!.verifiedAt!.getTime());
    expect((await snapshotState(rec!.repository, rec!.snapshot))?.state).toBe("SUCCESS");
    expect(await es().indices.exists({ index: rec!.sourceIndex })).toBe(false);
    expect(await searchableIds("1998-03")).toEqual([]);
    expect(await archivedPartOf("events", new Date("1998-02-15T00:00:00Z"), new Date("1998-04-15T00:00:00Z"))).toEqual({
      archived: ["1998-03"],
      restored: [],
      expired: [],
    });

    // Run twice: nothing is done twice.
    const before = rec!.updatedAt;
    expect(await runArchivePass({ now: NOW, streams: ["events"], months: ["1998-03"], log: () => {} })).toEqual([]);
    expect((await record("events", "1998-03"))!.updatedAt).toEqual(before);

    await expect(restoreMonth("events", "1998-03", "  ", actor)).rejects.toThrow(/reason/);
    const r = await restoreMonth("events", "1998-03", "開示請求 令和10年第12号", actor);
    expect(r.docCount).toBe(37);
    expect(await searchableIds("1998-03")).toEqual(ids);
    // Restoring again changes nothing (no duplicates).
    await restoreMonth("events", "1998-03", "開示請求 令和10年第12号", actor);
    expect(await searchableIds("1998-03")).toEqual(ids);
    expect((await record("events", "1998-03"))!.state).toBe("restored");
    // A restored month is not archived again by the job.
    expect(await runArchivePass({ now: NOW, streams: ["events"], months: ["1998-03"], log: () => {} })).toEqual([]);
    expect(await db().consoleAuditEvent.count({ where: { action: "archive_month_restored", target: "events 1998-03" } })).toBeGreaterThanOrEqual(1);

    await releaseMonth("events", "1998-03", actor);
    expect(await searchableIds("1998-03")).toEqual([]);
    expect((await record("events", "1998-03"))!.state).toBe("archived");
    expect(await db().consoleAuditEvent.count({ where: { action: "archive_month_released", target: "events 1998-03" } })).toBe(1);
  });

  it("a kill between snapshot and deletion leaves the month searchable; a rerun completes it", async () => {
    const ids = await seedEvents("1998-04", 12);
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(REPO_ROOT, "scripts", "archive.ts"), "run", "--stream", "events", "--month", "1998-04", "--now", NOW.toISOString()],
      { cwd: REPO_ROOT, env: { ...process.env, ARCHIVE_TEST_PAUSE_AFTER: "snapshot" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let err = "";
    const paused = new Promise<void>((resolve, reject) => {
      child.stderr.on("data", (d: Buffer) => {
        err += d.toString();
        if (err.includes("paused after snapshot")) resolve();
      });
      child.on("exit", (code) => reject(new Error(`archive exited (${code}) before pausing:\n${err}`)));
    });
    await paused;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await exited;

    const rec = await record("events", "1998-04");
    expect(rec?.state).toBe("snapshotting");
    expect((await snapshotState(rec!.repository, rec!.snapshot))?.state).toBe("SUCCESS");
    expect(await searchableIds("1998-04")).toEqual(ids);

    const out = await runArchivePass({ now: NOW, streams: ["events"], months: ["1998-04"], log: () => {} });
    expect(out).toEqual([{ stream: "events", month: "1998-04", action: "archived" }]);
    expect(await record("events", "1998-04")).toMatchObject({ state: "archived", docCount: 12 });
    expect(await searchableIds("1998-04")).toEqual([]);
    await restoreMonth("events", "1998-04", "監査", actor);
    expect(await searchableIds("1998-04")).toEqual(ids);
    await releaseMonth("events", "1998-04", actor);
  });

  it("deletes the snapshot at the end of the total period", async () => {
    const rec = await record("events", "1998-03");
    expect(rec?.state).toBe("archived");
    // At 2005-06 (84 months kept): from 1998-07 on, so 1998-03 and 1998-04 are past.
    const out = await runArchivePass({ now: new Date("2005-06-10T00:00:00Z"), streams: ["events"], months: ["1998-03"], log: () => {} });
    expect(out).toEqual([{ stream: "events", month: "1998-03", action: "expired" }]);
    expect(await snapshotState(rec!.repository, rec!.snapshot)).toBeUndefined();
    expect(await record("events", "1998-03")).toMatchObject({ state: "expired" });
    await expect(restoreMonth("events", "1998-03", "監査", actor)).rejects.toThrow(/expired/);
  });

  it("archives a month of a single-index stream (alerts) by extracting it, and restores it behind the alerts alias", async () => {
    await ensureAlertsIndex();
    const ids = Array.from({ length: 5 }, (_, i) => `arch-alert-${i}`);
    const keep = "arch-alert-june";
    await es().bulk({
      refresh: true,
      operations: [...ids.map((id) => [id, "1998-05-10T01:00:00Z"] as const), [keep, "1998-06-02T01:00:00Z"] as const].flatMap(([id, at]) => [
        { index: { _index: alertsIndex(), _id: id } },
        {
          id,
          "@timestamp": at,
          rule: { id: "bulk-query", name: "x", name_en: "x" },
          severity: "low",
          risk_score: 1,
          window: { start: at, end: at },
          entity: { type: "user", id: "u" },
          organization: { id: "352012" },
          summary: "archive test",
          status: "closed",
          evidence: {},
          detection: { first_seen: at, last_seen: at },
        },
      ]),
    });
    const alertIds = async () =>
      (await scopedSearch(scope, "alerts", { size: 100, _source: false, query: { prefix: { id: "arch-alert-" } } })).hits.hits.map((h) => h._id!).sort();
    try {
      // Alerts stay hot 25 months: at 2000-08, 1998-05 has left the hot period (the test's other alert is not asked for).
      const out = await runArchivePass({ now: new Date("2000-08-10T00:00:00Z"), streams: ["alerts"], months: ["1998-05"], log: () => {} });
      expect(out).toEqual([{ stream: "alerts", month: "1998-05", action: "archived" }]);
      expect(await record("alerts", "1998-05")).toMatchObject({ state: "archived", docCount: 5 });
      await es().indices.refresh({ index: alertsIndex() });
      expect(await alertIds()).toEqual([keep]);
      await restoreMonth("alerts", "1998-05", "監査", actor);
      expect(await alertIds()).toEqual([...ids, keep].sort());
      await releaseMonth("alerts", "1998-05", actor);
      expect(await alertIds()).toEqual([keep]);
    } finally {
      const r = await record("alerts", "1998-05");
      if (r)
        await es()
          .snapshot.delete({ repository: r.repository, snapshot: r.snapshot })
          .catch(() => {});
      await es().bulk({ refresh: true, operations: [...ids, keep].map((id) => ({ delete: { _index: `${alertsIndex()}-v1`, _id: id } })) });
    }
  });
});

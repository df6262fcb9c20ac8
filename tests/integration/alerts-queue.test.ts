/**
 * The alert queue against a real Elasticsearch and SQLite: paging past the
 * result window (10,000) with a stable order, sorting, select-all, triage
 * transitions, assignment only to users covering the alert, comments.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  alertsIndex,
  assigneeCoverage,
  assigneesFor,
  getAlert,
  indexAlerts,
  matchingAlertIds,
  queueAlerts,
  TriageError,
  triageAlerts,
  type AlertDocument,
} from "../../domain/alerts";
import { createUser } from "../../lib/auth/accounts";
import type { Principal } from "../../lib/auth/principal";
import { scopeOf, systemScope, type Scope } from "../../lib/auth/scope";
import { es } from "../../lib/es/client";
import { PREF, SHIMONOSEKI, useFixtureRegistry, YAMAGUCHI } from "./detectors/harness";

const N = 10_060;
const RULE = "queue-integration";
const base = Date.parse("2023-03-01T00:00:00Z");
const id = (n: number) => n.toString(16).padStart(24, "0");
const q = { from: "2022-01-01T00:00:00Z", to: "2024-01-01T00:00:00Z", rules: [RULE] };
let monitor: Scope, officer: Scope;

function alert(n: number): AlertDocument {
  const org = n % 10 === 0 ? YAMAGUCHI : SHIMONOSEKI;
  const start = new Date(base - n * 60_000).toISOString();
  return {
    id: id(n),
    "@timestamp": start,
    rule: { id: RULE, name: "キュー試験", name_en: "Queue test" },
    severity: ["low", "medium", "high", "critical"][n % 4],
    risk_score: 50,
    window: { start, end: new Date(base - n * 60_000 + 30_000).toISOString() },
    entity: { type: "operator", id: `OP-${org}-001` },
    organization: { id: org },
    summary: `queue ${n}`,
    status: "open",
    evidence: {},
    detection: { first_seen: start, last_seen: start },
  };
}

async function principal(loginId: string, role: Principal["role"], organizationId: string): Promise<Scope> {
  const u = await createUser({ loginId, name: loginId, role, organizationId, password: "queue integration password" });
  return scopeOf({ kind: "user", id: u.id, login: loginId, role, organizationId });
}

beforeAll(async () => {
  await useFixtureRegistry();
  const docs = Array.from({ length: N }, (_, n) => alert(n));
  for (let i = 0; i < docs.length; i += 5000) await indexAlerts(docs.slice(i, i + 5000));
  monitor = await principal("queue-monitor", "monitor", PREF);
  officer = await principal("queue-officer", "municipal_officer", SHIMONOSEKI);
  await principal("queue-yamaguchi-admin", "admin", YAMAGUCHI);
});

afterAll(async () => {
  // The node has no delete-by-query (no reindex module): delete by id.
  const { ids } = await matchingAlertIds(q, systemScope("test"), 2 * N);
  for (let i = 0; i < ids.length; i += 5000)
    await es().bulk({ refresh: true, operations: ids.slice(i, i + 5000).map((_id) => ({ delete: { _index: alertsIndex(), _id } })) });
});

describe("the alert queue", () => {
  it("pages past Elasticsearch's result window in the same order as the first pages", async () => {
    const first = await queueAlerts({ ...q, size: 50, page: 1 }, monitor);
    expect(first.total).toBe(N);
    expect(first.alerts.map((a) => a.id)).toEqual(Array.from({ length: 50 }, (_, n) => id(n)));
    // Rows 10,001–10,050 (past from + size ≤ 10,000) and the short last page.
    const deep = await queueAlerts({ ...q, size: 50, page: 201 }, monitor);
    expect(deep.total).toBe(N);
    expect(deep.alerts.map((a) => a.id)).toEqual(Array.from({ length: 50 }, (_, n) => id(10_000 + n)));
    const last = await queueAlerts({ ...q, size: 50, page: 202 }, monitor);
    expect(last.alerts.map((a) => a.id)).toEqual(Array.from({ length: 10 }, (_, n) => id(10_050 + n)));
    expect((await queueAlerts({ ...q, size: 50, page: 500 }, monitor)).alerts).toEqual([]);
  });

  it("sorts by severity rank and by age, and scopes every page", async () => {
    const bySeverity = await queueAlerts({ ...q, sort: "severity", dir: "desc", size: 5 }, monitor);
    expect(bySeverity.alerts.map((a) => a.severity)).toEqual(Array(5).fill("critical"));
    const oldest = await queueAlerts({ ...q, sort: "age", dir: "desc", size: 1 }, monitor);
    expect(oldest.alerts[0].id).toBe(id(N - 1));
    const city = await queueAlerts({ ...q, size: 100 }, officer);
    expect(city.total).toBe(N - N / 10);
    expect(city.alerts.every((a) => a.organization.id === SHIMONOSEKI)).toBe(true);
  });

  it("selects every alert matching a filter, up to a limit", async () => {
    const all = await matchingAlertIds({ ...q, organization: YAMAGUCHI }, monitor);
    expect(all.ids).toHaveLength(N / 10);
    expect(all.more).toBe(false);
    expect(await matchingAlertIds(q, monitor, 3000)).toMatchObject({ more: true });
    expect((await matchingAlertIds({ ...q, organization: YAMAGUCHI }, officer).catch((e) => e)).status).toBe(403);
  });

  it("applies only the actions valid for the state, and needs a disposition to close and text to comment", async () => {
    const r = await triageAlerts([id(1), id(2)], { action: "acknowledge" }, "queue-monitor", monitor);
    expect(r.changed).toEqual([id(1), id(2)]);
    const again = await triageAlerts([id(1), id(3)], { action: "acknowledge" }, "queue-monitor", monitor);
    expect(again).toEqual({ changed: [id(3)], invalid: [id(1)], notCovered: [] });
    expect((await triageAlerts([id(1)], { action: "reopen" }, "queue-monitor", monitor)).invalid).toEqual([id(1)]);
    await expect(triageAlerts([id(1)], { action: "close" }, "queue-monitor", monitor)).rejects.toBeInstanceOf(TriageError);
    await expect(triageAlerts([id(1)], { action: "note", note: " " }, "queue-monitor", monitor)).rejects.toBeInstanceOf(TriageError);
    await triageAlerts([id(1)], { action: "note", note: "照会中" }, "queue-monitor", monitor);
    const a = await getAlert(id(1), monitor);
    expect(a?.status).toBe("acknowledged");
    expect(a?.history?.at(-1)).toMatchObject({ action: "note", note: "照会中", by: "queue-monitor" });
    // Outside the officer's scope: ignored like an unknown id.
    expect((await triageAlerts([id(10)], { action: "note", note: "x" }, "queue-officer", officer)).changed).toEqual([]);
  });

  it("assigns only to users in scope whose own scope covers the alert's organisation", async () => {
    const forCity = (await assigneesFor([SHIMONOSEKI], monitor)).map((u) => u.login);
    expect(forCity).toEqual(expect.arrayContaining(["queue-monitor", "queue-officer"]));
    expect(forCity).not.toContain("queue-yamaguchi-admin");
    // The officer's scope does not contain the prefecture's users (other files may have created more users of 下関市).
    const forOfficer = (await assigneesFor([SHIMONOSEKI], officer)).map((u) => u.login);
    expect(forOfficer).toContain("queue-officer");
    expect(forOfficer.filter((l) => l.startsWith("queue-"))).toEqual(["queue-officer"]);
    const coverage = await assigneeCoverage("queue-yamaguchi-admin", monitor);
    const r = await triageAlerts([id(10), id(11)], { action: "assign", assignee: "queue-yamaguchi-admin" }, "queue-monitor", monitor, coverage);
    expect(r).toEqual({ changed: [id(10)], invalid: [], notCovered: [id(11)] });
    expect((await getAlert(id(10), monitor))?.assignee).toBe("queue-yamaguchi-admin");
    expect((await queueAlerts({ ...q, assignee: "queue-yamaguchi-admin" }, monitor)).total).toBe(1);
    expect(await assigneeCoverage("queue-monitor", officer)).toBeUndefined();
    expect(await assigneeCoverage("nobody", systemScope("test"))).toBeUndefined();
  });
});

/**
 * The one runner for rule samples (detectors/samples.md): every
 * `detectors/rules/<rule-id>/samples/<case>.json` is ingested into the real
 * Elasticsearch through the real pipeline, its rule is run over the case's
 * window, and the alerts are checked against the case's expectation.
 * New cases are data files; nothing here names a rule.
 */
import { z } from "zod";
import { afterAll, describe, expect, it } from "vitest";
import { loadRules } from "../../../detectors/catalogue";
import { runDetectors } from "../../../detectors/engine";
import { alertsIndex, searchAlerts } from "../../../domain/alerts";
import { systemScope } from "../../../lib/auth/scope";
import { db } from "../../../lib/db";
import { es } from "../../../lib/es/client";
import { aliasName } from "../../../lib/es/indices";
import { residentRef } from "../../../domain/ingest/pseudonym";
import { ingestLines } from "../../../domain/ingest/pipeline";
import { importRegistry } from "../../../domain/registry/import";
import { FIXTURE_REGISTRY, PREF } from "./harness";
import { expectedAlert, expand, toEvent, toEve, type Sample, samples, problems } from "./samples.format";

// ---------------------------------------------------------------- checks

/** Partial match of one value (objects: toMatchObject, anything else: equality). */
function matches(actual: unknown, expected: unknown): boolean {
  try {
    if (expected !== null && typeof expected === "object" && !Array.isArray(expected)) expect(actual).toMatchObject(matcher(expected) as object);
    else expect(actual).toEqual(matcher(expected));
    return true;
  } catch {
    return false;
  }
}

/** Turns `$` operators of an expected value into asymmetric matchers for toMatchObject. */
function matcher(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(matcher);
  if (v === null || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length && keys.every((k) => k.startsWith("$"))) {
    const checks = keys.map((k) => {
      const arg = o[k];
      switch (k) {
        case "$gte":
          return (x: any) => typeof x === "number" && x >= (arg as number);
        case "$lte":
          return (x: any) => typeof x === "number" && x <= (arg as number);
        case "$gt":
          return (x: any) => typeof x === "number" && x > (arg as number);
        case "$length":
          return (x: any) => (Array.isArray(x) || typeof x === "string") && x.length === arg;
        case "$contains":
          return (x: any) => Array.isArray(x) && (arg as unknown[]).every((e) => x.some((y) => matches(y, e)));
        default:
          throw new Error(`unknown operator ${k}`);
      }
    });
    return { asymmetricMatch: (x: unknown) => checks.every((c) => c(x)), toString: () => JSON.stringify(o), toAsymmetricMatcher: () => JSON.stringify(o) };
  }
  return Object.fromEntries(keys.map((k) => [k, matcher(o[k])]));
}

const entityId = (e: z.output<typeof expectedAlert>["entity"]) => ("resident" in e ? residentRef(e.resident) : e.id);
const isoUtc = (s: string) => new Date(s).toISOString();

/**
 * Empties the event, IDS and alert stores (this Elasticsearch has no delete-by-query: the reindex module is not
 * installed). The monthly event and IDS indices are deleted by name (they are recreated from the templates on
 * ingest); alerts are deleted one by one (the alerts index is created once per process).
 */
async function clearStreams() {
  const monthly = Object.keys(
    await es().indices.get({ index: [`${aliasName("events")}-*`, `${aliasName("ids")}-*`], allow_no_indices: true, ignore_unavailable: true }),
  );
  if (monthly.length) await es().indices.delete({ index: monthly });
  const alerts = await es().search({ index: alertsIndex(), size: 10_000, _source: false, query: { match_all: {} } }, { ignore: [404] });
  const ids = (alerts.hits?.hits ?? []).map((h) => h._id!);
  if (ids.length) await es().bulk({ refresh: true, operations: ids.map((_id) => ({ delete: { _index: alertsIndex(), _id } })) });
}

/** Rows a case added to the fixture registry, removed before the next case (overridden rows are restored by the next import). */
let added: { nodes: string[] } = { nodes: [] };
async function resetRegistry(extra: Record<string, Record<string, unknown>[]>) {
  if (added.nodes.length) await db().node.deleteMany({ where: { id: { in: added.nodes } } });
  await db().maintenanceWindow.deleteMany({});
  await db().afterHoursPermit.deleteMany({});
  await db().department.deleteMany({});
  await db().permittedPurpose.deleteMany({});
  // The card register (issue 17) of the fixture's organisations: each case lists its own.
  await db().cardRecord.deleteMany({ where: { organizationId: { in: FIXTURE_REGISTRY.organizations.map((o) => o.id) } } });
  const merged: Record<string, unknown[]> = { ...FIXTURE_REGISTRY };
  const registeredAt: [string, string][] = [];
  added = { nodes: [] };
  for (const [section, rows] of Object.entries(extra)) {
    const base = (merged[section] ?? []) as Record<string, unknown>[];
    const list = [...base];
    for (const row of rows) {
      const r = { ...row };
      if (section === "nodes" && typeof r.registered_at === "string") {
        registeredAt.push([String(r.id), r.registered_at]);
        delete r.registered_at;
      }
      const at = r.id === undefined ? -1 : list.findIndex((b) => b.id === r.id);
      if (at >= 0) list[at] = { ...list[at], ...r };
      else {
        list.push(r);
        if (section === "nodes") added.nodes.push(String(r.id));
      }
    }
    merged[section] = list;
  }
  await importRegistry(merged, systemScope("test"));
  for (const [id, t] of registeredAt) await db().node.update({ where: { id }, data: { createdAt: new Date(t) } });
}

/** The case's system-work records (samples.md `system_work`), replacing the previous case's. */
async function resetSystemWork(list: NonNullable<Sample["c"]["system_work"]>) {
  await db().systemWork.deleteMany({ where: { id: { startsWith: "sample-" } } });
  const at = (v: string | null | undefined) => (v ? new Date(v) : null);
  for (const w of list)
    await db().systemWork.create({
      data: {
        id: w.id,
        organizationId: w.organization,
        title: w.title,
        vendor: w.vendor,
        purpose: w.purpose,
        linkControlSetAt: new Date(w.link_control_set_at),
        linkControlReleasedAt: at(w.link_control_released_at),
        testsEndedAt: at(w.tests_ended_at),
        testsEndedBy: w.tests_ended_by ?? null,
        testDataDeletedAt: at(w.test_data_deleted_at),
        testDataDeletedBy: w.test_data_deleted_by ?? null,
        createdById: "sample",
      },
    });
}

async function ingestCase(s: Sample) {
  const events = s.c.events.flatMap((e, i) => expand(e, `${s.file}: events.${i}`, "events")).map(toEvent);
  const byNode = new Map<string, Record<string, any>[]>();
  for (const e of events) (byNode.get(e.observer.id) ?? byNode.set(e.observer.id, []).get(e.observer.id)!).push(e);
  for (const [nodeId, list] of byNode) {
    const node = await db().node.findUnique({ where: { id: nodeId } });
    if (!node) throw new Error(`${s.file}: events sent by ${nodeId}, which is not a registered node`);
    const r = await ingestLines(
      "events",
      (async function* () {
        yield list.map((e, i) => ({ number: i + 1, text: JSON.stringify(e) }));
      })(),
      { id: node.id, type: node.type, organizationId: node.organizationId },
    );
    if (r.rejected.length) throw new Error(`${s.file}: events rejected by the pipeline: ${JSON.stringify(r.rejected.slice(0, 3))}`);
  }
  const lines = (s.c.ids ?? []).flatMap((e, i) => expand(e, `${s.file}: ids.${i}`, "ids")).map(toEve);
  if (lines.length) {
    const node = await db().node.findUniqueOrThrow({ where: { id: s.c.ids_node ?? `IDS-${PREF}` } });
    const r = await ingestLines(
      "ids",
      (async function* () {
        yield lines.map((text, i) => ({ number: i + 1, text }));
      })(),
      { id: node.id, type: node.type, organizationId: node.organizationId },
    );
    if (r.rejected.length) throw new Error(`${s.file}: IDS lines rejected by the pipeline: ${JSON.stringify(r.rejected.slice(0, 3))}`);
  }
  // A stream with nothing in this case has no index at all, as on a fresh install: rules must read it as empty.
  await es().indices.refresh({ index: [aliasName("events"), aliasName("ids")], ignore_unavailable: true, allow_no_indices: true });
  return events;
}

async function detect(rule: string, w: { from: string; to: string }, now?: string) {
  const summary = await runDetectors({ from: new Date(w.from), to: new Date(w.to) }, { rules: [rule], trigger: "test", now: new Date(now ?? w.to) });
  const r = summary.rules[0];
  if (r.error) throw new Error(`rule ${rule} failed: ${r.error}`);
  const { alerts } = await searchAlerts({ rule, from: w.from, to: w.to }, systemScope("test"));
  return { summary: r, alerts };
}

// ---------------------------------------------------------------- tests

afterAll(async () => {
  await clearStreams();
  await resetRegistry({});
  await resetSystemWork([]);
});

describe("rule samples", () => {
  it("every sample file is valid and every rule has fires and quiet cases", async () => {
    expect(problems).toEqual([]);
    const rules = (await loadRules()).map((r) => r.id);
    const missing = rules.flatMap((id) =>
      (["fires", "quiet"] as const).filter((k) => !samples.some((s) => s.rule === id && s.c.expect === k)).map((k) => `${id}: no ${k} case`),
    );
    expect(missing).toEqual([]);
    expect(samples.map((s) => s.rule).filter((r) => !rules.includes(r))).toEqual([]);
  });

  for (const s of samples) {
    it(`${s.rule} › ${s.name} (${s.c.expect})`, async () => {
      const c = s.c;
      await clearStreams();
      await resetRegistry(c.registry ?? {});
      await resetSystemWork(c.system_work ?? []);
      const events = await ingestCase(s);
      const { alerts } = await detect(s.rule, c.window, c.now);
      const context = `${s.file} — ${c.description}`;

      const expected = c.alerts ?? [];
      expect(alerts.map((a) => a.entity.id).sort(), context).toEqual(expected.map((e) => entityId(e.entity)).sort());
      const unmatched = [...alerts];
      for (const e of expected) {
        const id = entityId(e.entity);
        const start = e.window?.start && isoUtc(e.window.start);
        const i = unmatched.findIndex((a) => a.entity.id === id && (!start || a.window.start === start));
        expect(i, `${context}: an alert on ${id}${start ? ` starting ${start}` : ""}`).toBeGreaterThanOrEqual(0);
        const [a] = unmatched.splice(i, 1);
        const want: Record<string, unknown> = {
          entity: { id, ...("resident" in e.entity ? { type: "subject" } : e.entity.type ? { type: e.entity.type } : {}) },
        };
        if (e.organization) want.organization = { id: e.organization };
        if (e.severity) want.severity = e.severity;
        if (e.window) want.window = Object.fromEntries(Object.entries(e.window).map(([k, v]) => [k, isoUtc(v!)]));
        if (e.evidence) want.evidence = matcher(e.evidence);
        expect(a, `${context}: alert on ${id}`).toMatchObject(want);
        for (const text of e.summary_contains ?? []) expect(a.summary, `${context}: summary of ${id}`).toContain(text);
        const q = (a.evidence as any).query;
        if (e.query_count !== undefined)
          expect(
            (await es().count({ index: q.index, query: q.query, ignore_unavailable: true, allow_no_indices: true })).count,
            `${context}: evidence.query of ${id}`,
          ).toBe(e.query_count);
      }

      // Generic: no clear resident code of the case appears in any alert (subjects are pseudonymised).
      const codes = [...new Set(events.map((e) => e.jukinet?.subject?.resident_code).filter(Boolean))] as string[];
      const json = JSON.stringify(alerts);
      expect(
        codes.filter((r) => json.includes(r)),
        `${context}: clear resident codes in alerts`,
      ).toEqual([]);
      // Generic: each alert's evidence query is a valid query over the stored data.
      for (const a of alerts) {
        const q = (a.evidence as any).query;
        if (q) await es().count({ index: q.index, query: q.query, ignore_unavailable: true, allow_no_indices: true });
      }

      // Generic: a rerun over the same window creates nothing new; so do the case's other reruns.
      const again = await detect(s.rule, c.window, c.now);
      expect(again.summary.created, `${context}: rerun`).toBe(0);
      for (const r of c.reruns ?? []) {
        const { summary, alerts: found } = await detect(s.rule, r.window, r.now);
        expect(summary.created, `${context}: rerun over ${r.window.from}–${r.window.to}`).toBe(0);
        if (r.alerts)
          expect(found.map((a) => a.entity.id).sort(), `${context}: alerts of the rerun over ${r.window.from}–${r.window.to}`).toEqual(
            r.alerts.map((id) => (/^\d{11}$/.test(id) ? residentRef(id) : id)).sort(),
          );
        if (r.reported !== undefined) expect(summary.alerts, `${context}: alerts reported by the rerun`).toBe(r.reported);
      }
    });
  }
});

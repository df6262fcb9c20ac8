/**
 * The one runner for rule samples (detectors/samples.md): every
 * `detectors/rules/<rule-id>/samples/<case>.json` is ingested into the real
 * Elasticsearch through the real pipeline, its rule is run over the case's
 * window, and the alerts are checked against the case's expectation.
 * New cases are data files; nothing here names a rule.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { afterAll, describe, expect, it } from "vitest";
import { loadRules, RULES_DIR } from "../../../detectors/catalogue";
import { runDetectors } from "../../../detectors/engine";
import { alertsIndex, searchAlerts } from "../../../domain/alerts";
import { systemScope } from "../../../lib/auth/scope";
import { db } from "../../../lib/db";
import { es } from "../../../lib/es/client";
import { aliasName } from "../../../lib/es/indices";
import { residentRef } from "../../../domain/ingest/pseudonym";
import { ingestLines } from "../../../domain/ingest/pipeline";
import { importRegistry } from "../../../domain/registry/import";
import { ev, FIXTURE_REGISTRY, PREF } from "./harness";

// ---------------------------------------------------------------- format

const isoOffset = z.string().refine((s) => /(Z|[+-]\d{2}:?\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)), { message: "expected an ISO 8601 date-time with offset" });
const timeOfDay = /^\d{2}:\d{2}(:\d{2})?$/;
/** `t` of a compact event: ISO with offset, or "HH:MM[:SS]" (JST) inside a `days` block. */
const when = z.string().refine((s) => timeOfDay.test(s) || (/(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s))), {
  message: 'expected an ISO 8601 date-time with offset, or "HH:MM" inside a days block',
});

/** The compact event of the harness's ev() (tests/integration/detectors/harness.ts). */
const compactEvent = z.strictObject({
  t: when,
  action: z.string().optional(),
  outcome: z.string().optional(),
  user: z.string().nullable().optional(),
  org: z.string().optional(),
  node: z.string().optional(),
  host: z.string().nullable().optional(),
  ip: z.string().optional(),
  resident: z.string().regex(/^\d{11}$/, "expected an 11-digit resident code").optional(),
  kind: z.string().optional(),
  wildcard: z.boolean().optional(),
  results: z.number().optional(),
  schedule: z.string().optional(),
  item: z.string().optional(),
  recipient: z.string().optional(),
  recipient_name: z.string().optional(),
  channel: z.string().optional(),
  records: z.number().optional(),
  card: z.string().optional(),
  method: z.string().optional(),
  reason: z.string().optional(),
  source: z.string().optional(),
});
/** A full contract event (INTERFACE.md §1) or a Suricata EVE record, taken as written. */
const fullEvent = z.looseObject({ "@timestamp": isoOffset });
const eveRecord = z.looseObject({ timestamp: z.string().refine((s) => timeOfDay.test(s) || !Number.isNaN(Date.parse(s)), { message: "expected an ISO 8601 date-time" }) });
/** Numeric fields added `step × index` per repetition (resident codes, record counts…). */
const vary = z.record(z.string(), z.number()).optional();
const repeatBlock = z.strictObject({ repeat: z.number().int().positive(), every_minutes: z.number().nonnegative(), vary, events: z.array(z.unknown()).min(1) });
const daysBlock = z.strictObject({ days: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD")).min(1), vary, events: z.array(z.unknown()).min(1) });

const expectedAlert = z.strictObject({
  entity: z.union([
    z.strictObject({ type: z.string().optional(), id: z.string() }),
    z.strictObject({ type: z.literal("subject").optional(), resident: z.string().regex(/^\d{11}$/) }),
  ]),
  organization: z.string().optional(),
  severity: z.enum(["low", "medium", "high", "critical"]).optional(),
  window: z.strictObject({ start: isoOffset.optional(), end: isoOffset.optional() }).optional(),
  summary_contains: z.array(z.string()).optional(),
  /** Partial match; `{"$gte": n}`, `{"$lte": n}`, `{"$gt": n}`, `{"$length": n}`, `{"$contains": [...]}` where an exact value will not do. */
  evidence: z.record(z.string(), z.unknown()).optional(),
  /** How many documents evidence.query finds (it must reproduce the alert's events). */
  query_count: z.number().int().nonnegative().optional(),
});
const windowSchema = z.strictObject({ from: isoOffset, to: isoOffset }).refine((w) => Date.parse(w.from) < Date.parse(w.to), { message: "from must be before to" });

const caseSchema = z
  .strictObject({
    description: z.string().min(1),
    expect: z.enum(["fires", "quiet"]),
    registry: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))).optional(),
    window: windowSchema,
    now: isoOffset.optional(),
    events: z.array(z.unknown()).default([]),
    ids: z.array(z.unknown()).optional(),
    ids_node: z.string().optional(),
    alerts: z.array(expectedAlert).optional(),
    /** Later runs over the same or other windows: nothing new is created; `alerts` = entity ids found in that window (a resident code stands for its subject). */
    reruns: z
      .array(z.strictObject({ window: windowSchema, now: isoOffset.optional(), alerts: z.array(z.string()).optional(), reported: z.number().int().optional() }))
      .optional(),
  })
  .superRefine((c, ctx) => {
    if (c.expect === "fires" && !c.alerts?.length) ctx.addIssue({ code: "custom", path: ["alerts"], message: "a fires case lists the alerts it expects" });
    if (c.expect === "quiet" && c.alerts?.length) ctx.addIssue({ code: "custom", path: ["alerts"], message: "a quiet case expects no alert" });
  });
type Case = z.output<typeof caseSchema>;

const describeIssues = (file: string, issues: z.core.$ZodIssue[], prefix: (string | number)[] = []) =>
  `${file}: ${issues.map((i) => `${[...prefix, ...i.path].join(".") || "(root)"}: ${i.message}`).join("; ")}`;

// ---------------------------------------------------------------- expansion

type Leaf = { kind: "compact"; spec: z.output<typeof compactEvent> } | { kind: "event" | "eve"; doc: Record<string, any> };
const JST = 9 * 3600_000;
const jst = (ms: number) => new Date(Math.floor(ms / 1000) * 1000 + JST).toISOString().replace(/\.\d{3}Z$/, "+09:00");
const timeOf = (l: Leaf) => (l.kind === "compact" ? l.spec.t : l.kind === "event" ? l.doc["@timestamp"] : l.doc.timestamp);
const withTime = (l: Leaf, t: string): Leaf =>
  l.kind === "compact" ? { kind: "compact", spec: { ...l.spec, t } } : { kind: l.kind, doc: l.kind === "event" ? { ...l.doc, "@timestamp": t } : { ...l.doc, timestamp: t } };
const onDay = (t: string, day?: string) => (timeOfDay.test(t) ? (day ? `${day}T${t.length === 5 ? `${t}:00` : t}+09:00` : undefined) : t);

function applyVary(l: Leaf, v: Record<string, number> | undefined, i: number, where: string): Leaf {
  if (!v || i === 0) return l;
  const target: Record<string, any> = l.kind === "compact" ? { ...l.spec } : { ...l.doc };
  for (const [field, step] of Object.entries(v)) {
    const cur = target[field];
    if (cur === undefined) continue;
    if (typeof cur === "number") target[field] = cur + step * i;
    else if (typeof cur === "string" && /^\d+$/.test(cur)) target[field] = String(Number(cur) + step * i).padStart(cur.length, "0");
    else throw new Error(`${where}: vary.${field}: the field is not numeric`);
  }
  return l.kind === "compact" ? { kind: "compact", spec: target as any } : { kind: l.kind, doc: target };
}

function expand(raw: unknown, where: string, stream: "events" | "ids", day?: string): Leaf[] {
  const o = (raw ?? {}) as Record<string, unknown>;
  const parse = <S extends z.ZodType>(schema: S): z.output<S> => {
    const r = schema.safeParse(raw);
    if (!r.success) throw new Error(describeIssues(where, r.error.issues));
    return r.data;
  };
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new Error(`${where}: expected an object`);
  if ("repeat" in o) {
    const b = parse(repeatBlock);
    const out: Leaf[] = [];
    for (let i = 0; i < b.repeat; i++) {
      for (const [k, e] of b.events.entries()) {
        for (const l of expand(e, `${where}.events.${k}`, stream, day)) out.push(applyVary(withTime(l, jst(Date.parse(timeOf(l)) + i * b.every_minutes * 60_000)), b.vary, i, where));
      }
    }
    return out;
  }
  if ("days" in o) {
    const b = parse(daysBlock);
    return b.days.flatMap((d, i) => b.events.flatMap((e, k) => expand(e, `${where}.events.${k}`, stream, d).map((l) => applyVary(l, b.vary, i, where))));
  }
  const leaf: Leaf = stream === "ids" ? { kind: "eve", doc: parse(eveRecord) } : "@timestamp" in o ? { kind: "event", doc: parse(fullEvent) } : { kind: "compact", spec: parse(compactEvent) };
  const t = onDay(timeOf(leaf), day);
  if (t === undefined) throw new Error(`${where}: a time of day ("HH:MM") is only allowed inside a days block`);
  return [withTime(leaf, t)];
}

const toEvent = (l: Leaf) => (l.kind === "compact" ? ev({ ...l.spec, t: l.spec.t }) : l.doc);
const toEve = (l: Leaf) => JSON.stringify({ ...(l as { doc: Record<string, unknown> }).doc, timestamp: jst(Date.parse(timeOf(l))).replace("+09:00", ".000000+0900") });

// ---------------------------------------------------------------- discovery

interface Sample { rule: string; name: string; file: string; c: Case }
const samples: Sample[] = [];
const problems: string[] = [];
for (const rule of fs.readdirSync(RULES_DIR).sort()) {
  const dir = path.join(RULES_DIR, rule, "samples");
  if (!fs.statSync(path.join(RULES_DIR, rule)).isDirectory()) continue;
  if (!fs.existsSync(dir)) { problems.push(`detectors/rules/${rule}/ has no samples/ folder`); continue; }
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    const file = `detectors/rules/${rule}/samples/${f}`;
    let json: unknown;
    try { json = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")); } catch (e) { problems.push(`${file}: ${(e as Error).message}`); continue; }
    const r = caseSchema.safeParse(json);
    if (!r.success) { problems.push(describeIssues(file, r.error.issues)); continue; }
    samples.push({ rule, name: f.replace(/\.json$/, ""), file, c: r.data });
  }
}

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
        case "$gte": return (x: any) => typeof x === "number" && x >= (arg as number);
        case "$lte": return (x: any) => typeof x === "number" && x <= (arg as number);
        case "$gt": return (x: any) => typeof x === "number" && x > (arg as number);
        case "$length": return (x: any) => (Array.isArray(x) || typeof x === "string") && x.length === arg;
        case "$contains": return (x: any) => Array.isArray(x) && (arg as unknown[]).every((e) => x.some((y) => matches(y, e)));
        default: throw new Error(`unknown operator ${k}`);
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
  const monthly = Object.keys(await es().indices.get({ index: [`${aliasName("events")}-*`, `${aliasName("ids")}-*`], allow_no_indices: true, ignore_unavailable: true }));
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
  const merged: Record<string, unknown[]> = { ...FIXTURE_REGISTRY };
  const registeredAt: [string, string][] = [];
  added = { nodes: [] };
  for (const [section, rows] of Object.entries(extra)) {
    const base = (merged[section] ?? []) as Record<string, unknown>[];
    const list = [...base];
    for (const row of rows) {
      const r = { ...row };
      if (section === "nodes" && typeof r.registered_at === "string") { registeredAt.push([String(r.id), r.registered_at]); delete r.registered_at; }
      const at = r.id === undefined ? -1 : list.findIndex((b) => b.id === r.id);
      if (at >= 0) list[at] = { ...list[at], ...r };
      else { list.push(r); if (section === "nodes") added.nodes.push(String(r.id)); }
    }
    merged[section] = list;
  }
  await importRegistry(merged, systemScope("test"));
  for (const [id, t] of registeredAt) await db().node.update({ where: { id }, data: { createdAt: new Date(t) } });
}

async function ingestCase(s: Sample) {
  const events = s.c.events.flatMap((e, i) => expand(e, `${s.file}: events.${i}`, "events")).map(toEvent);
  const byNode = new Map<string, Record<string, any>[]>();
  for (const e of events) (byNode.get(e.observer.id) ?? byNode.set(e.observer.id, []).get(e.observer.id)!).push(e);
  for (const [nodeId, list] of byNode) {
    const node = await db().node.findUnique({ where: { id: nodeId } });
    if (!node) throw new Error(`${s.file}: events sent by ${nodeId}, which is not a registered node`);
    const r = await ingestLines("events", (async function* () { yield list.map((e, i) => ({ number: i + 1, text: JSON.stringify(e) })); })(), { id: node.id, type: node.type, organizationId: node.organizationId });
    if (r.rejected.length) throw new Error(`${s.file}: events rejected by the pipeline: ${JSON.stringify(r.rejected.slice(0, 3))}`);
  }
  const lines = (s.c.ids ?? []).flatMap((e, i) => expand(e, `${s.file}: ids.${i}`, "ids")).map(toEve);
  if (lines.length) {
    const node = await db().node.findUniqueOrThrow({ where: { id: s.c.ids_node ?? `IDS-${PREF}` } });
    const r = await ingestLines("ids", (async function* () { yield lines.map((text, i) => ({ number: i + 1, text })); })(), { id: node.id, type: node.type, organizationId: node.organizationId });
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
});

describe("rule samples", () => {
  it("every sample file is valid and every rule has fires and quiet cases", async () => {
    expect(problems).toEqual([]);
    const rules = (await loadRules()).map((r) => r.id);
    const missing = rules.flatMap((id) => (["fires", "quiet"] as const).filter((k) => !samples.some((s) => s.rule === id && s.c.expect === k)).map((k) => `${id}: no ${k} case`));
    expect(missing).toEqual([]);
    expect(samples.map((s) => s.rule).filter((r) => !rules.includes(r))).toEqual([]);
  });

  for (const s of samples) {
    it(`${s.rule} › ${s.name} (${s.c.expect})`, async () => {
      const c = s.c;
      await clearStreams();
      await resetRegistry(c.registry ?? {});
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
        const want: Record<string, unknown> = { entity: { id, ...("resident" in e.entity ? { type: "subject" } : e.entity.type ? { type: e.entity.type } : {}) } };
        if (e.organization) want.organization = { id: e.organization };
        if (e.severity) want.severity = e.severity;
        if (e.window) want.window = Object.fromEntries(Object.entries(e.window).map(([k, v]) => [k, isoUtc(v!)]));
        if (e.evidence) want.evidence = matcher(e.evidence);
        expect(a, `${context}: alert on ${id}`).toMatchObject(want);
        for (const text of e.summary_contains ?? []) expect(a.summary, `${context}: summary of ${id}`).toContain(text);
        const q = (a.evidence as any).query;
        if (e.query_count !== undefined) expect((await es().count({ index: q.index, query: q.query, ignore_unavailable: true, allow_no_indices: true })).count, `${context}: evidence.query of ${id}`).toBe(e.query_count);
      }

      // Generic: no clear resident code of the case appears in any alert (subjects are pseudonymised).
      const codes = [...new Set(events.map((e) => e.jukinet?.subject?.resident_code).filter(Boolean))] as string[];
      const json = JSON.stringify(alerts);
      expect(codes.filter((r) => json.includes(r)), `${context}: clear resident codes in alerts`).toEqual([]);
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
        if (r.alerts) expect(found.map((a) => a.entity.id).sort(), `${context}: alerts of the rerun over ${r.window.from}–${r.window.to}`).toEqual(r.alerts.map((id) => (/^\d{11}$/.test(id) ? residentRef(id) : id)).sort());
        if (r.reported !== undefined) expect(summary.alerts, `${context}: alerts reported by the rerun`).toBe(r.reported);
      }
    });
  }
});

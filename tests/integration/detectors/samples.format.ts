/**
 * The rule-sample format (detectors/samples.md) and its loading: the zod
 * schema of a case file, the expansion of compact events, repeat and day
 * blocks into documents, and the discovery of every
 * detectors/rules/<rule-id>/samples/<case>.json (with the problems found).
 * samples.test.ts runs them.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { RULES_DIR } from "../../../detectors/catalogue";
import { ev } from "./harness";

// ---------------------------------------------------------------- format

export const isoOffset = z
  .string()
  .refine((s) => /(Z|[+-]\d{2}:?\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)), { message: "expected an ISO 8601 date-time with offset" });
export const timeOfDay = /^\d{2}:\d{2}(:\d{2})?$/;
/** `t` of a compact event: ISO with offset, or "HH:MM[:SS]" (JST) inside a `days` block. */
export const when = z.string().refine((s) => timeOfDay.test(s) || (/(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s))), {
  message: 'expected an ISO 8601 date-time with offset, or "HH:MM" inside a days block',
});

/** The compact event of the harness's ev() (tests/integration/detectors/harness.ts). */
export const compactEvent = z.strictObject({
  t: when,
  action: z.string().optional(),
  outcome: z.string().optional(),
  user: z.string().nullable().optional(),
  org: z.string().optional(),
  node: z.string().optional(),
  host: z.string().nullable().optional(),
  ip: z.string().optional(),
  resident: z
    .string()
    .regex(/^\d{11}$/, "expected an 11-digit resident code")
    .optional(),
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
export const fullEvent = z.looseObject({ "@timestamp": isoOffset });
export const eveRecord = z.looseObject({
  timestamp: z.string().refine((s) => timeOfDay.test(s) || !Number.isNaN(Date.parse(s)), { message: "expected an ISO 8601 date-time" }),
});
/** Numeric fields added `step × index` per repetition (resident codes, record counts…). */
export const vary = z.record(z.string(), z.number()).optional();
export const repeatBlock = z.strictObject({
  repeat: z.number().int().positive(),
  every_minutes: z.number().nonnegative(),
  vary,
  events: z.array(z.unknown()).min(1),
});
export const daysBlock = z.strictObject({
  days: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD")).min(1),
  vary,
  events: z.array(z.unknown()).min(1),
});

export const expectedAlert = z.strictObject({
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
export const windowSchema = z
  .strictObject({ from: isoOffset, to: isoOffset })
  .refine((w) => Date.parse(w.from) < Date.parse(w.to), { message: "from must be before to" });

/** A system-work record with link control (domain/systemwork), written to the database before the case runs. */
export const systemWorkSample = z.strictObject({
  id: z.string().regex(/^sample-[\w-]+$/),
  organization: z.string().regex(/^\d{6}$/),
  title: z.string().min(1),
  vendor: z.string().min(1),
  purpose: z.enum(["renewal", "repair", "upgrade"]),
  link_control_set_at: isoOffset,
  link_control_released_at: isoOffset.nullable().optional(),
  tests_ended_at: isoOffset.nullable().optional(),
  tests_ended_by: z.string().nullable().optional(),
  test_data_deleted_at: isoOffset.nullable().optional(),
  test_data_deleted_by: z.string().nullable().optional(),
});

export const caseSchema = z
  .strictObject({
    description: z.string().min(1),
    expect: z.enum(["fires", "quiet"]),
    registry: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))).optional(),
    /** System-work records (連携制御記録) of the case; not a registry section: they live in the console's database. */
    system_work: z.array(systemWorkSample).optional(),
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
export type Case = z.output<typeof caseSchema>;

export const describeIssues = (file: string, issues: z.core.$ZodIssue[], prefix: (string | number)[] = []) =>
  `${file}: ${issues.map((i) => `${[...prefix, ...i.path].join(".") || "(root)"}: ${i.message}`).join("; ")}`;

// ---------------------------------------------------------------- expansion

export type Leaf = { kind: "compact"; spec: z.output<typeof compactEvent> } | { kind: "event" | "eve"; doc: Record<string, any> };
export const JST = 9 * 3600_000;
export const jst = (ms: number) => new Date(Math.floor(ms / 1000) * 1000 + JST).toISOString().replace(/\.\d{3}Z$/, "+09:00");
export const timeOf = (l: Leaf) => (l.kind === "compact" ? l.spec.t : l.kind === "event" ? l.doc["@timestamp"] : l.doc.timestamp);
export const withTime = (l: Leaf, t: string): Leaf =>
  l.kind === "compact"
    ? { kind: "compact", spec: { ...l.spec, t } }
    : { kind: l.kind, doc: l.kind === "event" ? { ...l.doc, "@timestamp": t } : { ...l.doc, timestamp: t } };
export const onDay = (t: string, day?: string) => (timeOfDay.test(t) ? (day ? `${day}T${t.length === 5 ? `${t}:00` : t}+09:00` : undefined) : t);

export function applyVary(l: Leaf, v: Record<string, number> | undefined, i: number, where: string): Leaf {
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

export function expand(raw: unknown, where: string, stream: "events" | "ids", day?: string): Leaf[] {
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
        for (const l of expand(e, `${where}.events.${k}`, stream, day))
          out.push(applyVary(withTime(l, jst(Date.parse(timeOf(l)) + i * b.every_minutes * 60_000)), b.vary, i, where));
      }
    }
    return out;
  }
  if ("days" in o) {
    const b = parse(daysBlock);
    return b.days.flatMap((d, i) => b.events.flatMap((e, k) => expand(e, `${where}.events.${k}`, stream, d).map((l) => applyVary(l, b.vary, i, where))));
  }
  const leaf: Leaf =
    stream === "ids"
      ? { kind: "eve", doc: parse(eveRecord) }
      : "@timestamp" in o
        ? { kind: "event", doc: parse(fullEvent) }
        : { kind: "compact", spec: parse(compactEvent) };
  const t = onDay(timeOf(leaf), day);
  if (t === undefined) throw new Error(`${where}: a time of day ("HH:MM") is only allowed inside a days block`);
  return [withTime(leaf, t)];
}

export const toEvent = (l: Leaf) => (l.kind === "compact" ? ev({ ...l.spec, t: l.spec.t }) : l.doc);
export const toEve = (l: Leaf) =>
  JSON.stringify({ ...(l as { doc: Record<string, unknown> }).doc, timestamp: jst(Date.parse(timeOf(l))).replace("+09:00", ".000000+0900") });

// ---------------------------------------------------------------- discovery

export interface Sample {
  rule: string;
  name: string;
  file: string;
  c: Case;
}
export const samples: Sample[] = [];
export const problems: string[] = [];
for (const rule of fs.readdirSync(RULES_DIR).sort()) {
  const dir = path.join(RULES_DIR, rule, "samples");
  if (!fs.statSync(path.join(RULES_DIR, rule)).isDirectory()) continue;
  if (!fs.existsSync(dir)) {
    problems.push(`detectors/rules/${rule}/ has no samples/ folder`);
    continue;
  }
  for (const f of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const file = `detectors/rules/${rule}/samples/${f}`;
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
    } catch (e) {
      problems.push(`${file}: ${(e as Error).message}`);
      continue;
    }
    const r = caseSchema.safeParse(json);
    if (!r.success) {
      problems.push(describeIssues(file, r.error.issues));
      continue;
    }
    samples.push({ rule, name: f.replace(/\.json$/, ""), file, c: r.data });
  }
}

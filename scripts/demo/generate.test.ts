import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isWithinBusinessHours, type BusinessHours } from "../../lib/calendar";
import { accessEventSchema } from "../../domain/ingest/event";
import { eveAlertSchema } from "../../domain/ingest/eve";
import { isValidOrgCode } from "../../lib/orgcode";
import { RULE_IDS, type Label } from "./scenarios";
import { generateDemo, type GenerateOptions, type GenerateSummary } from "./generate";

const BASE: Omit<GenerateOptions, "out"> = { seed: 7, days: 7, scale: 0.05, end: "2026-11-20" };

/** Every field path the access-event contract allows (INTERFACE.md §1). */
const CONTRACT_FIELDS = new Set([
  "@timestamp", "event.id", "event.action", "event.outcome", "observer.id", "observer.type", "organization.id",
  "user.id", "host.id", "source.ip", "jukinet.auth.method", "jukinet.auth.card_id", "jukinet.query.kind",
  "jukinet.query.wildcard", "jukinet.query.result_count", "jukinet.subject.resident_code", "jukinet.purpose.schedule",
  "jukinet.purpose.item", "jukinet.recipient.id", "jukinet.recipient.name", "jukinet.channel", "jukinet.record_count",
  "jukinet.change.reason", "jukinet.change.source_system",
]);

interface Ev {
  "@timestamp": string;
  event: { id: string; action: string; outcome: string };
  observer: { id: string; type: string };
  organization: { id: string };
  user?: { id: string };
  host?: { id: string };
  source?: { ip: string };
  jukinet?: {
    auth?: { method?: string; card_id?: string };
    query?: { kind: string; wildcard: boolean; result_count?: number };
    subject?: { resident_code?: string };
    purpose?: { schedule: string; item: string };
    recipient?: { id: string; name?: string };
    channel?: string;
    record_count?: number;
    change?: { reason: string; source_system?: string };
  };
}
interface Loaded extends Ev {
  file: string;
  t: number;
}
interface Registry {
  organizations: { id: string; name: string; kind: string; parent?: string; business_hours: BusinessHours }[];
  nodes: { id: string; type: string; organization: string; expected_interval_minutes: number }[];
  terminals: { id: string; organization: string; ip: string }[];
  operators: { id: string; organization: string; department: string; cards: string[] }[];
  permitted_purposes: { organization: string; schedule: string; items: string[] }[];
  maintenance_windows: { organization: string; start: string; end: string; note: string }[];
  after_hours_permits: { organization: string; operators: string[]; start: string; end: string; reason: string }[];
}
interface Labels {
  seed: number;
  days: number;
  scale: number;
  from: string;
  to: string;
  demo_subject: { resident_code: string; organization: string; provisions: number };
  anomalies: Label[];
  hard_negatives: Label[];
}

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path.join(dir, entry.name), rel)));
    else out.push(rel);
  }
  return out.sort();
}

function fieldPaths(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => fieldPaths(v, prefix ? `${prefix}.${k}` : k));
}

const root = await mkdtemp(path.join(tmpdir(), "demo-generate-"));

interface Dataset {
  name: string;
  options: GenerateOptions;
  summary: GenerateSummary;
  registry: Registry;
  labels: Labels;
  events: Loaded[];
  alerts: { timestamp: string; dest_ip: string; src_ip: string; alert: { severity: number } }[];
}

async function generateAndLoad(name: string, options: Omit<GenerateOptions, "out">): Promise<Dataset> {
  const out = path.join(root, name);
  const summary = await generateDemo({ ...options, out });
  const events: Loaded[] = [];
  for (const file of (await readdir(path.join(out, "events"))).sort()) {
    const text = await readFile(path.join(out, "events", file), "utf8");
    for (const line of text.split("\n")) {
      if (line === "") continue;
      const e = JSON.parse(line) as Ev;
      events.push({ ...e, file, t: Date.parse(e["@timestamp"]) });
    }
  }
  const ids = await readFile(path.join(out, "ids", "IDS-350001.ndjson"), "utf8");
  return {
    name,
    options: { ...options, out },
    summary,
    registry: JSON.parse(await readFile(path.join(out, "registry.json"), "utf8")),
    labels: JSON.parse(await readFile(path.join(out, "labels.json"), "utf8")),
    events,
    alerts: ids.split("\n").filter(Boolean).map((l) => JSON.parse(l)),
  };
}

/** A week in November (weekend, no moving season) and three spring business days (moving season, fallbacks). */
const datasets: Dataset[] = [];
let dirB: string;
let dirC: string;

const within = (label: Label, t: number) => t >= Date.parse(label.start) && t <= Date.parse(label.end);
const isSystem = (user: string | undefined) => user?.startsWith("SYS-") ?? false;

beforeAll(async () => {
  datasets.push(await generateAndLoad("november", BASE));
  datasets.push(await generateAndLoad("spring", { ...BASE, days: 3, end: "2027-04-01" }));
  dirB = path.join(root, "again");
  dirC = path.join(root, "other-seed");
  await generateDemo({ ...BASE, out: dirB });
  await generateDemo({ ...BASE, seed: 8, out: dirC });
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("determinism", () => {
  const dirA = path.join(root, "november");

  it("writes byte-identical files for the same options", async () => {
    const files = await listFiles(dirA);
    expect(files).toEqual(await listFiles(dirB));
    for (const f of files) expect((await readFile(path.join(dirB, f))).equals(await readFile(path.join(dirA, f))), f).toBe(true);
  });

  it("writes different data for another seed", async () => {
    const a = await readFile(path.join(dirA, "events", "CS-352012.ndjson"), "utf8");
    const c = await readFile(path.join(dirC, "events", "CS-352012.ndjson"), "utf8");
    expect(a).not.toEqual(c);
    const la = JSON.parse(await readFile(path.join(dirA, "labels.json"), "utf8"));
    const lc = JSON.parse(await readFile(path.join(dirC, "labels.json"), "utf8"));
    expect(la.demo_subject.resident_code).not.toEqual(lc.demo_subject.resident_code);
  });
});

describe.each(["november", "spring"])("%s data", (name) => {
  let summary: GenerateSummary;
  let registry: Registry;
  let labels: Labels;
  let events: Loaded[];
  let alerts: Dataset["alerts"];
  const labelled = (rule: string) => labels.anomalies.filter((l) => l.rule === rule);

  beforeAll(() => {
    ({ summary, registry, labels, events, alerts } = datasets.find((d) => d.name === name)!);
  });

  it("reports what it wrote", () => {
    expect(summary.events).toBe(events.length);
    expect(summary.idsAlerts).toBe(alerts.length);
    expect(summary.labels).toBe(labels.anomalies.length);
    expect(summary.files).toContain("registry.json");
    expect(summary.files).toContain("labels.json");
    expect(summary.files).toContain("ids/IDS-350001.ndjson");
  });

  describe("registry.json", () => {
    it("has valid organisation codes and the prefecture tree", () => {
      for (const o of registry.organizations) {
        expect(isValidOrgCode(o.id), o.id).toBe(true);
        expect(["national", "prefecture", "municipality", "agency"]).toContain(o.kind);
        expect(o.business_hours.start).toMatch(/^\d{2}:\d{2}$/);
      }
      const municipalities = registry.organizations.filter((o) => o.kind === "municipality");
      expect(municipalities).toHaveLength(19);
      for (const m of municipalities) expect(m.parent).toBe("350001");
      expect(registry.organizations.find((o) => o.id === "350001")).toMatchObject({ kind: "prefecture", parent: "000001", name: "山口県" });
      expect(registry.organizations.find((o) => o.id === "000001")?.kind).toBe("national");
      expect(municipalities.find((o) => o.id === "352012")?.name).toBe("下関市");
    });

    it("refers only to registered organisations and has unique ids", () => {
      const orgs = new Set(registry.organizations.map((o) => o.id));
      for (const list of [registry.nodes, registry.terminals, registry.operators, registry.permitted_purposes, registry.maintenance_windows, registry.after_hours_permits]) {
        for (const x of list) expect(orgs.has(x.organization), JSON.stringify(x)).toBe(true);
      }
      for (const list of [registry.nodes, registry.terminals, registry.operators]) {
        const ids = list.map((x) => x.id);
        expect(new Set(ids).size).toBe(ids.length);
      }
      const ips = registry.terminals.map((t) => t.ip);
      expect(new Set(ips).size).toBe(ips.length);
      const cards = registry.operators.flatMap((o) => o.cards);
      expect(new Set(cards).size).toBe(cards.length);
    });

    it("has a CS per municipality, the prefectural server, the national centre and the IDS sensor", () => {
      const nodes = new Map(registry.nodes.map((n) => [n.id, n]));
      for (const o of registry.organizations.filter((x) => x.kind === "municipality")) {
        // 阿武町's CS sends only on business days: its registered interval covers a long weekend.
        expect(nodes.get(`CS-${o.id}`)).toMatchObject({ type: "municipal_cs", expected_interval_minutes: o.id === "355020" ? 5760 : 60 });
      }
      expect(nodes.get("PS-350001")?.type).toBe("prefectural_server");
      expect(nodes.get("NC-000001")?.type).toBe("national_center");
      expect(nodes.get("IDS-350001")?.type).toBe("ids_sensor");
    });

    it("has maintenance windows inside the period", () => {
      expect(registry.maintenance_windows.length).toBeGreaterThanOrEqual(3);
      for (const w of registry.maintenance_windows) {
        expect(Date.parse(w.start)).toBeGreaterThanOrEqual(Date.parse(labels.from));
        expect(Date.parse(w.end)).toBeLessThanOrEqual(Date.parse(labels.to));
        expect(Date.parse(w.start)).toBeLessThan(Date.parse(w.end));
      }
    });
  });

  describe("access events", () => {
    it("come from registered nodes, one file per node, each line's observer the file's node", () => {
      const nodes = new Map(registry.nodes.map((n) => [n.id, n]));
      for (const e of events) {
        expect(e.file).toBe(`${e.observer.id}.ndjson`);
        expect(nodes.get(e.observer.id)?.type).toBe(e.observer.type);
      }
      const files = new Set(events.map((e) => e.file));
      for (const n of registry.nodes.filter((x) => x.type !== "ids_sensor")) expect(files.has(`${n.id}.ndjson`), n.id).toBe(true);
    });

    it("use only contract fields, never a resident's name, address or birth date", () => {
      const seen = new Set<string>();
      for (const e of events) {
        const { file: _file, t: _t, ...raw } = e;
        for (const p of fieldPaths(raw)) seen.add(p);
      }
      for (const p of seen) {
        expect(CONTRACT_FIELDS.has(p), p).toBe(true);
        if (p !== "jukinet.recipient.name") expect(p).not.toMatch(/name|address|birth/i);
      }
    });

    it("pass the ingest schema", () => {
      for (const e of events) {
        const { file: _file, t: _t, ...raw } = e;
        const r = accessEventSchema.safeParse(raw);
        expect(r.success, `${e.event.id}: ${r.error?.message}`).toBe(true);
      }
    });

    it("are sorted by time within each file, inside the period, with unique ids and JST timestamps", () => {
      const from = Date.parse(labels.from);
      const to = Date.parse(labels.to);
      const last = new Map<string, number>();
      const ids = new Set<string>();
      for (const e of events) {
        expect(e["@timestamp"]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+09:00$/);
        expect(e.t).toBeGreaterThanOrEqual(from);
        expect(e.t).toBeLessThanOrEqual(to);
        expect(e.t).toBeGreaterThanOrEqual(last.get(e.file) ?? from);
        last.set(e.file, e.t);
        expect(e.event.id.startsWith(`${e.observer.id}-`)).toBe(true);
        expect(ids.has(e.event.id)).toBe(false);
        ids.add(e.event.id);
      }
    });

    it("use registered operators, cards and organisations", () => {
      const operators = new Map(registry.operators.map((o) => [o.id, o]));
      const orgs = new Set(registry.organizations.map((o) => o.id));
      for (const e of events) {
        expect(orgs.has(e.organization.id)).toBe(true);
        if (!e.user) continue;
        const op = operators.get(e.user.id);
        expect(op, e.user.id).toBeDefined();
        expect(op!.organization).toBe(e.organization.id);
        const card = e.jukinet?.auth?.card_id;
        if (card && e.event.action !== "card_unlocked") expect(op!.cards).toContain(card);
      }
    });

    it("use registered terminals and addresses, except the labelled unregistered-terminal cases", () => {
      const terminals = new Map(registry.terminals.map((t) => [t.id, t]));
      const cases = labelled("unregistered-terminal");
      let unregistered = 0;
      for (const e of events) {
        if (!e.host) continue;
        const t = terminals.get(e.host.id);
        if (t && t.ip === e.source?.ip && t.organization === e.organization.id) continue;
        unregistered++;
        expect(cases.some((l) => l.entity.id === e.host!.id && l.organization === e.organization.id && within(l, e.t)), `${e.event.id} ${e.host.id} ${e.source?.ip}`).toBe(true);
      }
      expect(unregistered).toBeGreaterThan(0);
    });

    it("carry 11-digit resident codes", () => {
      for (const e of events) {
        const code = e.jukinet?.subject?.resident_code;
        if (code !== undefined) expect(code).toMatch(/^\d{11}$/);
      }
    });

    it("have every node sending at least once per expected interval, except the labelled silences", () => {
      const silences = labelled("node-silence");
      for (const node of registry.nodes.filter((n) => n.type !== "ids_sensor")) {
        const times = events.filter((e) => e.observer.id === node.id).map((e) => e.t);
        const silence = silences.find((l) => l.entity.id === node.id);
        const points = [Date.parse(labels.from), ...times, Date.parse(labels.to)];
        for (let i = 1; i < points.length; i++) {
          const gap = points[i] - points[i - 1];
          if (gap <= node.expected_interval_minutes * 60_000) continue;
          expect(silence, `${node.id} gap before ${new Date(points[i]).toISOString()}`).toBeDefined();
          expect(points[i - 1]).toBeLessThanOrEqual(Date.parse(silence!.start));
          expect(points[i]).toBeGreaterThanOrEqual(Date.parse(silence!.end));
        }
        if (silence) expect(times.some((t) => within(silence, t))).toBe(false);
      }
    });
  });

  describe("system activity (INTERFACE.md §1: update, provide, batch_provide, notify without user.id)", () => {
    it("batches, periodic notifications and the resident-records system's updates carry no operator; the national centre's provision interface is the only system account", () => {
      const system = registry.operators.filter((o) => (o as { kind?: string }).kind === "system").map((o) => o.id);
      expect(system).toEqual(["SYS-000001-BATCH"]);
      const userless = events.filter((e) => !e.user);
      expect(new Set(userless.map((e) => e.event.action))).toEqual(new Set(["batch_provide", "notify", "update"]));
      for (const e of userless) {
        expect(e.host, e.event.id).toBeUndefined();
        expect(e.source, e.event.id).toBeUndefined();
      }
      // Every node's own periodic notifications are user-less; clerks' move-in notices keep their operator.
      for (const node of registry.nodes.filter((n) => n.type !== "ids_sensor")) {
        expect(userless.some((e) => e.observer.id === node.id && e.event.action === "notify" && !e.jukinet?.purpose), node.id).toBe(true);
      }
      expect(events.some((e) => e.event.action === "notify" && e.user && e.jukinet?.purpose?.item === "jukiho-1")).toBe(true);
      expect(events.filter((e) => e.user && isSystem(e.user.id)).every((e) => e.event.action === "provide" && e.organization.id === "000001")).toBe(true);
    });

    it("the resident-records system's updates follow the municipality's size, on business days only", () => {
      const updates = events.filter((e) => e.event.action === "update" && !e.user);
      const per = (org: string) => updates.filter((e) => e.organization.id === org).length;
      // 下関市 (250,000 residents) against 和木町 (6,000).
      expect(per("352012")).toBeGreaterThan(4 * Math.max(1, per("353213")));
      const reasons = new Set(updates.map((e) => e.jukinet!.change!.reason));
      for (const r of ["move_in", "move_out", "relocation"]) expect(reasons.has(r), r).toBe(true);
      const business = new Set(events.filter((e) => e.user && isWithinBusinessHours(e.t)).map((e) => e["@timestamp"].slice(0, 10)));
      const closedDayUpdates = updates.filter((e) => !business.has(e["@timestamp"].slice(0, 10)));
      const labelledCases = [...labelled("maintenance-window-update"), ...labelled("after-hours-access")];
      for (const e of closedDayUpdates) expect(labelledCases.some((l) => l.organization === e.organization.id && within(l, e.t)), e.event.id).toBe(true);
      const negative = labels.hard_negatives.find((l) => l.rule === "maintenance-window-update" && l.organization === "352012")!;
      expect(negative.start).toBe(labels.from);
      expect(negative.end).toBe(labels.to);
    });

    it("阿武町's CS sends only on business days, in business hours, and is labelled as a node-silence hard negative", () => {
      const node = registry.nodes.find((n) => n.id === "CS-355020")!;
      const sent = events.filter((e) => e.observer.id === node.id);
      expect(sent.length).toBeGreaterThan(0);
      for (const e of sent) expect(isWithinBusinessHours(e.t), `${e.event.id} ${e["@timestamp"]}`).toBe(true);
      const label = labels.hard_negatives.find((l) => l.rule === "node-silence" && l.entity.id === node.id)!;
      expect(label).toMatchObject({ organization: "355020", start: labels.from, end: labels.to });
    });
  });

  describe("labels.json", () => {
    it("covers every rule id with anomalies of distinct ids inside the period", () => {
      const rules = new Set(labels.anomalies.map((l) => l.rule));
      for (const id of RULE_IDS) expect(rules.has(id), id).toBe(true);
      const ids = [...labels.anomalies, ...labels.hard_negatives].map((l) => l.id);
      expect(new Set(ids).size).toBe(ids.length);
      const orgs = new Set(registry.organizations.map((o) => o.id));
      for (const l of [...labels.anomalies, ...labels.hard_negatives]) {
        expect(RULE_IDS).toContain(l.rule);
        expect(orgs.has(l.organization)).toBe(true);
        expect(Date.parse(l.start)).toBeGreaterThanOrEqual(Date.parse(labels.from));
        expect(Date.parse(l.end)).toBeLessThanOrEqual(Date.parse(labels.to));
        expect(Date.parse(l.start)).toBeLessThanOrEqual(Date.parse(l.end));
        expect(l.description.length).toBeGreaterThan(10);
      }
      const options = datasets.find((d) => d.name === name)!.options;
      expect(labels).toMatchObject({ seed: options.seed, days: options.days, scale: options.scale });
    });

    it("lists the hard negatives", () => {
      const rules = labels.hard_negatives.map((l) => l.rule);
      for (const rule of ["operator-volume-spike", "after-hours-access", "auth-failure-burst", "subject-repeat-access", "maintenance-window-update", "concurrent-session"]) {
        expect(rules).toContain(rule);
      }
    });

    it("records the demo subject's provisions exactly", () => {
      const code = labels.demo_subject.resident_code;
      expect(code).toMatch(/^\d{11}$/);
      const provisions = events.filter((e) => e.event.action === "provide" && e.jukinet?.subject?.resident_code === code);
      expect(provisions).toHaveLength(labels.demo_subject.provisions);
      expect(new Set(provisions.map((e) => e.jukinet?.recipient?.id)).size).toBeGreaterThanOrEqual(2);
      const views = events.filter((e) => e.event.action === "view" && e.organization.id === labels.demo_subject.organization && e.jukinet?.subject?.resident_code === code);
      expect(views.length).toBeGreaterThanOrEqual(1);
    });
  });

  /** The normal traffic must not contain what the rules look for, except where labelled. */
  describe("labelled anomalies stand out from normal traffic", () => {
    const operatorEvents = () => events.filter((e) => e.user && !isSystem(e.user.id));

    it("after-hours work only by the labelled operators, or inside a registered after-hours permit", () => {
      const hours = new Map(registry.organizations.map((o) => [o.id, o.business_hours]));
      const cases = labelled("after-hours-access");
      const permitted = (e: Loaded) =>
        registry.after_hours_permits.some((p) => p.organization === e.organization.id && p.operators.includes(e.user!.id) && e.t >= Date.parse(p.start) && e.t < Date.parse(p.end));
      let covered = 0;
      for (const e of operatorEvents()) {
        if (isWithinBusinessHours(e.t, hours.get(e.organization.id))) continue;
        if (permitted(e)) {
          covered++;
          continue;
        }
        expect(cases.some((l) => l.entity.id === e.user!.id && within(l, e.t)), `${e.event.id} ${e["@timestamp"]} ${e.user!.id}`).toBe(true);
      }
      // The month-end overtime hard negative: after hours, all of it inside its permit.
      const overtime = labels.hard_negatives.find((l) => l.rule === "after-hours-access" && l.entity.type === "operator" && registry.after_hours_permits.some((p) => p.operators.includes(l.entity.id)))!;
      expect(overtime).toBeDefined();
      const work = operatorEvents().filter((e) => e.user!.id === overtime.entity.id && within(overtime, e.t));
      expect(work.length).toBeGreaterThanOrEqual(5);
      expect(work.every((e) => !isWithinBusinessHours(e.t, hours.get(e.organization.id)) && permitted(e))).toBe(true);
      expect(covered).toBe(work.length);
    });

    it("a labelled volume spike is far above the operator's other days", () => {
      for (const l of labelled("operator-volume-spike")) {
        const perDay = new Map<string, number>();
        for (const e of events) {
          if (e.user?.id !== l.entity.id || (e.event.action !== "search" && e.event.action !== "view")) continue;
          const day = e["@timestamp"].slice(0, 10);
          perDay.set(day, (perDay.get(day) ?? 0) + 1);
        }
        const spikeDay = l.start.slice(0, 10);
        const others = [...perDay.entries()].filter(([d]) => d !== spikeDay).map(([, n]) => n).sort((a, b) => a - b);
        const median = others.length ? others[Math.floor(others.length / 2)] : 1;
        expect(perDay.get(spikeDay) ?? 0).toBeGreaterThanOrEqual(5 * median);
      }
    });

    it("broad queries only by the labelled operators", () => {
      const cases = labelled("broad-query");
      for (const e of events) {
        const q = e.jukinet?.query;
        if (!q) continue;
        const broad = q.kind === "name_only" || q.kind === "address_only" || q.wildcard || (q.result_count ?? 0) > 10;
        if (broad) expect(cases.some((l) => l.entity.id === e.user?.id && within(l, e.t)), e.event.id).toBe(true);
      }
    });

    it("purposes outside the registry only by the labelled operators", () => {
      const permitted = registry.permitted_purposes;
      const cases = labelled("purpose-not-permitted");
      let violations = 0;
      for (const e of events) {
        const p = e.jukinet?.purpose;
        if (!p) continue;
        const ok = permitted.some((x) => x.organization === e.organization.id && x.schedule === p.schedule && (x.items.includes("*") || x.items.includes(p.item)));
        if (ok) continue;
        violations++;
        expect(cases.some((l) => l.entity.id === e.user?.id && within(l, e.t)), `${e.event.id} ${p.schedule}/${p.item}`).toBe(true);
      }
      expect(violations).toBeGreaterThan(0);
    });

    it("repeat look-ups of one subject only where labelled", () => {
      const cases = labelled("subject-repeat-access");
      const perOperator = new Map<string, number>();
      const perSubjectOrgs = new Map<string, Set<string>>();
      for (const e of operatorEvents()) {
        const code = e.jukinet?.subject?.resident_code;
        if (!code || e.event.action !== "search") continue;
        const day = e["@timestamp"].slice(0, 10);
        const key = `${e.user!.id}|${code}|${day}`;
        perOperator.set(key, (perOperator.get(key) ?? 0) + 1);
        const orgs = perSubjectOrgs.get(`${code}|${day}`) ?? new Set();
        orgs.add(e.organization.id);
        perSubjectOrgs.set(`${code}|${day}`, orgs);
      }
      for (const [key, n] of perOperator) if (n >= 5) expect(cases.some((l) => l.entity.id === key.split("|")[0]), key).toBe(true);
      for (const [key, orgs] of perSubjectOrgs) if (orgs.size >= 4) expect(cases.some((l) => l.entity.id === key.split("|")[0]), key).toBe(true);
      const many = cases.find((l) => l.entity.type === "subject")!;
      expect(perSubjectOrgs.get(`${many.entity.id}|${many.start.slice(0, 10)}`)?.size).toBeGreaterThanOrEqual(5);
    });

    it("enumeration: 200+ distinct subjects within 30 minutes only where labelled", () => {
      const cases = labelled("enumeration-scan");
      const byOperator = new Map<string, Loaded[]>();
      for (const e of operatorEvents()) {
        if (e.event.action !== "search" || !e.jukinet?.subject?.resident_code) continue;
        const list = byOperator.get(e.user!.id) ?? [];
        list.push(e);
        byOperator.set(e.user!.id, list);
      }
      const found = new Set<string>();
      for (const [op, list] of byOperator) {
        list.sort((a, b) => a.t - b.t);
        let lo = 0;
        for (let hi = 0; hi < list.length; hi++) {
          while (list[hi].t - list[lo].t > 30 * 60_000) lo++;
          if (hi - lo + 1 < 200) continue;
          const distinct = new Set(list.slice(lo, hi + 1).map((e) => e.jukinet!.subject!.resident_code)).size;
          if (distinct >= 200) found.add(op);
        }
        if (!found.has(op)) expect(list.length === 0 || hi30(list) < 60, op).toBe(true);
      }
      for (const op of found) {
        expect(cases.some((l) => l.entity.id === op || events.some((e) => e.user?.id === op && e.host?.id === l.entity.id && within(l, e.t))), op).toBe(true);
      }
      expect(found.size).toBe(cases.length);
    });

    it("card locks and multi-card failures only where labelled", () => {
      const cases = labelled("auth-failure-burst");
      const locks = events.filter((e) => e.event.action === "card_locked");
      expect(locks.length).toBeGreaterThan(0);
      for (const e of locks) expect(cases.some((l) => l.entity.id === e.jukinet?.auth?.card_id), e.event.id).toBe(true);
      const failuresByCard = new Map<string, number>();
      for (const e of events.filter((x) => x.event.action === "auth_failure")) {
        const card = e.jukinet!.auth!.card_id!;
        failuresByCard.set(card, (failuresByCard.get(card) ?? 0) + 1);
        if ((failuresByCard.get(card) ?? 0) >= 3) expect(cases.some((l) => l.entity.id === card), card).toBe(true);
      }
      const terminalCase = cases.find((l) => l.entity.type === "terminal")!;
      const cards = new Set(events.filter((e) => e.event.action === "auth_failure" && e.host?.id === terminalCase.entity.id && within(terminalCase, e.t)).map((e) => e.jukinet!.auth!.card_id));
      expect(cards.size).toBeGreaterThanOrEqual(4);
    });

    it("an operator is on two terminals at once only where labelled", () => {
      const cases = labelled("concurrent-session");
      const open = new Map<string, Map<string, boolean>>(); // operator -> host -> logged in
      const found = new Set<string>();
      for (const e of [...operatorEvents()].sort((a, b) => a.t - b.t)) {
        if (!e.host) continue;
        const hosts = open.get(e.user!.id) ?? new Map<string, boolean>();
        open.set(e.user!.id, hosts);
        if (e.event.action === "login") hosts.set(e.host.id, true);
        const elsewhere = [...hosts.entries()].some(([h, on]) => on && h !== e.host!.id);
        if (elsewhere) found.add(e.user!.id);
        if (e.event.action === "logout") hosts.set(e.host.id, false);
      }
      expect([...found].sort()).toEqual(cases.map((l) => l.entity.id).sort());
    });

    it("updates come from the resident-records system without an operator; outside business hours only where labelled", () => {
      const cases = labelled("maintenance-window-update");
      const nightWork = labelled("after-hours-access");
      const hours = new Map(registry.organizations.map((o) => [o.id, o.business_hours]));
      const updates = events.filter((x) => x.event.action === "update");
      expect(updates.length).toBeGreaterThan(0);
      for (const e of updates) {
        expect(e.user, e.event.id).toBeUndefined();
        expect(e.host, e.event.id).toBeUndefined();
        expect(e.jukinet?.change?.source_system).toBe("住民記録システム");
        if (isWithinBusinessHours(e.t, hours.get(e.organization.id))) continue;
        // Outside hours: the labelled incidents, or the changes of a labelled operator's night work, pushed as they are made.
        const labelledCase = [...cases, ...nightWork].some((l) => l.organization === e.organization.id && within(l, e.t));
        const permitted = registry.after_hours_permits.some((p) => p.organization === e.organization.id && e.t >= Date.parse(p.start) && e.t < Date.parse(p.end));
        expect(labelledCase || permitted, `${e.event.id} ${e["@timestamp"]}`).toBe(true);
      }
      for (const w of registry.maintenance_windows) {
        const inside = updates.filter((e) => e.organization.id === w.organization && e.t >= Date.parse(w.start) && e.t < Date.parse(w.end));
        if (inside.length) expect(cases.some((l) => l.organization === w.organization && inside.every((e) => within(l, e.t))), w.start).toBe(true);
      }
      for (const l of cases) {
        const w = registry.maintenance_windows.find((x) => x.organization === l.organization)!;
        expect(Date.parse(l.start)).toBeGreaterThanOrEqual(Date.parse(w.start));
        expect(Date.parse(l.end)).toBeLessThanOrEqual(Date.parse(w.end));
      }
      const quiet = labels.hard_negatives.find((l) => l.rule === "maintenance-window-update" && registry.maintenance_windows.some((w) => w.organization === l.organization))!;
      expect(events.filter((e) => e.event.action === "update" && e.organization.id === quiet.organization && within(quiet, e.t))).toHaveLength(0);
    });

    it("high-severity IDS alerts only against the labelled terminals, with operator activity nearby", () => {
      const cases = labelled("ids-alert");
      const terminals = new Map(registry.terminals.map((t) => [t.ip, t]));
      for (const a of alerts) {
        const r = eveAlertSchema.safeParse(a);
        expect(r.success, r.error?.message).toBe(true);
        expect(a.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+0900$/);
        const terminal = terminals.get(a.dest_ip) ?? terminals.get(a.src_ip);
        if (a.alert.severity > 1) {
          expect(terminal, a.dest_ip).toBeUndefined();
          continue;
        }
        const t = Date.parse(a.timestamp.replace(/(\.\d{3})\d{3}\+0900$/, "$1+09:00"));
        const l = cases.find((x) => x.entity.id === terminal?.id && within(x, t));
        expect(l, a.dest_ip).toBeDefined();
        expect(events.some((e) => e.host?.id === l!.entity.id && Math.abs(e.t - t) < 10 * 60_000)).toBe(true);
      }
      for (const l of cases) expect(alerts.some((a) => a.alert.severity === 1 && a.dest_ip === registry.terminals.find((t) => t.id === l.entity.id)!.ip)).toBe(true);
    });

    it("batch provisions without an operator; one labelled night far above the recipient's usual record count", () => {
      const all = events.filter((x) => x.event.action === "batch_provide");
      expect(all.length).toBeGreaterThan(0);
      for (const e of all) expect(e.user, e.event.id).toBeUndefined();
      const l = labelled("provision-volume-anomaly").find((x) => x.organization === "350001")!;
      const batches = events.filter((e) => e.event.action === "batch_provide" && e.jukinet?.recipient?.id === l.entity.id);
      const inside = batches.filter((e) => within(l, e.t)).map((e) => e.jukinet!.record_count!);
      const outside = batches.filter((e) => !within(l, e.t)).map((e) => e.jukinet!.record_count!);
      expect(inside.length).toBeGreaterThan(0);
      expect(Math.min(...inside)).toBeGreaterThan(5 * Math.max(...outside));
    });

    it("bulk export and print only by the labelled operators", () => {
      const cases = labelled("bulk-export");
      for (const e of events.filter((x) => x.event.action === "export" || x.event.action === "print")) {
        if ((e.jukinet?.record_count ?? 1) <= 10) continue;
        expect(cases.some((l) => l.entity.id === e.user?.id && within(l, e.t)), e.event.id).toBe(true);
      }
      expect(events.some((e) => e.event.action === "export" && (e.jukinet?.record_count ?? 0) >= 1000)).toBe(true);
    });
  });
});

/** Most distinct subjects an operator's searches touch in any 30-minute window. */
function hi30(list: Loaded[]): number {
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < list.length; hi++) {
    while (list[hi].t - list[lo].t > 30 * 60_000) lo++;
    best = Math.max(best, new Set(list.slice(lo, hi + 1).map((e) => e.jukinet!.subject!.resident_code)).size);
  }
  return best;
}

describe("traffic shape", () => {
  const byName = (name: string) => datasets.find((d) => d.name === name)!;
  const clerkEvents = (d: Dataset) => d.events.filter((e) => e.user && !isSystem(e.user.id) && e.observer.type === "municipal_cs");

  it("is concentrated on business days, with a lunch dip", () => {
    const d = byName("november");
    const perDay = new Map<string, number>();
    const perHour = new Map<number, number>();
    for (const e of clerkEvents(d)) {
      perDay.set(e["@timestamp"].slice(0, 10), (perDay.get(e["@timestamp"].slice(0, 10)) ?? 0) + 1);
      const hour = Number(e["@timestamp"].slice(11, 13));
      perHour.set(hour, (perHour.get(hour) ?? 0) + 1);
    }
    // 2026-11-14/15 are a weekend: only the labelled after-hours case works then.
    expect(perDay.get("2026-11-14") ?? 0).toBeLessThan(50);
    expect(perDay.get("2026-11-16")!).toBeGreaterThan(500);
    expect(perHour.get(12)!).toBeLessThan(0.6 * Math.min(perHour.get(10)!, perHour.get(14)!));
  });

  it("doubles updates and move-in notices in the moving season", () => {
    const rate = (d: Dataset, action: string) => {
      const days = new Set(d.events.filter((e) => e.observer.type === "municipal_cs").map((e) => e["@timestamp"].slice(0, 10)));
      const businessDays = [...days].filter((k) => isWithinBusinessHours(Date.parse(`${k}T10:00:00+09:00`))).length;
      const source = action === "update" ? d.events.filter((e) => e.observer.type === "municipal_cs" && !e.user) : clerkEvents(d);
      const n = source.filter((e) => e.event.action === action && (action !== "notify" || e.jukinet?.purpose?.item === "jukiho-1")).length;
      return n / businessDays;
    };
    expect(rate(byName("spring"), "update")).toBeGreaterThan(1.4 * rate(byName("november"), "update"));
    expect(rate(byName("spring"), "notify")).toBeGreaterThan(1.4 * rate(byName("november"), "notify"));
  });
});

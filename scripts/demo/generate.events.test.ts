import { describe, expect, it } from "vitest";
import { isWithinBusinessHours } from "../../lib/calendar";
import { accessEventSchema } from "../../domain/ingest/event";
import { describeEachDataset, isSystem, within } from "./generate.fixture";

/** Every field path the access-event contract allows (INTERFACE.md §1). */
const CONTRACT_FIELDS = new Set([
  "@timestamp",
  "event.id",
  "event.action",
  "event.outcome",
  "observer.id",
  "observer.type",
  "organization.id",
  "user.id",
  "host.id",
  "source.ip",
  "jukinet.auth.method",
  "jukinet.auth.card_id",
  "jukinet.query.kind",
  "jukinet.query.wildcard",
  "jukinet.query.result_count",
  "jukinet.subject.resident_code",
  "jukinet.purpose.schedule",
  "jukinet.purpose.item",
  "jukinet.recipient.id",
  "jukinet.recipient.name",
  "jukinet.channel",
  "jukinet.record_count",
  "jukinet.batch.id",
  "jukinet.change.reason",
  "jukinet.change.source_system",
]);

function fieldPaths(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => fieldPaths(v, prefix ? `${prefix}.${k}` : k));
}

describeEachDataset((data) => {
  describe("access events", () => {
    it("come from registered nodes, one file per node, each line's observer the file's node", () => {
      const nodes = new Map(data.registry.nodes.map((n) => [n.id, n]));
      for (const e of data.events) {
        expect(e.file).toBe(`${e.observer.id}.ndjson`);
        expect(nodes.get(e.observer.id)?.type).toBe(e.observer.type);
      }
      const files = new Set(data.events.map((e) => e.file));
      for (const n of data.registry.nodes.filter((x) => x.type !== "ids_sensor")) expect(files.has(`${n.id}.ndjson`), n.id).toBe(true);
    });

    it("use only contract fields, never a resident's name, address or birth date", () => {
      const seen = new Set<string>();
      for (const e of data.events) {
        const { file: _file, t: _t, ...raw } = e;
        for (const p of fieldPaths(raw)) seen.add(p);
      }
      for (const p of seen) {
        expect(CONTRACT_FIELDS.has(p), p).toBe(true);
        if (p !== "jukinet.recipient.name") expect(p).not.toMatch(/name|address|birth/i);
      }
    });

    it("pass the ingest schema", () => {
      for (const e of data.events) {
        const { file: _file, t: _t, ...raw } = e;
        const r = accessEventSchema.safeParse(raw);
        expect(r.success, `${e.event.id}: ${r.error?.message}`).toBe(true);
      }
    });

    it("are sorted by time within each file, inside the period, with unique ids and JST timestamps", () => {
      const from = Date.parse(data.labels.from);
      const to = Date.parse(data.labels.to);
      const last = new Map<string, number>();
      const ids = new Set<string>();
      for (const e of data.events) {
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
      const operators = new Map(data.registry.operators.map((o) => [o.id, o]));
      const orgs = new Set(data.registry.organizations.map((o) => o.id));
      for (const e of data.events) {
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
      const terminals = new Map(data.registry.terminals.map((t) => [t.id, t]));
      const cases = data.labelled("unregistered-terminal");
      let unregistered = 0;
      for (const e of data.events) {
        if (!e.host) continue;
        const t = terminals.get(e.host.id);
        if (t && t.ip === e.source?.ip && t.organization === e.organization.id) continue;
        unregistered++;
        expect(
          cases.some((l) => l.entity.id === e.host!.id && l.organization === e.organization.id && within(l, e.t)),
          `${e.event.id} ${e.host.id} ${e.source?.ip}`,
        ).toBe(true);
      }
      expect(unregistered).toBeGreaterThan(0);
    });

    it("carry 11-digit resident codes", () => {
      for (const e of data.events) {
        const code = e.jukinet?.subject?.resident_code;
        if (code !== undefined) expect(code).toMatch(/^\d{11}$/);
      }
    });

    it("have every node sending at least once per expected interval, except the labelled silences", () => {
      const silences = data.labelled("node-silence");
      for (const node of data.registry.nodes.filter((n) => n.type !== "ids_sensor")) {
        const times = data.events.filter((e) => e.observer.id === node.id).map((e) => e.t);
        const silence = silences.find((l) => l.entity.id === node.id);
        const points = [Date.parse(data.labels.from), ...times, Date.parse(data.labels.to)];
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
      const system = data.registry.operators.filter((o) => (o as { kind?: string }).kind === "system").map((o) => o.id);
      expect(system).toEqual(["SYS-000001-BATCH"]);
      const userless = data.events.filter((e) => !e.user);
      // provide: the per-resident records of a batch (jukinet.batch.id), sent by the server like its summary.
      expect(new Set(userless.map((e) => e.event.action))).toEqual(new Set(["batch_provide", "notify", "provide", "update"]));
      expect(userless.filter((e) => e.event.action === "provide").every((e) => (e.jukinet as { batch?: { id?: string } } | undefined)?.batch?.id)).toBe(true);
      for (const e of userless) {
        expect(e.host, e.event.id).toBeUndefined();
        expect(e.source, e.event.id).toBeUndefined();
      }
      // Every node's own periodic notifications are user-less; clerks' move-in notices keep their operator.
      for (const node of data.registry.nodes.filter((n) => n.type !== "ids_sensor")) {
        expect(
          userless.some((e) => e.observer.id === node.id && e.event.action === "notify" && !e.jukinet?.purpose),
          node.id,
        ).toBe(true);
      }
      expect(data.events.some((e) => e.event.action === "notify" && e.user && e.jukinet?.purpose?.item === "jukiho-1")).toBe(true);
      expect(data.events.filter((e) => e.user && isSystem(e.user.id)).every((e) => e.event.action === "provide" && e.organization.id === "000001")).toBe(true);
    });

    it("the resident-records system's updates follow the municipality's size, on business days only", () => {
      const updates = data.events.filter((e) => e.event.action === "update" && !e.user);
      const per = (org: string) => updates.filter((e) => e.organization.id === org).length;
      // 下関市 (250,000 residents) against 和木町 (6,000).
      expect(per("352012")).toBeGreaterThan(4 * Math.max(1, per("353213")));
      const reasons = new Set(updates.map((e) => e.jukinet!.change!.reason));
      for (const r of ["move_in", "move_out", "relocation"]) expect(reasons.has(r), r).toBe(true);
      const business = new Set(data.events.filter((e) => e.user && isWithinBusinessHours(e.t)).map((e) => e["@timestamp"].slice(0, 10)));
      const closedDayUpdates = updates.filter((e) => !business.has(e["@timestamp"].slice(0, 10)));
      const labelledCases = [...data.labelled("maintenance-window-update"), ...data.labelled("after-hours-access")];
      for (const e of closedDayUpdates)
        expect(
          labelledCases.some((l) => l.organization === e.organization.id && within(l, e.t)),
          e.event.id,
        ).toBe(true);
      const negative = data.labels.hard_negatives.find((l) => l.rule === "maintenance-window-update" && l.organization === "352012")!;
      expect(negative.start).toBe(data.labels.from);
      expect(negative.end).toBe(data.labels.to);
    });

    it("阿武町's CS sends only on business days, in business hours, and is labelled as a node-silence hard negative", () => {
      const node = data.registry.nodes.find((n) => n.id === "CS-355020")!;
      const sent = data.events.filter((e) => e.observer.id === node.id);
      expect(sent.length).toBeGreaterThan(0);
      for (const e of sent) expect(isWithinBusinessHours(e.t), `${e.event.id} ${e["@timestamp"]}`).toBe(true);
      const label = data.labels.hard_negatives.find((l) => l.rule === "node-silence" && l.entity.id === node.id)!;
      expect(label).toMatchObject({ organization: "355020", start: data.labels.from, end: data.labels.to });
    });
  });
});

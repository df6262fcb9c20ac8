/**
 * Fixtures for integration tests against the real Elasticsearch: a small
 * registry (prefecture, three municipalities, their nodes, terminals,
 * operators and a system account), an event builder, ingestion through the
 * real pipeline, and a detector run that returns the rule's alerts.
 *
 * Rule cases are data (detectors/samples.md), run by samples.test.ts with this
 * registry and ev(); the other test files use their own dates (see DATES).
 */
import { randomUUID } from "node:crypto";
import { runDetectors } from "../../../detectors/engine";
import { searchAlerts } from "../../../domain/alerts";
import { systemScope } from "../../../lib/auth/scope";
import { es } from "../../../lib/es/client";
import { aliasName } from "../../../lib/es/indices";
import { ingestLines } from "../../../domain/ingest/pipeline";
import { importRegistry } from "../../../domain/registry/import";
import { db } from "../../../lib/db";
import { isBusinessDay } from "../../../lib/calendar";

export const PREF = "350001";
export const SHIMONOSEKI = "352012";
export const YAMAGUCHI = "352039";
export const WAKI = "353213";

const term = (org: string, n: number, ip: string) => ({ id: `TM-${org}-${String(n).padStart(2, "0")}`, organization: org, ip });
const op = (org: string, n: number, extra: Record<string, unknown> = {}) => ({
  id: `OP-${org}-${String(n).padStart(3, "0")}`,
  organization: org,
  department: "市民課",
  cards: [`IC-${org}-${String(n).padStart(3, "0")}`],
  ...extra,
});

export const FIXTURE_REGISTRY = {
  organizations: [
    { id: "000001", name: "全国センター", kind: "national" },
    { id: PREF, name: "山口県", kind: "prefecture", parent: "000001" },
    { id: SHIMONOSEKI, name: "下関市", kind: "municipality", parent: PREF, business_hours: { start: "08:30", end: "17:15" } },
    { id: YAMAGUCHI, name: "山口市", kind: "municipality", parent: PREF, business_hours: { start: "08:30", end: "17:30" } },
    { id: WAKI, name: "和木町", kind: "municipality", parent: PREF },
  ],
  nodes: [
    { id: `CS-${SHIMONOSEKI}`, type: "municipal_cs", organization: SHIMONOSEKI, expected_interval_minutes: 60 },
    { id: `CS-${YAMAGUCHI}`, type: "municipal_cs", organization: YAMAGUCHI, expected_interval_minutes: 60 },
    { id: `CS-${WAKI}`, type: "municipal_cs", organization: WAKI, expected_interval_minutes: 60 },
    { id: `PS-${PREF}`, type: "prefectural_server", organization: PREF, expected_interval_minutes: 30 },
    { id: "NC-000001", type: "national_center", organization: "000001", expected_interval_minutes: 30 },
    { id: `IDS-${PREF}`, type: "ids_sensor", organization: PREF, expected_interval_minutes: 60 },
  ],
  terminals: [
    term(SHIMONOSEKI, 1, "10.35.201.11"),
    term(SHIMONOSEKI, 2, "10.35.201.12"),
    term(SHIMONOSEKI, 3, "10.35.201.13"),
    term(YAMAGUCHI, 1, "10.35.203.11"),
    term(YAMAGUCHI, 2, "10.35.203.12"),
    term(WAKI, 1, "10.35.213.11"),
    term(PREF, 1, "10.35.100.11"),
  ],
  operators: [
    op(SHIMONOSEKI, 1),
    op(SHIMONOSEKI, 2),
    op(SHIMONOSEKI, 3),
    op(SHIMONOSEKI, 4),
    op(SHIMONOSEKI, 5),
    op(YAMAGUCHI, 1),
    op(YAMAGUCHI, 2),
    op(YAMAGUCHI, 3),
    op(WAKI, 1),
    op(WAKI, 2),
    op(PREF, 1, { department: "市町課" }),
    op(PREF, 2, { department: "旅券センター" }),
    { id: `SYS-${PREF}-BATCH`, organization: PREF, department: "システム", cards: [], kind: "system" },
    { id: "SYS-000001-BATCH", organization: "000001", department: "システム", cards: [], kind: "system" },
  ],
  permitted_purposes: [
    { organization: SHIMONOSEKI, schedule: "jukiho", items: ["*"] },
    { organization: YAMAGUCHI, schedule: "jukiho", items: ["*"] },
    { organization: WAKI, schedule: "jukiho", items: ["*"] },
    { organization: PREF, schedule: "5", items: ["5-1", "5-2", "5-3"] },
    { organization: PREF, schedule: "ordinance", items: ["ordinance-1", "ordinance-2"] },
    { organization: "000001", schedule: "1", items: ["*"] },
  ],
  maintenance_windows: [] as { organization: string; start: string; end: string; note?: string }[],
};

export async function useFixtureRegistry(
  extra: Partial<typeof FIXTURE_REGISTRY> & {
    after_hours_permits?: { organization: string; operators?: string[] | null; start: string; end: string; reason?: string }[];
  } = {},
): Promise<void> {
  await importRegistry({ ...FIXTURE_REGISTRY, ...extra }, systemScope("test"));
}

export interface EventSpec {
  /** ISO with offset, e.g. 2026-06-03T10:00:00+09:00 */
  t: string;
  action?: string;
  outcome?: string;
  /** Operator id; `null` omits `user.id` (system activity, INTERFACE.md §1). */
  user?: string | null;
  org?: string;
  node?: string;
  /** Terminal id; `null` omits `host.id` (server-side work). */
  host?: string | null;
  ip?: string;
  resident?: string;
  kind?: string;
  wildcard?: boolean;
  results?: number;
  schedule?: string;
  item?: string;
  recipient?: string;
  /** Recipient name (default 日本年金機構). */
  recipient_name?: string;
  channel?: string;
  records?: number;
  card?: string;
  method?: string;
  reason?: string;
  source?: string;
}

/** A contract event from a compact spec; defaults: a 下関市 operator searching a resident for 住基法 duties. */
export function ev(s: EventSpec): Record<string, any> {
  const org = s.org ?? SHIMONOSEKI;
  const action = s.action ?? "search";
  const node = s.node ?? (org === PREF ? `PS-${PREF}` : org === "000001" ? "NC-000001" : `CS-${org}`);
  const nodeType = node.startsWith("PS-") ? "prefectural_server" : node.startsWith("NC-") ? "national_center" : "municipal_cs";
  const e: Record<string, any> = {
    "@timestamp": s.t,
    event: { id: randomUUID(), action, outcome: s.outcome ?? "success" },
    observer: { id: node, type: nodeType },
    organization: { id: org },
    jukinet: {},
  };
  if (s.user !== null && (s.user !== undefined || !["auth_failure", "card_locked", "card_unlocked"].includes(action)))
    e.user = { id: s.user ?? `OP-${org}-001` };
  if (s.host !== null) e.host = { id: s.host ?? `TM-${org}-01` };
  if (s.ip) e.source = { ip: s.ip };
  if (s.card || s.method || ["login", "auth_failure", "card_locked", "card_unlocked"].includes(action)) {
    e.jukinet.auth = { method: s.method ?? "ic_card_password", card_id: s.card ?? `IC-${org}-001` };
  }
  if (action === "search") e.jukinet.query = { kind: s.kind ?? "resident_code", wildcard: s.wildcard ?? false, result_count: s.results ?? 1 };
  if (s.resident) e.jukinet.subject = { resident_code: s.resident };
  if (["search", "view", "provide", "batch_provide"].includes(action)) e.jukinet.purpose = { schedule: s.schedule ?? "jukiho", item: s.item ?? "jukiho-1" };
  if (["provide", "batch_provide"].includes(action)) {
    e.jukinet.recipient = { id: s.recipient ?? "nenkin-kiko", name: s.recipient_name ?? "日本年金機構" };
    e.jukinet.channel = s.channel ?? (action === "batch_provide" ? "online_batch" : "immediate");
  }
  if (s.records !== undefined) e.jukinet.record_count = s.records;
  if (action === "update") e.jukinet.change = { reason: s.reason ?? "relocation", source_system: s.source ?? "住民記録システム" };
  return e;
}

/** Ingests events through the real pipeline (grouped by sending node) and refreshes. */
export async function ingest(events: Record<string, any>[]): Promise<void> {
  const byNode = new Map<string, Record<string, any>[]>();
  for (const e of events) (byNode.get(e.observer.id) ?? byNode.set(e.observer.id, []).get(e.observer.id)!).push(e);
  for (const [nodeId, list] of byNode) {
    const node = await db().node.findUniqueOrThrow({ where: { id: nodeId } });
    const lines = (async function* () {
      yield list.map((e, i) => ({ number: i + 1, text: JSON.stringify(e) }));
    })();
    const r = await ingestLines("events", lines, { id: node.id, type: node.type, organizationId: node.organizationId });
    if (r.rejected.length) throw new Error(`fixture events rejected: ${JSON.stringify(r.rejected.slice(0, 3))}`);
  }
  await es().indices.refresh({ index: aliasName("events") });
}

/** Runs one rule over [from, to) and returns its alerts overlapping that window. */
export async function detect(ruleId: string, from: string, to: string, now?: string) {
  const summary = await runDetectors({ from: new Date(from), to: new Date(to) }, { rules: [ruleId], trigger: "test", now: now ? new Date(now) : new Date(to) });
  const rule = summary.rules[0];
  if (rule.error) throw new Error(`rule ${ruleId} failed: ${rule.error}`);
  const { alerts } = await searchAlerts({ rule: ruleId, from, to }, systemScope("test"));
  return { summary: rule, alerts };
}

/** Times in JST: at("2026-06-03", "10:00") → "2026-06-03T10:00:00+09:00". */
export const at = (day: string, hhmm: string, sec = 0) => `${day}T${hhmm}:${String(sec).padStart(2, "0")}+09:00`;
/** Adds minutes to an ISO time, keeping +09:00. */
export const plus = (iso: string, minutes: number) => {
  const t = new Date(Date.parse(iso) + minutes * 60_000 + 9 * 3600_000).toISOString();
  return t.replace("Z", "+09:00").replace(/\.\d{3}/, "");
};
/** A deterministic 11-digit resident code. */
export const resident = (n: number) => String(50_000_000_000 + n);

/**
 * Dates reserved per test file (JST), so that files never overlap: 6-week periods, 7 weeks apart from 2024-01-01.
 * Slots 0–13 were once per-rule test files (now sample data, isolated by the runner); "engine" and "permits"
 * keep slots 14 and 15 so that their periods do not move.
 */
const slot = (i: number) => {
  const start = new Date(Date.UTC(2024, 0, 1) + i * 49 * 86_400_000);
  const end = new Date(start.getTime() + 42 * 86_400_000);
  return { start: start.toISOString().slice(0, 10), end: end.toISOString().slice(0, 10) };
};
export const DATES = { engine: slot(14), permits: slot(15), notifications: slot(16) } as const;

/** The first Monday on or after `from` whose Monday–Friday are all business days; day(n) = Monday + n days. */
export function businessWeek(from: string): (n: number) => string {
  const key = (t: number) => new Date(t).toISOString().slice(0, 10);
  for (let t = Date.parse(`${from}T00:00:00Z`); ; t += 86_400_000) {
    if (new Date(t).getUTCDay() !== 1) continue;
    const days = [0, 1, 2, 3, 4].map((n) => key(t + n * 86_400_000));
    if (days.every(isBusinessDay)) return (n: number) => key(t + n * 86_400_000);
  }
}

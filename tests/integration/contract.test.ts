/**
 * Contract conformance (INTERFACE.md §1–§3): the variants the contract allows
 * are accepted and stored, through HTTP (the route handlers, real node
 * tokens, plain and gzip) and through the CLI path (ingestFile, plain and
 * gzip files); the variants it forbids are rejected with a reason naming the
 * field. Cases are data: add a row, not code.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/db";
import { es } from "../../lib/es/client";
import { aliasName, type Stream } from "../../lib/es/indices";
import { ingestFile } from "../../domain/ingest/file";
import { documentId } from "../../domain/ingest/pipeline";
import { systemScope } from "../../lib/auth/scope";
import { importRegistry } from "../../domain/registry/import";
import { ensureRegistry, gzip, post, runId, tempFile, token } from "./helpers";

const CS = "CS-352012";
const PS = "PS-350001"; // a prefectural server: sends for the municipalities of its subtree
const IDS = "IDS-350001";
const T0 = Date.parse("2026-11-10T09:00:00+09:00");
const at = (n: number) => new Date(T0 + n * 60_000 + 9 * 3600_000).toISOString().replace("Z", "+09:00");

type Line = Record<string, unknown> | string;
/** One case: the node that sends it and the line, built from the run id and the case number (unique event.id). */
interface Case {
  name: string;
  node: string;
  stream?: Stream;
  line: (id: string, n: number) => Line;
}

const cs = (id: string, n: number) => ({
  "@timestamp": at(n),
  event: { id, outcome: "success" },
  observer: { id: CS, type: "municipal_cs" },
  organization: { id: "352012" },
});
const ps = (id: string, n: number) => ({
  "@timestamp": at(n),
  event: { id, outcome: "success" },
  observer: { id: PS, type: "prefectural_server" },
  organization: { id: "352039" },
});
const search = { query: { kind: "resident_code" }, purpose: { schedule: "jukiho", item: "jukiho-1" } };
const withAction = (e: ReturnType<typeof cs>, action: string) => ({ ...e, event: { ...e.event, action } });
const eve = (n: number, extra: Record<string, unknown> = {}) => ({
  timestamp: at(n).replace(/:(\d\d)$/, "$1").replace(/\.(\d{3})/, ".$1456"),
  flow_id: 998877000 + n,
  in_iface: "eth1",
  event_type: "alert",
  src_ip: "203.0.113.9",
  src_port: 40000 + n,
  dest_ip: "10.35.201.11",
  dest_port: 443,
  proto: "TCP",
  alert: { action: "allowed", gid: 1, signature_id: 2_100_000 + n, rev: 2, signature: "ET POLICY contract case", category: "Potentially Bad Traffic", severity: 3 },
  ...extra,
});

const ALLOWED: Case[] = [
  { name: "search with only the required fields", node: CS, line: (id, n) => ({ ...withAction(cs(id, n), "search"), user: { id: "OP-352012-001" }, jukinet: search }) },
  {
    name: "optional fields null",
    node: CS,
    line: (id, n) => ({
      ...withAction(cs(id, n), "search"),
      user: { id: "OP-352012-001" },
      host: null,
      source: { ip: null },
      jukinet: { query: { kind: "four_info", wildcard: null, result_count: null }, purpose: search.purpose, subject: null, record_count: null, channel: null, change: null },
    }),
  },
  {
    name: "dotted keys only",
    node: CS,
    line: (id, n) => ({
      "@timestamp": at(n), "event.id": id, "event.action": "view", "event.outcome": "success", "observer.id": CS, "observer.type": "municipal_cs",
      "organization.id": "352012", "user.id": "OP-352012-002", "host.id": "TM-352012-01", "source.ip": "10.35.201.11",
      "jukinet.subject.resident_code": "12345678901", "jukinet.purpose.schedule": "jukiho", "jukinet.purpose.item": "jukiho-2",
    }),
  },
  {
    name: "nested and dotted keys mixed",
    node: CS,
    line: (id, n) => ({ ...withAction(cs(id, n), "search"), "user.id": "OP-352012-001", jukinet: { purpose: search.purpose }, "jukinet.query.kind": "name_birthdate", "jukinet.query.wildcard": true }),
  },
  {
    name: "update by the resident-records system (no operator)",
    node: CS,
    line: (id, n) => ({ ...withAction(cs(id, n), "update"), jukinet: { subject: { resident_code: "12345678902" }, change: { reason: "move_in", source_system: "住民記録システム" } } }),
  },
  {
    name: "update with user.id null (dotted)",
    node: CS,
    line: (id, n) => ({ ...withAction(cs(id, n), "update"), "user.id": null, "jukinet.change.reason": "birth", "jukinet.change.source_system": "住民記録システム", "jukinet.record_count": 3 }),
  },
  {
    name: "nightly batch_provide by a prefectural server for a municipality of its subtree",
    node: PS,
    line: (id, n) => ({
      ...withAction(ps(id, n), "batch_provide"),
      jukinet: { purpose: { schedule: "4", item: "4-1" }, recipient: { id: "AG-PENSION", name: "日本年金機構" }, channel: "online_batch", record_count: 1200, batch: { id: "B-20261110-01" } },
    }),
  },
  {
    name: "per-resident provide of a media batch, no operator",
    node: PS,
    line: (id, n) => ({
      ...withAction(ps(id, n), "provide"),
      jukinet: { subject: { resident_code: "12345678903" }, purpose: { schedule: "4", item: "4-1" }, recipient: { id: "AG-PENSION" }, channel: "media", batch: { id: "B-20261110-02" } },
    }),
  },
  { name: "notify by a system", node: CS, line: (id, n) => ({ ...withAction(cs(id, n), "notify"), jukinet: { subject: { resident_code: "12345678904" } } }) },
  {
    name: "code_change by a system",
    node: CS,
    line: (id, n) => ({ ...withAction(cs(id, n), "code_change"), jukinet: { subject: { resident_code: "12345678905", previous_resident_code: "12345678906" } } }),
  },
  { name: "auth_failure with the card only", node: CS, line: (id, n) => ({ ...withAction(cs(id, n), "auth_failure"), host: { id: "TM-352012-01" }, jukinet: { auth: { method: "ic_card_password", card_id: "IC-352012-001" } } }) },
  {
    name: "fields outside the contract's table (ignored)",
    node: CS,
    line: (id, n) => ({ ...withAction(cs(id, n), "logout"), user: { id: "OP-352012-001", name: "ignored" }, labels: { site: "x" }, "event.kind": "event", ecs: { version: "8.11" } }),
  },
  { name: "EVE alert with extra fields", node: IDS, stream: "ids", line: (_id, n) => eve(n, { app_proto: "tls", tls: { sni: "example.test" }, payload_printable: "…", metadata: { flowbits: ["a"] }, host: "sensor-1" }) },
  { name: "EVE alert with extra alert fields", node: IDS, stream: "ids", line: (_id, n) => eve(n, { alert: { ...eve(n).alert as object, metadata: { signature_severity: ["Major"] } } }) },
];

const FORBIDDEN: (Case & { reason: RegExp })[] = [
  { name: "missing @timestamp", node: CS, reason: /^@timestamp: required/, line: (id, n) => { const { "@timestamp": _, ...e } = withAction(cs(id, n), "logout"); return { ...e, user: { id: "OP-352012-001" } }; } },
  { name: "@timestamp null", node: CS, reason: /^@timestamp: required/, line: (id, n) => ({ ...withAction(cs(id, n), "logout"), "@timestamp": null, user: { id: "OP-352012-001" } }) },
  { name: "bad action", node: CS, reason: /^event\.action: invalid value "serch"/, line: (id, n) => ({ ...withAction(cs(id, n), "serch"), user: { id: "OP-352012-001" } }) },
  { name: "foreign observer.id", node: CS, reason: /^observer\.id "CS-352039" is not the sending node/, line: (id, n) => ({ ...withAction(cs(id, n), "logout"), observer: { id: "CS-352039", type: "municipal_cs" }, user: { id: "OP-352012-001" } }) },
  { name: "foreign organization.id", node: CS, reason: /^organization\.id "352039" is not the organisation/, line: (id, n) => ({ ...withAction(cs(id, n), "logout"), organization: { id: "352039" }, user: { id: "OP-352012-001" } }) },
  { name: "organization.id above a prefectural server's subtree", node: PS, reason: /^organization\.id "000001" is neither/, line: (id, n) => ({ ...withAction(ps(id, n), "notify"), organization: { id: "000001" } }) },
  { name: "__proto__ key", node: CS, reason: /key "__proto__" is not allowed \(at jukinet\.__proto__\)/, line: (id, n) => JSON.stringify({ ...withAction(cs(id, n), "logout"), user: { id: "OP-352012-001" } }).replace(/}$/, ',"jukinet":{"__proto__":{"x":1}}}') },
  { name: "search without user.id", node: CS, reason: /^user\.id: required for "search"/, line: (id, n) => ({ ...withAction(cs(id, n), "search"), jukinet: search }) },
  { name: "search with user.id null", node: CS, reason: /^user\.id: required for "search"/, line: (id, n) => ({ ...withAction(cs(id, n), "search"), "user.id": null, jukinet: search }) },
  { name: "search without jukinet.query.kind", node: CS, reason: /^jukinet\.query\.kind: required for "search"/, line: (id, n) => ({ ...withAction(cs(id, n), "search"), user: { id: "OP-352012-001" }, jukinet: { purpose: search.purpose } }) },
  { name: "provide without recipient", node: PS, reason: /^jukinet\.recipient\.id: required for "provide"/, line: (id, n) => ({ ...withAction(ps(id, n), "provide"), jukinet: { purpose: { schedule: "4", item: "4-1" }, channel: "online_batch" } }) },
  { name: "code_change without the previous code", node: CS, reason: /^jukinet\.subject\.previous_resident_code: required for "code_change"/, line: (id, n) => ({ ...withAction(cs(id, n), "code_change"), jukinet: { subject: { resident_code: "12345678905" } } }) },
  { name: "EVE alert without signature_id", node: IDS, stream: "ids", reason: /^alert\.signature_id: required/, line: (_id, n) => { const e = eve(n); return { ...e, alert: { ...(e.alert as object), signature_id: undefined } }; } },
];

type Transport = "http" | "http-gzip" | "cli" | "cli-gzip";
const TRANSPORTS: Transport[] = ["http", "http-gzip", "cli", "cli-gzip"];

/** Sends the lines of one node and stream by one transport; the contract's response shape either way. */
async function send(transport: Transport, stream: Stream, node: string, lines: Line[]) {
  const body = lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n";
  if (transport.startsWith("http")) {
    const gz = transport === "http-gzip";
    const res = await post(stream, gz ? gzip(body) : body, await token(node), gz ? { "content-encoding": "gzip" } : {});
    expect(res.status).toBe(200);
    return res.body as { accepted: number; duplicates: number; rejected: { line: number; error: string }[] };
  }
  const file = transport === "cli-gzip" ? tempFile("contract.ndjson.gz", gzip(body)) : tempFile("contract.ndjson", body);
  return ingestFile(stream, node, file);
}

/** The stored documents of these lines: their deterministic ids (observer + event.id, or the raw EVE line). */
const storedIds = (stream: Stream, node: string, lines: Line[]) =>
  lines.map((l) => (stream === "ids" ? documentId(node, typeof l === "string" ? l : JSON.stringify(l)) : documentId(node, ((typeof l === "string" ? JSON.parse(l) : l) as any).event?.id ?? (l as any)["event.id"])));

async function countStored(stream: Stream, ids: string[]): Promise<number> {
  // No refresh here: the contract says accepted events are searchable when the response arrives.
  return (await es().count({ index: aliasName(stream), query: { ids: { values: ids } } })).count;
}

/** Groups cases by (stream, node), keeping each case's line number within its group. */
function groups<C extends Case>(cases: C[]) {
  const out = new Map<string, { stream: Stream; node: string; cases: C[] }>();
  for (const c of cases) {
    const key = `${c.stream ?? "events"} ${c.node}`;
    if (!out.has(key)) out.set(key, { stream: c.stream ?? "events", node: c.node, cases: [] });
    out.get(key)!.cases.push(c);
  }
  return [...out.values()];
}

beforeAll(async () => {
  await ensureRegistry();
  await importRegistry({ nodes: [{ id: PS, type: "prefectural_server", organization: "350001", expected_interval_minutes: 1440 }] }, systemScope("test"));
});

afterAll(async () => {
  // The other test files expect the shared registry without this node.
  await db().nodeToken.deleteMany({ where: { nodeId: PS } });
  await db().node.delete({ where: { id: PS } });
});

describe("contract conformance: what the contract allows is accepted and stored", () => {
  const offsets = new Map<Transport, number>(TRANSPORTS.map((t, i) => [t, i * 100]));
  for (const transport of TRANSPORTS) {
    it(`through ${transport}`, async () => {
      const run = runId(`contract-${transport}`);
      for (const g of groups(ALLOWED)) {
        const lines = g.cases.map((c) => c.line(`${run}-${ALLOWED.indexOf(c)}`, offsets.get(transport)! + ALLOWED.indexOf(c)));
        const res = await send(transport, g.stream, g.node, lines);
        // Each case by name, so a failure says which variant was refused and why.
        const refused = res.rejected.map((r) => `${g.cases[r.line - 1].name}: ${r.error}`);
        expect(refused, `${g.node} ${g.stream}`).toEqual([]);
        expect(res.accepted + res.duplicates).toBe(lines.length);
        expect(await countStored(g.stream, storedIds(g.stream, g.node, lines))).toBe(lines.length);
      }
    });
  }

  it("stores system activity without an operator and the code_change's old code as a reference", async () => {
    const run = runId("contract-docs");
    const caseOf = (name: string) => ALLOWED.find((c) => c.name.startsWith(name))!;
    const update = caseOf("update by the resident-records system").line(`${run}-u`, 500);
    const change = caseOf("code_change").line(`${run}-c`, 501);
    expect(await send("http", "events", CS, [update, change])).toMatchObject({ accepted: 2, rejected: [] });
    const docs = await es().search<Record<string, any>>({ index: aliasName("events"), query: { prefix: { "event.id": `${run}-` } }, sort: [{ "event.id": "desc" }] });
    const [u, c] = docs.hits.hits.map((h) => h._source!);
    expect(u.user).toBeUndefined();
    expect(u.jukinet.change).toEqual({ reason: "move_in", source_system: "住民記録システム" });
    expect(c.event.action).toBe("code_change");
    expect(c.jukinet.subject.previous_ref).toMatch(/^[0-9a-f]{32}$/);
    expect(c.jukinet.subject.previous_ref).not.toBe(c.jukinet.subject.ref);
    expect(JSON.stringify(c)).not.toContain("12345678906");
  });
});

describe("contract conformance: what the contract forbids is rejected, naming the field", () => {
  for (const transport of ["http", "cli"] as const) {
    it(`through ${transport}`, async () => {
      const run = runId(`contract-bad-${transport}`);
      for (const g of groups(FORBIDDEN)) {
        const lines = g.cases.map((c) => c.line(`${run}-${FORBIDDEN.indexOf(c)}`, 700 + FORBIDDEN.indexOf(c) + (transport === "cli" ? 50 : 0)));
        const res = await send(transport, g.stream, g.node, lines);
        expect(res.accepted).toBe(0);
        const reasons = Object.fromEntries(res.rejected.map((r) => [g.cases[r.line - 1].name, r.error]));
        for (const c of g.cases) expect(reasons[c.name], c.name).toMatch(c.reason);
      }
    });
  }
});

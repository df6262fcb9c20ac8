/** Shared helpers of the integration tests: real Elasticsearch, real SQLite, the real route handlers. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { es } from "../../lib/es/client";
import { aliasName, type Stream } from "../../lib/es/indices";
import { systemScope } from "../../lib/auth/scope";
import { importRegistry } from "../../domain/registry/import";
import { issueNodeToken } from "../../domain/registry/tokens";
import { POST as postAccess } from "../../app/api/ingest/access/route";
import { POST as postIds } from "../../app/api/ingest/ids/route";

export const REGISTRY = {
  organizations: [
    { id: "000001", name: "全国センター", kind: "national" },
    { id: "350001", name: "山口県", kind: "prefecture", parent: "000001" },
    { id: "352012", name: "下関市", kind: "municipality", parent: "350001" },
    { id: "352039", name: "山口市", kind: "municipality", parent: "350001" },
  ],
  nodes: [
    { id: "CS-352012", type: "municipal_cs", organization: "352012", expected_interval_minutes: 60 },
    { id: "CS-352039", type: "municipal_cs", organization: "352039", expected_interval_minutes: 60 },
    { id: "IDS-350001", type: "ids_sensor", organization: "350001", expected_interval_minutes: 60 },
  ],
  terminals: [
    { id: "TM-352012-01", organization: "352012", ip: "10.35.201.11" },
    { id: "TM-352039-01", organization: "352039", ip: "10.35.203.11" },
  ],
  operators: [
    { id: "OP-352012-001", organization: "352012", department: "市民課", cards: ["IC-352012-001"] },
    { id: "OP-352012-002", organization: "352012", department: "市民課", cards: ["IC-352012-002"] },
    { id: "OP-352039-001", organization: "352039", department: "市民課", cards: ["IC-352039-001"] },
  ],
  permitted_purposes: [{ organization: "352012", schedule: "jukiho", items: ["*"] }],
  maintenance_windows: [],
};

let registered = false;
export async function ensureRegistry(): Promise<void> {
  if (registered) return;
  await importRegistry(REGISTRY, systemScope("test"));
  registered = true;
}

export async function token(nodeId: string): Promise<string> {
  return (await issueNodeToken(nodeId, systemScope("test"))).token;
}

/** A valid access event; `n` makes the event id unique. */
export function accessEvent(
  n: number,
  over: { node?: string; org?: string; operator?: string; resident?: string; runId?: string; action?: string; time?: string } = {},
) {
  const node = over.node ?? "CS-352012";
  return {
    "@timestamp": over.time ?? new Date(Date.parse("2026-11-02T09:00:00+09:00") + n * 1000).toISOString().replace("Z", "+00:00"),
    event: { id: `${over.runId ?? "t"}-${n}`, action: over.action ?? "search", outcome: "success" },
    observer: { id: node, type: "municipal_cs" },
    organization: { id: over.org ?? "352012" },
    user: { id: over.operator ?? "OP-352012-001" },
    host: { id: "TM-352012-01" },
    source: { ip: "10.35.201.11" },
    jukinet: {
      query: { kind: "resident_code", wildcard: false, result_count: 1 },
      subject: { resident_code: over.resident ?? String(10000000000 + n) },
      purpose: { schedule: "jukiho", item: "jukiho-1" },
    },
  };
}

export const ndjson = (rows: unknown[]) => rows.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n") + "\n";

export function tempFile(name: string, content: string | Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jukinet-it-"));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

export async function post(stream: Stream, body: string | Buffer, bearer?: string, headers: Record<string, string> = {}) {
  const req = new Request(`http://localhost/api/ingest/${stream === "events" ? "access" : "ids"}`, {
    method: "POST",
    headers: { "content-type": "application/x-ndjson", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...headers },
    body: typeof body === "string" ? body : new Uint8Array(body),
  });
  const res = await (stream === "events" ? postAccess(req) : postIds(req));
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
}

export const gzip = (s: string) => gzipSync(Buffer.from(s));

/** Documents of a stream whose event.id starts with the run's prefix (refreshes first). */
export async function countRun(stream: Stream, runId: string): Promise<number> {
  await es().indices.refresh({ index: aliasName(stream) });
  const res = await es().count({ index: aliasName(stream), query: { prefix: { "event.id": `${runId}-` } } });
  return res.count;
}

export const runId = (label: string) => `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

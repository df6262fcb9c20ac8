/**
 * Ingest bound to the sender (issue 10, contract §1, §3): an event's
 * organisation must be the node's own or, for a prefectural server or the
 * national centre, one below it; `observer.type` must be the registered
 * type; keys that reach a prototype reject the line and never pollute
 * `Object.prototype`. Real Elasticsearch, SQLite and node tokens; HTTP
 * through the route handlers and files through the CLI's import.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/db";
import { es } from "../../lib/es/client";
import { aliasName } from "../../lib/es/indices";
import { ingestFile } from "../../domain/ingest/file";
import { accessEvent, countRun, ensureRegistry, ndjson, post, runId, tempFile, token } from "./helpers";

const PREF_SERVER = "PS-350001";
const NATIONAL = "NC-000001";

beforeAll(async () => {
  await ensureRegistry();
  // Nodes of the prefecture and the national centre (helpers' registry has municipal nodes only).
  for (const n of [
    { id: PREF_SERVER, type: "prefectural_server", organizationId: "350001" },
    { id: NATIONAL, type: "national_center", organizationId: "000001" },
  ]) {
    await db().node.upsert({ where: { id: n.id }, create: { ...n, expectedIntervalMinutes: 30 }, update: n });
  }
});

const fromNode = (n: number, run: string, node: string, type: string, org: string, operator = `OP-${org}-001`) => ({
  ...accessEvent(n, { runId: run, node, org, operator }),
  observer: { id: node, type },
});

const reasons = (body: Record<string, any>) => Object.fromEntries((body.rejected as { line: number; error: string }[]).map((r) => [r.line, r.error]));

/** Organisations of the stored events of a run, by event id. */
async function storedOrganizations(run: string): Promise<Record<string, string>> {
  await es().indices.refresh({ index: aliasName("events") });
  const res = await es().search<{ event: { id: string }; organization: { id: string } }>({
    index: aliasName("events"),
    size: 100,
    query: { prefix: { "event.id": `${run}-` } },
  });
  return Object.fromEntries(res.hits.hits.map((h) => [h._source!.event.id, h._source!.organization.id]));
}

describe("organization.id bound to the sending node", () => {
  it("rejects a municipal CS's line for another municipality and stores its own lines", async () => {
    const run = runId("bind-city");
    const lines = [accessEvent(1, { runId: run }), fromNode(2, run, "CS-352012", "municipal_cs", "352039"), accessEvent(3, { runId: run })];
    const res = await post("events", ndjson(lines), await token("CS-352012"));
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(2);
    expect(res.body.rejected).toEqual([{ line: 2, error: 'organization.id "352039" is not the organisation "352012" of node "CS-352012"' }]);
    expect(await storedOrganizations(run)).toEqual({ [`${run}-1`]: "352012", [`${run}-3`]: "352012" });
  });

  it("also rejects the prefecture above a municipal CS (own organisation only, not its parent)", async () => {
    const run = runId("bind-up");
    const res = await post("events", ndjson([fromNode(1, run, "CS-352012", "municipal_cs", "350001")]), await token("CS-352012"));
    expect(res.body.accepted).toBe(0);
    expect(reasons(res.body)[1]).toMatch(/^organization\.id "350001" is not the organisation/);
  });

  it("accepts a prefectural server's lines for its own organisation and the municipalities below it, not above", async () => {
    const run = runId("bind-pref");
    const lines = [
      fromNode(1, run, PREF_SERVER, "prefectural_server", "350001"),
      fromNode(2, run, PREF_SERVER, "prefectural_server", "352039"),
      fromNode(3, run, PREF_SERVER, "prefectural_server", "352012"),
      fromNode(4, run, PREF_SERVER, "prefectural_server", "000001"),
    ];
    const res = await post("events", ndjson(lines), await token(PREF_SERVER));
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(3);
    expect(res.body.rejected).toEqual([
      { line: 4, error: `organization.id "000001" is neither the organisation "350001" of node "${PREF_SERVER}" nor one below it` },
    ]);
    expect(await storedOrganizations(run)).toEqual({ [`${run}-1`]: "350001", [`${run}-2`]: "352039", [`${run}-3`]: "352012" });
  });

  it("accepts the national centre's lines for any organisation of its tree", async () => {
    const run = runId("bind-national");
    const lines = [fromNode(1, run, NATIONAL, "national_center", "000001"), fromNode(2, run, NATIONAL, "national_center", "352039")];
    const res = await post("events", ndjson(lines), await token(NATIONAL));
    expect(res.body).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
  });

  it("binds a file import the same way (npm run ingest -- --node)", async () => {
    const run = runId("bind-file");
    const file = tempFile("bind.ndjson", ndjson([accessEvent(1, { runId: run }), fromNode(2, run, "CS-352012", "municipal_cs", "352039")]));
    const res = await ingestFile("events", "CS-352012", file);
    expect(res.accepted).toBe(1);
    expect(res.rejected).toEqual([{ line: 2, error: 'organization.id "352039" is not the organisation "352012" of node "CS-352012"' }]);
    expect(await countRun("events", run)).toBe(1);
  });
});

describe("observer.type bound to the registered node type", () => {
  it("rejects a line whose observer.type is not the node's registered type", async () => {
    const run = runId("bind-type");
    const lines = [
      accessEvent(1, { runId: run }),
      fromNode(2, run, "CS-352012", "prefectural_server", "352012"),
      fromNode(3, run, "CS-352012", "terminal", "352012"),
    ];
    const res = await post("events", ndjson(lines), await token("CS-352012"));
    expect(res.body.accepted).toBe(1);
    expect(reasons(res.body)).toEqual({
      2: 'observer.type "prefectural_server" is not the registered type "municipal_cs" of node "CS-352012"',
      3: 'observer.type "terminal" is not the registered type "municipal_cs" of node "CS-352012"',
    });
    expect(await countRun("events", run)).toBe(1);
  });
});

describe("keys that reach a prototype", () => {
  afterEach(() => {
    // Keep a failure here from leaking into other tests of the worker.
    delete (Object.prototype as Record<string, unknown>).x;
  });

  const expectPrototypeUntouched = () => {
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(Object.prototype.hasOwnProperty("x")).toBe(false);
  };

  /** Valid events turned into dotted lines, with a forbidden key added to some. */
  const polluting = (run: string) => {
    const flat = (n: number, extra: Record<string, unknown> = {}) => {
      const e = accessEvent(n, { runId: run });
      return JSON.stringify({
        "@timestamp": e["@timestamp"],
        "event.id": e.event.id,
        "event.action": "view",
        "event.outcome": "success",
        "observer.id": e.observer.id,
        "observer.type": e.observer.type,
        "organization.id": e.organization.id,
        "user.id": e.user.id,
        "jukinet.purpose.schedule": "jukiho",
        "jukinet.purpose.item": "jukiho-1",
        ...extra,
      });
    };
    // JSON.stringify drops "__proto__" of an object literal, so those lines are written by hand.
    const withKey = (n: number, key: string, value: string) => flat(n).replace(/^\{/, `{${JSON.stringify(key)}:${value},`);
    return (
      [
        flat(1),
        withKey(2, "__proto__.x", "1"),
        withKey(3, "__proto__", '{"x":1}'),
        withKey(4, "event.constructor.prototype.x", "1"),
        JSON.stringify(accessEvent(5, { runId: run })).replace('"jukinet":{', '"jukinet":{"subject.__proto__":{"x":1},'),
        flat(6),
      ].join("\n") + "\n"
    );
  };

  const expectRejectedPerLine = (res: { accepted: number; rejected: { line: number; error: string }[] }) => {
    expect(res.accepted).toBe(2);
    expect(Object.fromEntries(res.rejected.map((r) => [r.line, r.error]))).toEqual({
      2: 'key "__proto__" is not allowed (at __proto__.x)',
      3: 'key "__proto__" is not allowed (at __proto__)',
      4: 'key "constructor" is not allowed (at event.constructor.prototype.x)',
      5: 'key "__proto__" is not allowed (at jukinet.subject.__proto__)',
    });
  };

  it("rejects each such line over HTTP, stores the good lines, and leaves Object.prototype untouched", async () => {
    const run = runId("proto-http");
    const res = await post("events", polluting(run), await token("CS-352012"));
    expect(res.status).toBe(200);
    expectRejectedPerLine(res.body as never);
    expectPrototypeUntouched();
    expect(await countRun("events", run)).toBe(2);
  });

  it("does the same for a file import", async () => {
    const run = runId("proto-file");
    const res = await ingestFile("events", "CS-352012", tempFile("proto.ndjson", polluting(run)));
    expectRejectedPerLine(res);
    expectPrototypeUntouched();
    expect(await countRun("events", run)).toBe(2);
  });

  it("rejects such keys in EVE lines too, and stores the sensor's other alerts", async () => {
    const eve = (sec: number) =>
      JSON.stringify({
        timestamp: `2026-11-04T10:15:${String(sec).padStart(2, "0")}.000000+0900`,
        event_type: "alert",
        src_ip: "203.0.113.9",
        dest_ip: "10.35.201.11",
        proto: "TCP",
        alert: { signature_id: 2_100_000 + sec, signature: `binding test ${sec}`, severity: 2 },
      });
    const lines = [
      eve(1),
      eve(2).replace('"alert":{', '"alert":{"metadata":[{"__proto__":{"x":1}}],'),
      eve(3).replace(/^\{/, '{"constructor.prototype.x":1,'),
      eve(4),
    ];
    const res = await post("ids", lines.join("\n") + "\n", await token("IDS-350001"));
    expect(res.status).toBe(200);
    expect(res.body.accepted + res.body.duplicates).toBe(2);
    expect(reasons(res.body)).toEqual({
      2: 'key "__proto__" is not allowed (at alert.metadata[0].__proto__)',
      3: 'key "constructor" is not allowed (at constructor.prototype.x)',
    });
    expectPrototypeUntouched();
    await es().indices.refresh({ index: aliasName("ids") });
    const stored = await es().search<{ rule: { id: string } }>({
      index: aliasName("ids"),
      query: { terms: { "rule.id": ["2100001", "2100002", "2100003", "2100004"] } },
    });
    expect(stored.hits.hits.map((h) => h._source!.rule.id).sort()).toEqual(["2100001", "2100004"]);
  });
});

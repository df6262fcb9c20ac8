import { beforeAll, describe, expect, it } from "vitest";
import { es } from "../../lib/es/client";
import { aliasName, ensureIndexTemplates } from "../../lib/es/indices";
import { scopedCount } from "../../lib/es/scoped";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { Readable } from "node:stream";
import { ingestFile } from "../../domain/ingest/file";
import { splitLines } from "../../domain/ingest/lines";
import { ingestLines } from "../../domain/ingest/pipeline";
import { REPO_ROOT } from "../../lib/paths";
import { residentRef } from "../../domain/ingest/pseudonym";
import { systemScope } from "../../lib/auth/scope";
import { revokeNodeToken, issueNodeToken } from "../../domain/registry/tokens";
import { startLocal, stopLocal } from "../../scripts/elasticsearch";
import { TEST_ES } from "./global-setup";
import { accessEvent, countRun, ensureRegistry, gzip, ndjson, post, runId, tempFile, token } from "./helpers";

beforeAll(ensureRegistry);

describe("ingest of access events", () => {
  it("accepts a valid file, counts it, and stores nothing new when it is resent (CLI)", async () => {
    const run = runId("file");
    const file = tempFile("ok.ndjson", ndjson(Array.from({ length: 250 }, (_, i) => accessEvent(i, { runId: run }))));
    const first = await ingestFile("events", "CS-352012", file, { batchSize: 100 });
    expect(first).toEqual({ accepted: 250, duplicates: 0, rejected: [] });
    expect(await countRun("events", run)).toBe(250);
    const again = await ingestFile("events", "CS-352012", file, { batchSize: 100 });
    expect(again).toEqual({ accepted: 0, duplicates: 250, rejected: [] });
    expect(await countRun("events", run)).toBe(250);
  });

  it("accepts the same over HTTP, also gzip-compressed, and counts duplicates on resend", async () => {
    const run = runId("http");
    const body = ndjson(Array.from({ length: 120 }, (_, i) => accessEvent(i, { runId: run })));
    const t = await token("CS-352012");
    const first = await post("events", gzip(body), t, { "content-encoding": "gzip" });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ accepted: 120, duplicates: 0, rejected: [] });
    const again = await post("events", body, t);
    expect(again.body).toEqual({ accepted: 0, duplicates: 120, rejected: [] });
    expect(await countRun("events", run)).toBe(120);
  });

  it("stores the good lines of a file with bad ones and names each bad line and its reason", async () => {
    const run = runId("bad");
    const good = (n: number) => accessEvent(n, { runId: run });
    const noUser = good(3) as Record<string, any>;
    delete noUser.user;
    const badOrg = { ...good(5), organization: { id: "352013" } };
    const badTime = { ...good(6), "@timestamp": "2026-11-02 09:00" };
    const lines = [
      good(1),
      "{not json",
      good(2),
      noUser,
      good(4),
      badOrg,
      badTime,
      "",
      { ...good(7), event: { id: `${run}-7`, action: "serch", outcome: "success" } },
      good(8),
    ];
    const t = await token("CS-352012");
    const res = await post("events", ndjson(lines), t);
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(4);
    expect(res.body.rejected.map((r: { line: number }) => r.line)).toEqual([2, 4, 6, 7, 9]);
    const reason = (line: number) => res.body.rejected.find((r: { line: number }) => r.line === line).error as string;
    expect(reason(2)).toMatch(/invalid JSON/);
    expect(reason(4)).toMatch(/user\.id: required/);
    expect(reason(6)).toMatch(/organization\.id: .*check digit/);
    expect(reason(7)).toMatch(/@timestamp: expected an ISO 8601/);
    expect(reason(9)).toMatch(/event\.action: invalid value "serch"/);
    expect(await countRun("events", run)).toBe(4);
  });

  it("refuses unknown and revoked tokens with 401", async () => {
    const body = ndjson([accessEvent(1, { runId: runId("auth") })]);
    expect((await post("events", body)).status).toBe(401);
    expect((await post("events", body, "jkw_0000_unknown")).status).toBe(401);
    const issued = await issueNodeToken("CS-352012", systemScope("test"));
    expect((await post("events", body, issued.token)).status).toBe(200);
    await revokeNodeToken(issued.id, systemScope("test"));
    const revoked = await post("events", body, issued.token);
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get("www-authenticate")).toMatch(/Bearer/);
  });

  it("rejects the lines of another node sent with a node's token and keeps its own", async () => {
    const run = runId("spoof");
    const own = accessEvent(1, { runId: run });
    const other = accessEvent(2, { runId: run, node: "CS-352039", org: "352039", operator: "OP-352039-001" });
    const res = await post("events", ndjson([own, other]), await token("CS-352012"));
    expect(res.body.accepted).toBe(1);
    expect(res.body.rejected).toEqual([{ line: 2, error: 'observer.id "CS-352039" is not the sending node "CS-352012"' }]);
    expect(await countRun("events", run)).toBe(1);
  });

  it("answers 413 for a body over the limit", async () => {
    const big = "x".repeat(17 * 1024 * 1024);
    const res = await post("events", big, await token("CS-352012"));
    expect(res.status).toBe(413);
  });

  it("never stores a 住民票コード in clear, yet repeat access correlates through jukinet.subject.ref", async () => {
    const run = runId("privacy");
    const code = "73105824619";
    const events = [
      accessEvent(1, { runId: run, resident: code }),
      accessEvent(2, { runId: run, resident: code, operator: "OP-352012-002" }),
      accessEvent(3, { runId: run, resident: "73105824620" }),
    ];
    const res = await post("events", ndjson(events), await token("CS-352012"));
    expect(res.body.accepted).toBe(3);
    await es().indices.refresh({ index: "_all" });
    // Search every index and every field for the code.
    const anywhere = await es().search({ index: "_all", query: { query_string: { query: `"${code}"`, lenient: true } } });
    expect(anywhere.hits.hits).toHaveLength(0);
    const all = await es().search({ index: "_all", size: 10_000, query: { match_all: {} } });
    expect(all.hits.hits.length).toBeGreaterThan(3);
    expect(JSON.stringify(all.hits.hits)).not.toContain(code);
    const refs = await es().search<{ jukinet: { subject: { ref: string } }; user: { id: string } }>({
      index: aliasName("events"),
      query: { prefix: { "event.id": `${run}-` } },
      sort: [{ "event.id": "asc" }],
    });
    const [a, b, c] = refs.hits.hits.map((h) => h._source!);
    expect(a.jukinet.subject.ref).toBe(residentRef(code));
    expect(b.jukinet.subject.ref).toBe(a.jukinet.subject.ref);
    expect(b.user.id).not.toBe(a.user.id);
    expect(c.jukinet.subject.ref).not.toBe(a.jukinet.subject.ref);
  });
});

describe("ingest of IDS alerts", () => {
  const eve = (sid: number, sec: number) => ({
    timestamp: `2026-11-03T10:15:${String(sec).padStart(2, "0")}.123456+0900`,
    flow_id: 1234567 + sec,
    event_type: "alert",
    src_ip: "203.0.113.7",
    src_port: 51515,
    dest_ip: "10.35.201.11",
    dest_port: 443,
    proto: "TCP",
    alert: {
      action: "allowed",
      gid: 1,
      signature_id: sid,
      rev: 3,
      signature: "ET SCAN Suspicious inbound",
      category: "Attempted Information Leak",
      severity: 2,
    },
  });

  it("stores EVE alert lines, skips other EVE record types, and is idempotent", async () => {
    const lines = [
      eve(2010935, 1),
      { timestamp: "2026-11-03T10:15:02.000000+0900", event_type: "flow", src_ip: "10.0.0.1" },
      eve(2010936, 3),
      { ...eve(1, 4), src_ip: "not-an-ip" },
    ];
    const t = await token("IDS-350001");
    const first = await post("ids", ndjson(lines), t);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ accepted: 2, duplicates: 0, skipped: 1 });
    expect(first.body.rejected).toEqual([{ line: 4, error: "src_ip: expected an IP address" }]);
    const again = await post("ids", ndjson(lines), t);
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 2 });
    await es().indices.refresh({ index: aliasName("ids") });
    // This test's own alert (other files, e.g. the demo data, store the same signature at other times).
    const stored = await es().search<Record<string, any>>({
      index: aliasName("ids"),
      query: {
        bool: { filter: [{ term: { "rule.id": "2010935" } }, { range: { "@timestamp": { gte: "2026-11-03T01:15:00Z", lt: "2026-11-03T01:16:00Z" } } }] },
      },
    });
    expect(stored.hits.hits).toHaveLength(1);
    expect(stored.hits.hits[0]._source!["@timestamp"]).toBe("2026-11-03T01:15:01.123Z");
    expect(stored.hits.hits[0]._source!.destination.ip).toBe("10.35.201.11");
  });

  it("accepts IDS alerts only from IDS sensors", async () => {
    const res = await post("ids", ndjson([eve(2010935, 9)]), await token("CS-352012"));
    expect(res.status).toBe(403);
  });
});

describe.runIf(process.env.JUKINET_TEST_ES_MANAGED)("Elasticsearch outage during a batch", () => {
  it("answers 503 with Retry-After, and the resend after restart stores every event exactly once", async () => {
    const run = runId("outage");
    const total = 60_000;
    const body = ndjson(Array.from({ length: total }, (_, i) => accessEvent(i, { runId: run })));
    const t = await token("CS-352012");
    // gzip keeps 60,000 events under the body limit; several batches go out before the stop.
    let settled = false;
    const pending = post("events", gzip(body), t, { "content-encoding": "gzip" }).finally(() => (settled = true));
    // Stop the node once the first batches have landed.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !settled) {
      const stored = await es()
        .count({ index: aliasName("events"), query: { prefix: { "event.id": `${run}-` } } })
        .then(
          (r) => r.count,
          () => 0,
        );
      await es()
        .indices.refresh({ index: aliasName("events") })
        .catch(() => {});
      if (stored > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await stopLocal(TEST_ES);
    const failed = await pending;
    expect(failed.status).toBe(503);
    expect(Number(failed.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(failed.body.resend).toBe(true);
    expect(failed.body.accepted).toBeLessThan(total);

    await startLocal(TEST_ES);
    const resent = await post("events", gzip(body), t, { "content-encoding": "gzip" });
    expect(resent.status).toBe(200);
    expect(resent.body.rejected).toEqual([]);
    expect(resent.body.accepted + resent.body.duplicates).toBe(total);
    expect(resent.body.duplicates).toBeGreaterThan(0);
    expect(await countRun("events", run)).toBe(total);
    const distinct = await es().search({
      index: aliasName("events"),
      size: 0,
      query: { prefix: { "event.id": `${run}-` } },
      aggs: { ids: { cardinality: { field: "event.id", precision_threshold: 40_000 } } },
    });
    expect((distinct.aggregations!.ids as { value: number }).value).toBeGreaterThan(total * 0.99);
  }, 300_000);
});

describe("accepted data is searchable when the import returns (INTERFACE.md §3)", () => {
  // A month no other test writes to, with automatic refresh switched off, so only the pipeline's refresh can make data visible.
  const MONTH = "2024.02";
  const index = `${aliasName("events")}-${MONTH}`;
  const at = (n: number) => new Date(Date.parse("2024-02-14T10:00:00+09:00") + n * 1000).toISOString();
  const detector = systemScope("detector");
  const inRun = (run: string) => ({ prefix: { "event.id": `${run}-` } });

  it("CLI then an immediate scoped count (as a detection run reads) sees every event; without the refresh it would not", async () => {
    await es().indices.delete({ index, ignore_unavailable: true });
    const run = runId("visible");
    const file = (from: number, n: number) =>
      tempFile("v.ndjson", ndjson(Array.from({ length: n }, (_, i) => accessEvent(from + i, { runId: run, time: at(from + i) }))));
    expect(await ingestFile("events", "CS-352012", file(0, 1))).toMatchObject({ accepted: 1 });
    await es().indices.putSettings({ index, settings: { refresh_interval: "-1" } });
    // Control: the same pipeline without its final refresh leaves the new events invisible.
    expect(await ingestFile("events", "CS-352012", file(1, 40), { refresh: false, batchSize: 10 })).toMatchObject({ accepted: 40 });
    expect(await scopedCount(detector, "events", inRun(run))).toBe(1);
    expect(await ingestFile("events", "CS-352012", file(41, 60), { batchSize: 25 })).toMatchObject({ accepted: 60 });
    expect(await scopedCount(detector, "events", inRun(run))).toBe(101);
  });

  it("HTTP: the response arrives after the IDS alerts are searchable", async () => {
    const idsIndex = `${aliasName("ids")}-${MONTH}`;
    await es().indices.delete({ index: idsIndex, ignore_unavailable: true });
    const t = await token("IDS-350001");
    const alert = (n: number) => ({
      timestamp: `2024-02-14T10:00:${String(n).padStart(2, "0")}.000001+0900`,
      event_type: "alert",
      src_ip: "203.0.113.8",
      dest_ip: "10.35.201.11",
      proto: "TCP",
      alert: { signature_id: 2_200_000 + n, signature: "ET SCAN visible on return", category: "Attempted Information Leak", severity: 2 },
    });
    expect((await post("ids", ndjson([alert(0)]), t)).body.accepted).toBe(1);
    await es().indices.putSettings({ index: idsIndex, settings: { refresh_interval: "-1" } });
    const res = await post("ids", ndjson([1, 2, 3].map(alert)), t);
    expect(res.body).toMatchObject({ accepted: 3, rejected: [] });
    expect(await scopedCount(detector, "ids", { term: { "rule.name": "ET SCAN visible on return" } })).toBe(4);
  });
});

describe("npm run detect reads what was written just before it (INTERFACE.md §3, §4)", () => {
  it("refreshes the IDS and event aliases before it runs", async () => {
    const MONTH = "2024.05";
    const index = `${aliasName("ids")}-${MONTH}`;
    await es().indices.delete({ index, ignore_unavailable: true });
    const node = { id: "IDS-350001", type: "ids_sensor", organizationId: "350001" };
    const line = (sec: number, dest: string, severity: number) =>
      JSON.stringify({
        timestamp: `2024-05-14T10:00:${String(sec).padStart(2, "0")}.000001+0900`,
        event_type: "alert",
        src_ip: "203.0.113.66",
        dest_ip: dest,
        dest_port: 445,
        proto: "TCP",
        alert: { signature_id: 2024218, signature: "ET EXPLOIT detect-refresh case", category: "Attempted Administrator Privilege Gain", severity },
      });
    const lines = (texts: string[]) => splitLines(Readable.from([Buffer.from(texts.join("\n") + "\n")]), 1 << 16);
    // A visible alert that does not concern a registered host (creates the month), then refresh off.
    await ingestLines("ids", lines([line(0, "192.0.2.1", 3)]), node);
    await es().indices.putSettings({ index, settings: { refresh_interval: "-1" } });
    // Written without the pipeline's refresh (as another writer might): not searchable yet.
    await ingestLines("ids", lines([1, 2, 3].map((s) => line(s, "10.35.201.11", 1))), node, { refresh: false });
    expect(await scopedCount(systemScope("detector"), "ids", { term: { "rule.name": "ET EXPLOIT detect-refresh case" } })).toBe(1);
    const out = execFileSync(
      process.execPath,
      [
        path.join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs"),
        "scripts/detect.ts",
        "--from",
        "2024-05-14T09:00:00+09:00",
        "--to",
        "2024-05-14T11:00:00+09:00",
        "--rule",
        "ids-alert",
      ],
      { cwd: REPO_ROOT, env: process.env, encoding: "utf8" },
    );
    const summary = JSON.parse(out) as { rules: { id: string; alerts: number }[]; alerts: number };
    expect(summary.rules.find((r) => r.id === "ids-alert")?.alerts).toBeGreaterThanOrEqual(1);
  });
});

describe("index mappings", () => {
  it("a field added to the contract reaches the monthly indices created before it (strict mappings)", async () => {
    const MONTH = "2024.03";
    const index = `${aliasName("events")}-${MONTH}`;
    await es().indices.delete({ index, ignore_unavailable: true });
    // The template as it was before jukinet.subject.previous_ref and jukinet.batch existed.
    const name = `${aliasName("events")}-template`;
    const current = (await es().indices.getIndexTemplate({ name })).index_templates[0].index_template;
    const old = structuredClone(current) as any;
    delete old.template.mappings.properties.jukinet.properties.subject.properties.previous_ref;
    delete old.template.mappings.properties.jukinet.properties.batch;
    await es().indices.putIndexTemplate({ name, ...old });
    try {
      const run = runId("mapping");
      const time = "2024-03-05T10:00:00+09:00";
      expect(await ingestFile("events", "CS-352012", tempFile("o.ndjson", ndjson([accessEvent(0, { runId: run, time })])))).toMatchObject({ accepted: 1 });
      const before = await es().indices.getMapping({ index });
      expect((before[index].mappings.properties!.jukinet as any).properties.batch).toBeUndefined();
      await ensureIndexTemplates();
      const change = {
        ...accessEvent(1, { runId: run, time, action: "code_change" }),
        user: undefined,
        jukinet: { subject: { resident_code: "12345678901", previous_resident_code: "12345678902" }, batch: { id: "B-1" } },
      };
      const res = await ingestFile("events", "CS-352012", tempFile("n.ndjson", ndjson([change])));
      expect(res).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
      const after = await es().indices.getMapping({ index });
      expect((after[index].mappings.properties!.jukinet as any).properties.subject.properties.previous_ref).toEqual({ type: "keyword" });
      expect((after[index].mappings as any).dynamic).toBe("strict");
    } finally {
      await ensureIndexTemplates();
    }
  });
});

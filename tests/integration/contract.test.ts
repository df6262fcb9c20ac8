/**
 * Contract conformance (INTERFACE.md §1–§3, §6): the variants the contract allows
 * are accepted and stored, through HTTP (the route handlers, real node
 * tokens, plain and gzip), through the CLI path (ingestFile, plain and
 * gzip files) and through the ingest gateway over RELP/TLS (node certificates;
 * rejections read back from the node's rejection counts); the variants it
 * forbids are rejected with a reason naming the field. Cases are data: add a row, not code.
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
import path from "node:path";
import { VAR_DIR } from "../../lib/paths";
import { issueNodeCertificate } from "../../domain/registry/node-certs";
import { startGateway, type Gateway } from "../../gateway/server";
import { relpSend, rfc5424, type NodeTlsFiles } from "./relp-client";
import { ALLOWED, CS, FORBIDDEN, PS, type Case, type Line } from "./contract.cases";

type Transport = "http" | "http-gzip" | "cli" | "cli-gzip" | "relp";
const TRANSPORTS: Transport[] = ["http", "http-gzip", "cli", "cli-gzip", "relp"];

let gateway: Gateway | undefined;
const caDir = path.join(VAR_DIR, "test", `contract-ca-${process.env.TEST_ES_PORT ?? 9250}`);
const certs = new Map<string, NodeTlsFiles>();
async function nodeTls(node: string): Promise<NodeTlsFiles> {
  if (!certs.has(node)) {
    const c = await issueNodeCertificate(node, systemScope("test"), { dir: caDir });
    certs.set(node, { ca: c.caFile, cert: c.certFile, key: c.keyFile });
  }
  return certs.get(node)!;
}

/** Over RELP the gateway answers 200 to every message (a refused one is not resent) and counts refusals on the node, with the txnr. */
async function sendRelp(stream: Stream, node: string, lines: Line[]) {
  const rejected: { line: number; error: string }[] = [];
  // The node page keeps the last 20 reasons: send at most 20 lines per session.
  for (let from = 0; from < lines.length; from += 20) {
    const chunk = lines.slice(from, from + 20);
    const before = await db().nodeRejections.findUnique({ where: { nodeId: node } });
    const answers = await relpSend(
      gateway!.relpPort,
      await nodeTls(node),
      chunk.map((l) => rfc5424(stream === "ids" ? "suricata" : "jukinet", typeof l === "string" ? l : JSON.stringify(l))),
    );
    expect([...answers.values()].every((a) => a.startsWith("200 "))).toBe(true);
    const after = await db().nodeRejections.findUnique({ where: { nodeId: node } });
    const added = (after?.count ?? 0) - (before?.count ?? 0);
    const reasons = (after ? (JSON.parse(after.lastReasons) as { reason: string }[]) : []).slice(0, added);
    for (const r of reasons) {
      const m = /^txnr (\d+): (.*)$/s.exec(r.reason);
      rejected.push({ line: from + Number(m![1]) - 1, error: m![2] });
    }
  }
  return { accepted: lines.length - rejected.length, duplicates: 0, rejected };
}

/** Sends the lines of one node and stream by one transport; the contract's response shape either way. */
async function send(transport: Transport, stream: Stream, node: string, lines: Line[]) {
  if (transport === "relp") return sendRelp(stream, node, lines);
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
  lines.map((l) =>
    stream === "ids"
      ? documentId(node, typeof l === "string" ? l : JSON.stringify(l))
      : documentId(node, ((typeof l === "string" ? JSON.parse(l) : l) as any).event?.id ?? (l as any)["event.id"]),
  );

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
  const port = Number(process.env.TEST_GATEWAY_PORT ?? 16500) + 10;
  gateway = await startGateway({ host: "127.0.0.1", syslogPort: port, relpPort: port + 1, caDir, log: () => {} });
});

afterAll(async () => {
  await gateway?.close();
  await db().nodeCertificate.deleteMany({ where: { nodeId: PS } });
  await db().nodeRejections.deleteMany({ where: { nodeId: PS } });
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
        // RELP acknowledges once stored (INTERFACE.md §6); "searchable on return" is the HTTP and CLI promise (§3).
        if (transport === "relp") await es().indices.refresh({ index: aliasName(g.stream) });
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
    const docs = await es().search<Record<string, any>>({
      index: aliasName("events"),
      query: { prefix: { "event.id": `${run}-` } },
      sort: [{ "event.id": "desc" }],
    });
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
  for (const transport of ["http", "cli", "relp"] as const) {
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

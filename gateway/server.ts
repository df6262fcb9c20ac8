/**
 * The ingest gateway (INTERFACE.md §6): syslog over TLS (RFC 5425,
 * octet-counted) and RELP over TLS, both with mutual TLS against the node
 * CA, feeding the one ingest pipeline (domain/ingest/pipeline.ts: validation,
 * sender binding, pseudonymisation, idempotent ids).
 *
 * Per connection, messages are collected into batches; a batch goes to the
 * store when the previous one returned (or at once when none is in flight),
 * so batches grow with the store's latency. At most GATEWAY_BATCHES_IN_FLIGHT
 * batches are in flight per connection; beyond that the socket is paused
 * (TCP back-pressure reaches the sender). A batch the store cannot take is
 * retried with backoff until it is stored — never dropped, never buffered
 * beyond those batches. RELP answers each `syslog` command in order, only
 * after its batch is stored (or refused for a reason resending cannot fix:
 * those are counted per node and answered 200 so the sender does not loop).
 * Plain syslog/TLS has no acknowledgement: what the gateway has read is
 * stored even if the connection closes, but what was still in the sender's
 * buffers when the connection broke is lost (README, "Shipping with rsyslog").
 */
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import tls from "node:tls";
import { config } from "../lib/config";
import { checkClientCertificate, ensureServerCertificate } from "../domain/registry/node-certs";
import { ingestLines, type IngestNode } from "../domain/ingest/pipeline";
import { recordRejections } from "../domain/ingest/rejections";
import type { Line } from "../domain/ingest/lines";
import { FramingError, OctetCountingParser, parseRfc5424, relpFrame, RelpParser } from "./framing";

export type Transport = "syslog-tls" | "relp-tls";

export interface GatewayOptions {
  host: string;
  syslogPort: number;
  relpPort: number;
  batchSize: number;
  batchesInFlight: number;
  maxMessageBytes: number;
  maxConnections: number;
  /** Node CA folder (its CA certificate verifies clients; the gateway's own certificate is issued there when none is configured). */
  caDir: string;
  log: (line: string) => void;
}

export interface GatewayStats {
  connections: number;
  /** Messages read (syslog messages and RELP `syslog` commands). */
  received: number;
  stored: number;
  duplicates: number;
  rejected: number;
  refusedHandshakes: number;
  storeRetries: number;
}

export interface Gateway {
  syslogPort: number;
  relpPort: number;
  caFile: string;
  stats: GatewayStats;
  close(): Promise<void>;
}

interface Message {
  /** RELP transaction number (undefined over syslog/TLS). */
  txnr?: number;
  /** Where the message was on the connection, for the rejection reason: "txnr 42" or "message 42". */
  at: string;
  stream?: "events" | "ids";
  text?: string;
  /** Refused before the pipeline (framing, size, syslog header, APP-NAME). */
  error?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function options(): GatewayOptions {
  const c = config();
  return {
    host: c.GATEWAY_HOST,
    syslogPort: c.GATEWAY_SYSLOG_PORT,
    relpPort: c.GATEWAY_RELP_PORT,
    batchSize: c.GATEWAY_BATCH_SIZE,
    batchesInFlight: c.GATEWAY_BATCHES_IN_FLIGHT,
    maxMessageBytes: c.GATEWAY_MAX_MESSAGE_BYTES,
    maxConnections: c.GATEWAY_MAX_CONNECTIONS,
    caDir: c.NODE_CA_DIR,
    log: (line) => process.stderr.write(`[gateway] ${line}\n`),
  };
}

function tlsMaterial(caDir: string): { cert: string; key: string; ca: string; caFile: string } {
  const c = config();
  const names = [...c.GATEWAY_TLS_NAMES.split(","), os.hostname()];
  const own = ensureServerCertificate(names, caDir);
  const caFile = own.ca;
  if (c.GATEWAY_TLS_CERT && c.GATEWAY_TLS_KEY) {
    return { cert: fs.readFileSync(c.GATEWAY_TLS_CERT, "utf8"), key: fs.readFileSync(c.GATEWAY_TLS_KEY, "utf8"), ca: fs.readFileSync(caFile, "utf8"), caFile };
  }
  return { cert: own.cert, key: own.key, ca: fs.readFileSync(caFile, "utf8"), caFile };
}

export async function startGateway(overrides: Partial<GatewayOptions> = {}): Promise<Gateway> {
  const o = { ...options(), ...overrides };
  const material = tlsMaterial(o.caDir);
  const stats: GatewayStats = { connections: 0, received: 0, stored: 0, duplicates: 0, rejected: 0, refusedHandshakes: 0, storeRetries: 0 };
  const sessions = new Set<Session>();
  let closing = false;

  /** Counts refusals on the node (resolves once recorded, so a RELP answer never precedes its count). */
  const count = async (nodeId: string | undefined, transport: Transport, reasons: string[]) => {
    stats.rejected += reasons.length;
    if (!nodeId) return;
    await recordRejections(nodeId, transport, reasons).catch((e) => o.log(`could not record rejections of ${nodeId}: ${(e as Error).message}`));
  };

  const accept = (transport: Transport) => async (socket: tls.TLSSocket) => {
    socket.pause();
    socket.on("error", () => socket.destroy());
    // OpenSSL has verified the chain to the node CA and the validity period (rejectUnauthorized); the
    // console's record decides the rest: issued here, not revoked, CN still a registered node.
    let check;
    try {
      check = await checkClientCertificate(socket.getPeerCertificate());
    } catch (e) {
      o.log(`certificate check failed: ${(e as Error).message}`);
      socket.destroy();
      return;
    }
    if (!check.ok) {
      stats.refusedHandshakes++;
      o.log(`refused ${transport} client ${socket.remoteAddress}: ${check.reason}`);
      await count(check.nodeId, transport, [`connection refused: ${check.reason}`]);
      socket.destroy();
      return;
    }
    if (closing) return void socket.destroy();
    const session = new Session(socket, transport, check.node, o, stats, count, () => closing);
    sessions.add(session);
    stats.connections++;
    socket.on("close", () => {
      sessions.delete(session);
      stats.connections--;
    });
    socket.resume();
  };

  const make = (transport: Transport) => {
    const server = tls.createServer(
      {
        cert: material.cert,
        key: material.key,
        ca: material.ca,
        requestCert: true,
        rejectUnauthorized: true,
        minVersion: "TLSv1.2",
      },
      (socket) => void accept(transport)(socket),
    );
    server.maxConnections = o.maxConnections;
    server.on("tlsClientError", (e, socket) => {
      stats.refusedHandshakes++;
      o.log(`refused ${transport} handshake from ${socket.remoteAddress}: ${e.message}`);
    });
    return server;
  };

  const listen = (server: net.Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, o.host, () => resolve((server.address() as net.AddressInfo).port));
    });
  const syslogServer = make("syslog-tls");
  const relpServer = make("relp-tls");
  const syslogPort = await listen(syslogServer, o.syslogPort);
  const relpPort = await listen(relpServer, o.relpPort);

  return {
    syslogPort,
    relpPort,
    caFile: material.caFile,
    stats,
    async close() {
      closing = true;
      const closed = Promise.all([syslogServer, relpServer].map((s) => new Promise((r) => s.close(r))));
      await Promise.all([...sessions].map((s) => s.shutdown()));
      await closed;
    },
  };
}

/** One authenticated node connection. */
class Session {
  private parser: RelpParser | OctetCountingParser;
  private batch: Message[] = [];
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  /** RELP responses in command order: written from the head as they become ready. */
  private answers: { txnr: number; text?: string; after?: () => void }[] = [];
  private waiting = new Map<number, { txnr: number; text?: string }>();
  private opened = false;
  private gone = false;
  private drained: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: tls.TLSSocket,
    private readonly transport: Transport,
    private readonly node: IngestNode,
    private readonly o: GatewayOptions,
    private readonly stats: GatewayStats,
    private readonly count: (nodeId: string, transport: Transport, reasons: string[]) => Promise<void>,
    private readonly closing: () => boolean,
  ) {
    this.parser = transport === "relp-tls" ? new RelpParser(o.maxMessageBytes) : new OctetCountingParser(o.maxMessageBytes);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("end", () => {
      this.flush();
      if (this.transport === "syslog-tls") void this.drained.then(() => socket.end());
    });
    socket.on("close", () => {
      this.gone = true;
      if (this.timer) clearTimeout(this.timer);
      // Over syslog/TLS nobody will resend what was read: it is still stored.
      if (this.transport === "syslog-tls") this.flush();
    });
  }

  private onData(chunk: Buffer) {
    try {
      if (this.parser instanceof RelpParser) for (const f of this.parser.push(chunk)) this.onRelpFrame(f);
      else for (const m of this.parser.push(chunk)) this.add(this.syslogMessage(m.data, m.length));
    } catch (e) {
      if (!(e instanceof FramingError)) throw e;
      void this.count(this.node.id, this.transport, [`connection closed: ${e.message}`]);
      this.o.log(`${this.transport} ${this.node.id}: ${e.message}; closing`);
      this.socket.destroy();
    }
  }

  private received = 0;

  private syslogMessage(data: Buffer | undefined, length: number, txnr?: number): Message {
    const at = txnr === undefined ? `message ${++this.received}` : `txnr ${txnr}`;
    if (!data) return { txnr, at, error: `message of ${length} bytes is longer than ${this.o.maxMessageBytes}` };
    let parsed;
    try {
      parsed = parseRfc5424(data);
    } catch (e) {
      return { txnr, at, error: (e as Error).message };
    }
    const eve = parsed.appName === "suricata";
    if (eve && this.node.type !== "ids_sensor")
      return { txnr, at, error: `APP-NAME suricata (EVE) from node "${this.node.id}", which is a ${this.node.type}, not an ids_sensor` };
    if (!eve && this.node.type === "ids_sensor")
      return { txnr, at, error: `node "${this.node.id}" is an ids_sensor: send its EVE lines with APP-NAME suricata` };
    return { txnr, at, stream: eve ? "ids" : "events", text: parsed.msg };
  }

  private onRelpFrame(f: { txnr: number; command: string; data: Buffer | undefined; length: number }) {
    if (f.txnr === 0) return; // hints from the client need no answer
    switch (f.command) {
      case "open": {
        const offers = (f.data ?? Buffer.alloc(0)).toString("utf8").split("\n");
        const version = offers.find((l) => l.startsWith("relp_version="))?.slice(13) ?? "";
        if (this.opened || !/^\d+$/.test(version)) return this.answer(f.txnr, "500 protocol error: open without relp_version", () => this.socket.end());
        this.opened = true;
        const wantsSyslog = offers.some((l) => l.startsWith("commands=") && l.slice(9).split(",").includes("syslog"));
        return this.answer(
          f.txnr,
          `200 OK\nrelp_version=${Math.min(Number(version), 1)}\nrelp_software=juki-net-watch,1,https://github.com/\ncommands=${wantsSyslog ? "syslog" : ""}`,
        );
      }
      case "syslog":
        if (!this.opened) return this.answer(f.txnr, "500 session not open", () => this.socket.end());
        {
          const slot = { txnr: f.txnr };
          this.answers.push(slot);
          this.waiting.set(f.txnr, slot);
        }
        return this.add(this.syslogMessage(f.data, f.length, f.txnr));
      case "close":
        this.flush();
        return this.answer(f.txnr, "200 OK", () => this.socket.end());
      default:
        return this.answer(f.txnr, `500 unsupported command ${f.command}`);
    }
  }

  private answer(txnr: number, text: string, after?: () => void) {
    this.answers.push({ txnr, text, after });
    this.writeAnswers();
  }

  private writeAnswers() {
    let n = 0;
    while (n < this.answers.length && this.answers[n].text !== undefined) n++;
    if (!n || this.gone) return;
    const ready = this.answers.splice(0, n);
    this.socket.write(Buffer.concat(ready.map((a) => relpFrame(a.txnr, "rsp", a.text))));
    for (const a of ready) a.after?.();
  }

  private add(m: Message) {
    this.stats.received++;
    this.batch.push(m);
    if (this.batch.length >= this.o.batchSize) this.flush();
    else if (this.inFlight === 0 && !this.timer) this.timer = setTimeout(() => this.flush(), 2);
  }

  private flush() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.batch.length) return;
    const batch = this.batch;
    this.batch = [];
    this.inFlight++;
    if (this.inFlight >= this.o.batchesInFlight) this.socket.pause();
    const stored = this.store(batch);
    // Answers go out in command order: a later batch never answers before an earlier one.
    this.drained = this.drained.then(() => stored);
    void stored.then(() => {
      this.inFlight--;
      for (const m of batch) {
        if (m.txnr === undefined) continue;
        const slot = this.waiting.get(m.txnr);
        this.waiting.delete(m.txnr);
        if (slot) slot.text = "200 OK";
      }
      this.writeAnswers();
      if (!this.gone && this.inFlight < this.o.batchesInFlight) this.socket.resume();
      if (this.batch.length && this.inFlight === 0) this.flush();
    });
  }

  /** Stores a batch through the pipeline, retrying until the store takes it (or the RELP sender is gone: it resends). */
  private async store(batch: Message[]): Promise<void> {
    const reasons: string[] = [];
    for (const m of batch) if (m.error) reasons.push(`${m.at}: ${m.error}`);
    for (const stream of ["events", "ids"] as const) {
      const members = batch.filter((m) => m.stream === stream && m.text !== undefined);
      if (!members.length) continue;
      const lines: Line[] = members.map((m, i) => ({ number: i + 1, text: m.text }));
      for (let attempt = 0; ; attempt++) {
        if (this.transport === "relp-tls" && this.gone) return;
        try {
          const result = await ingestLines(
            stream,
            (async function* () {
              yield lines;
            })(),
            this.node,
            { batchSize: lines.length + 1, concurrency: 1, retryBudgetMs: 5_000, refresh: false, maxRejectedListed: lines.length },
          );
          this.stats.stored += result.accepted;
          this.stats.duplicates += result.duplicates;
          for (const r of result.rejected) reasons.push(`${members[r.line - 1].at}: ${r.error}`);
          break;
        } catch (e) {
          this.stats.storeRetries++;
          if (attempt === 0 || attempt % 10 === 0)
            this.o.log(`${this.transport} ${this.node.id}: store not available (${(e as Error).message}); holding ${lines.length} messages`);
          if (this.closing() && this.transport === "relp-tls") return;
          await sleep(Math.min(250 * 2 ** attempt, 5_000));
        }
      }
    }
    if (reasons.length) await this.count(this.node.id, this.transport, reasons);
  }

  /** Gateway shutdown: stop reading, let batches in flight finish, tell RELP clients (serverclose hint), close. */
  async shutdown() {
    this.socket.pause();
    this.flush();
    await Promise.race([this.drained, sleep(10_000)]);
    if (this.transport === "relp-tls" && !this.gone) this.socket.write(relpFrame(0, "serverclose"));
    this.socket.end();
  }
}

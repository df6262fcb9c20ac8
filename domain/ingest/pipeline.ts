/**
 * The one ingest pipeline behind HTTP (`/api/ingest/*`) and the CLI
 * (`npm run ingest`): lines → parse (keys __proto__, constructor, prototype
 * refused) → validate → bind to the sending node (observer, organisation) →
 * pseudonymise → bounded bulk batches with `create` and deterministic ids (so
 * a resend stores nothing twice) → per-item outcome. Elasticsearch back-pressure (429) and outages are
 * retried within a budget, then surfaced as StoreUnavailableError so the caller
 * can answer 429/503 with Retry-After: the whole input is then safe to resend.
 */
import { createHash } from "node:crypto";
import { errors } from "@elastic/elasticsearch";
import { config } from "../../lib/config";
import { es } from "../../lib/es/client";
import { ensureIndexTemplates, monthlyIndex, refreshIndices, type Stream } from "../../lib/es/indices";
import { accessEventSchema, findForbiddenKey, ForbiddenKeyError, formatIssues, normaliseEvent, toStoredEvent } from "./event";
import { eveAlertSchema, toStoredIdsAlert } from "./eve";
import type { Line } from "./lines";
import { senderMismatch, senderOf, type IngestNode, type Sender } from "./sender";

export type { IngestNode } from "./sender";

export interface RejectedLine {
  line: number;
  error: string;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: RejectedLine[];
  /** Extension: EVE records that are not alerts (flow, dns, stats …), ignored. */
  skipped?: number;
  /** Extension: set when more rejected lines occurred than are listed. */
  rejected_total?: number;
}

export interface IngestOptions {
  batchSize?: number;
  concurrency?: number;
  /** How long to keep retrying a busy or unreachable store before giving up. */
  retryBudgetMs?: number;
  /** Cap on rejected lines listed (the total is still counted). */
  maxRejectedListed?: number;
  /**
   * Refresh the indices written before returning, so that every accepted
   * event is searchable when the caller answers (default true; false only
   * for measurements, see bench/ingest.ts).
   */
  refresh?: boolean;
  onProgress?: (p: { lines: number; accepted: number; duplicates: number; rejected: number }) => void;
}

/** The store could not take the batch now; nothing needs fixing, the input must be resent. */
export class StoreUnavailableError extends Error {
  constructor(
    message: string,
    readonly status: 429 | 503,
    readonly retryAfterSeconds: number,
    readonly partial: IngestResult,
  ) {
    super(message);
  }
}

interface Prepared {
  line: number;
  /** Monthly index the document goes to. */
  index: string;
  /** Serialised bulk action and source lines. */
  ndjson: string;
}

const MIN_TIMESTAMP = Date.parse("2002-01-01T00:00:00+09:00");
const FUTURE_SLACK_MS = 24 * 60 * 60 * 1000;

/** Idempotency key: the same (observer.id, event.id) always maps to the same document id. */
export function documentId(observerId: string, eventId: string): string {
  return createHash("sha256").update(observerId).update("\n").update(eventId).digest("base64url").slice(0, 27);
}

let templatesReady: Promise<void> | undefined;
function ensureTemplatesOnce(): Promise<void> {
  templatesReady ??= ensureIndexTemplates().catch((e) => {
    templatesReady = undefined;
    throw e;
  });
  return templatesReady;
}

export async function ingestLines(stream: Stream, lines: AsyncIterable<Line[]>, node: IngestNode, options: IngestOptions = {}): Promise<IngestResult> {
  const c = config();
  const batchSize = options.batchSize ?? c.INGEST_BATCH_SIZE;
  const concurrency = options.concurrency ?? c.INGEST_CONCURRENCY;
  const maxListed = options.maxRejectedListed ?? 10_000;
  const result: IngestResult = { accepted: 0, duplicates: 0, rejected: [] };
  let rejectedTotal = 0;
  let skipped = 0;
  let linesRead = 0;
  const reject = (line: number, error: string) => {
    rejectedTotal++;
    if (result.rejected.length < maxListed) result.rejected.push({ line, error });
  };
  const ingested = new Date().toISOString();
  const now = Date.now();

  try {
    await withStoreRetries(() => ensureTemplatesOnce(), options.retryBudgetMs);
  } catch (e) {
    throw asStoreError(e, result);
  }
  // The organisations this node may send for: once per request or file, not per line.
  const sender: Sender | undefined = stream === "events" ? await senderOf(node) : undefined;

  const prepare = (line: Line): Prepared | undefined => {
    if (line.text === undefined) {
      reject(line.number, `line longer than ${c.INGEST_MAX_LINE_BYTES} bytes`);
      return undefined;
    }
    if (line.text.trim() === "") return undefined;
    let json: unknown;
    try {
      json = JSON.parse(line.text);
    } catch (e) {
      reject(line.number, `invalid JSON: ${(e as Error).message}`);
      return undefined;
    }
    // Before anything copies the parsed line: __proto__, constructor, prototype at any depth.
    const forbidden = findForbiddenKey(json);
    if (forbidden) {
      reject(line.number, forbidden.message);
      return undefined;
    }
    if (stream === "ids") {
      const type = (json as { event_type?: unknown })?.event_type;
      if (typeof type === "string" && type !== "alert") {
        skipped++;
        return undefined;
      }
      const parsed = eveAlertSchema.safeParse(json);
      if (!parsed.success) {
        reject(line.number, formatIssues(parsed.error));
        return undefined;
      }
      const raw = line.text.trim();
      const id = documentId(node.id, raw);
      const doc = toStoredIdsAlert(parsed.data, raw, { id: node.id, organization: node.organizationId }, id, ingested);
      const index = monthlyIndex("ids", Date.parse(doc["@timestamp"]));
      return { line: line.number, index, ndjson: `{"create":{"_index":"${index}","_id":"${id}"}}\n${JSON.stringify(doc)}` };
    }
    let expanded: unknown;
    try {
      expanded = normaliseEvent(json);
    } catch (e) {
      if (!(e instanceof ForbiddenKeyError)) throw e;
      reject(line.number, e.message);
      return undefined;
    }
    const parsed = accessEventSchema.safeParse(expanded);
    if (!parsed.success) {
      reject(line.number, formatIssues(parsed.error));
      return undefined;
    }
    const e = parsed.data;
    const mismatch = senderMismatch(sender!, e);
    if (mismatch) {
      reject(line.number, mismatch);
      return undefined;
    }
    const t = Date.parse(e["@timestamp"]);
    if (t < MIN_TIMESTAMP || t > now + FUTURE_SLACK_MS) {
      reject(line.number, `@timestamp: ${e["@timestamp"]} is outside the accepted range (2002 to now + 24 h)`);
      return undefined;
    }
    const id = documentId(e.observer.id, e.event.id);
    const index = monthlyIndex("events", t);
    return { line: line.number, index, ndjson: `{"create":{"_index":"${index}","_id":"${id}"}}\n${JSON.stringify(toStoredEvent(e, ingested))}` };
  };

  const inFlight: Promise<void>[] = [];
  let failure: unknown;
  // Indices written to (also by duplicates: their first copy may not be searchable yet), refreshed once at the end.
  const touched = new Set<string>();
  const submit = (batch: Prepared[]) => {
    for (const p of batch) touched.add(p.index);
    const p = writeBatch(batch, result, reject, options.retryBudgetMs)
      .catch((e) => {
        failure ??= e;
      })
      .then(() => {
        options.onProgress?.({ lines: linesRead, accepted: result.accepted, duplicates: result.duplicates, rejected: rejectedTotal });
      });
    inFlight.push(p);
  };

  let batch: Prepared[] = [];
  for await (const chunk of lines) {
    for (const line of chunk) {
      linesRead = line.number;
      const prepared = prepare(line);
      if (prepared) batch.push(prepared);
      if (batch.length >= batchSize) {
        submit(batch);
        batch = [];
        while (inFlight.length >= concurrency) await inFlight.shift();
        if (failure) break;
      }
    }
    if (failure) break;
  }
  if (!failure && batch.length) submit(batch);
  await Promise.all(inFlight);

  if (stream === "ids") result.skipped = skipped;
  if (rejectedTotal > result.rejected.length) result.rejected_total = rejectedTotal;
  result.rejected.sort((a, b) => a.line - b.line);
  if (failure) throw asStoreError(failure, result);
  // Searchable on return (INTERFACE.md §3): one refresh of the touched indices, not `refresh` on every bulk.
  if (options.refresh !== false) {
    try {
      await withStoreRetries(() => refreshIndices(touched), options.retryBudgetMs);
    } catch (e) {
      throw asStoreError(e, result);
    }
  }
  return result;
}

const RETRYABLE_ITEM_STATUS = new Set([429, 502, 503, 504]);

async function writeBatch(batch: Prepared[], result: IngestResult, reject: (line: number, error: string) => void, retryBudgetMs?: number): Promise<void> {
  let pending = batch;
  const started = Date.now();
  const budget = retryBudgetMs ?? 5_000;
  for (let attempt = 0; ; attempt++) {
    const res = await withStoreRetries(() => es().bulk({ operations: pending.map((p) => p.ndjson) }), Math.max(0, budget - (Date.now() - started)));
    const retry: Prepared[] = [];
    res.items.forEach((item, i) => {
      const r = item.create!;
      if (r.status === 201) result.accepted++;
      else if (r.status === 409) result.duplicates++;
      else if (RETRYABLE_ITEM_STATUS.has(r.status)) retry.push(pending[i]);
      else reject(pending[i].line, `Elasticsearch refused the document: ${r.error?.type}: ${r.error?.reason}`);
    });
    if (!retry.length) return;
    if (Date.now() - started >= budget) {
      throw new StoreUnavailableError(`Elasticsearch is busy (${retry.length} documents refused with 429)`, 429, config().INGEST_RETRY_AFTER_SECONDS, result);
    }
    pending = retry;
    await sleep(Math.min(200 * 2 ** attempt, 5_000));
  }
}

function isRetryable(e: unknown): boolean {
  if (e instanceof errors.ConnectionError || e instanceof errors.TimeoutError || e instanceof errors.NoLivingConnectionsError) return true;
  if (e instanceof errors.ResponseError) return [429, 502, 503, 504].includes(e.statusCode ?? 0);
  return false;
}

/** Runs an Elasticsearch call, retrying outages and back-pressure with backoff within the budget. */
async function withStoreRetries<T>(fn: () => Promise<T>, budgetMs = 5_000): Promise<T> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!isRetryable(e) || Date.now() - started >= budgetMs) throw e;
      await sleep(Math.min(250 * 2 ** attempt, 5_000, Math.max(50, budgetMs - (Date.now() - started))));
    }
  }
}

function asStoreError(e: unknown, partial: IngestResult): unknown {
  if (e instanceof StoreUnavailableError) return new StoreUnavailableError(e.message, e.status, e.retryAfterSeconds, partial);
  if (!isRetryable(e)) return e;
  const busy = e instanceof errors.ResponseError && e.statusCode === 429;
  return new StoreUnavailableError(
    busy ? "Elasticsearch is busy" : `Elasticsearch is unavailable (${(e as Error).message})`,
    busy ? 429 : 503,
    config().INGEST_RETRY_AFTER_SECONDS,
    partial,
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

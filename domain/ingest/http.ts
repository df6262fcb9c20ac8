/**
 * HTTP transport of the ingest pipeline (INTERFACE.md §3): bearer token →
 * node, body size limits (413), optional gzip, then the shared pipeline.
 * Errors map to the contract's statuses; 429/503 carry Retry-After.
 */
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { config } from "../../lib/config";
import type { Stream } from "../../lib/es/indices";
import { authenticateNode } from "../registry/tokens";
import { splitLines } from "./lines";
import { ingestLines, StoreUnavailableError } from "./pipeline";

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", ...headers } });

class BodyTooLarge extends Error {}

/**
 * The raw body as a stream, refusing more than `limit` bytes as they arrive (nothing past the
 * limit is read). Streamed into the pipeline rather than buffered first: a large request is
 * parsed and stored while it is still arriving, and the process holds one batch, not the body.
 */
async function* limitedBody(req: Request, limit: number): AsyncGenerator<Buffer> {
  if (!req.body) return;
  let size = 0;
  for await (const chunk of req.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) throw new BodyTooLarge();
    yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}

/** Decompressed body as a stream, failing past the decompressed-size limit (gzip bombs). */
function decoded(body: AsyncIterable<Buffer>, encoding: string | null, limit: number): AsyncIterable<Buffer> {
  if (!encoding || encoding === "identity") return body;
  if (encoding !== "gzip") throw new UnsupportedEncoding(encoding);
  const gunzip = Readable.from(body).pipe(createGunzip());
  return (async function* () {
    let size = 0;
    try {
      for await (const chunk of gunzip as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > limit) throw new BodyTooLarge();
        yield chunk;
      }
    } finally {
      gunzip.destroy();
    }
  })();
}

class UnsupportedEncoding extends Error {}

export async function handleIngestRequest(req: Request, stream: Stream): Promise<Response> {
  const c = config();
  const auth = req.headers.get("authorization") ?? "";
  const token = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
  const node = token ? await authenticateNode(token) : undefined;
  if (!node) return json(401, { error: "unknown or revoked node token" }, { "www-authenticate": 'Bearer realm="ingest"' });
  if (stream === "ids" && node.type !== "ids_sensor") {
    return json(403, { error: `node "${node.id}" is a ${node.type}, not an ids_sensor: IDS alerts are accepted from IDS sensors only` });
  }
  if (stream === "events" && node.type === "ids_sensor") {
    return json(403, { error: `node "${node.id}" is an ids_sensor: send its EVE alerts to /api/ingest/ids` });
  }
  try {
    if (Number(req.headers.get("content-length") ?? "0") > c.INGEST_MAX_BODY_BYTES) throw new BodyTooLarge();
    const body = limitedBody(req, c.INGEST_MAX_BODY_BYTES);
    const lines = splitLines(decoded(body, req.headers.get("content-encoding"), c.INGEST_MAX_DECOMPRESSED_BYTES), c.INGEST_MAX_LINE_BYTES);
    const result = await ingestLines(stream, lines, node, { retryBudgetMs: 5_000 });
    return json(200, result);
  } catch (e) {
    if (e instanceof BodyTooLarge) {
      return json(413, {
        error: `body over the limit (${c.INGEST_MAX_BODY_BYTES} bytes, ${c.INGEST_MAX_DECOMPRESSED_BYTES} decompressed): split it into smaller batches (lines before the limit may be stored already; resending them is safe)`,
      });
    }
    if (e instanceof UnsupportedEncoding) return json(415, { error: `unsupported Content-Encoding "${e.message}" (use gzip or none)` });
    if (e instanceof StoreUnavailableError) {
      return json(
        e.status,
        { error: `${e.message}; resend the whole batch after Retry-After (resending is safe: duplicates are not stored twice)`, resend: true, ...e.partial },
        { "retry-after": String(e.retryAfterSeconds) },
      );
    }
    if ((e as NodeJS.ErrnoException)?.code === "Z_DATA_ERROR" || (e as Error)?.message?.includes("incorrect header check")) {
      return json(400, { error: "body is not valid gzip" });
    }
    throw e;
  }
}

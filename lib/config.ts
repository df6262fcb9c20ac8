/**
 * Configuration, read from the environment once and validated.
 * Every setting has a local default so a fresh clone runs without any.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { VAR_DIR } from "./paths";

const bytes = z.coerce.number().int().positive();

const schema = z.object({
  /** External cluster; when unset the project's own local node is used. */
  ELASTICSEARCH_URL: z.string().url().optional(),
  ELASTICSEARCH_API_KEY: z.string().min(1).optional(),
  /** Path of a PEM CA certificate for a TLS cluster. */
  ELASTICSEARCH_CA_CERT: z.string().min(1).optional(),
  /** Port of the local node started by `npm run es -- start` / the demo. */
  ES_PORT: z.coerce.number().int().positive().default(9200),
  /** Prefix of every index, alias and template this project owns. */
  ES_INDEX_PREFIX: z.string().regex(/^[a-z][a-z0-9_-]*$/).default("jukinet"),
  ES_SHARDS: z.coerce.number().int().positive().default(1),
  ES_REPLICAS: z.coerce.number().int().min(0).default(0),
  DATABASE_URL: z.string().default(`file:${path.join(VAR_DIR, "jukinet.db")}`),
  /** Pseudonymisation key (hex or base64, ≥ 32 bytes). Else read from PSEUDONYM_KEY_FILE. */
  PSEUDONYM_KEY: z.string().min(1).optional(),
  PSEUDONYM_KEY_FILE: z.string().default(path.join(VAR_DIR, "secrets", "pseudonym.key")),
  INGEST_MAX_BODY_BYTES: bytes.default(16 * 1024 * 1024),
  INGEST_MAX_DECOMPRESSED_BYTES: bytes.default(256 * 1024 * 1024),
  INGEST_MAX_LINE_BYTES: bytes.default(64 * 1024),
  INGEST_BATCH_SIZE: z.coerce.number().int().min(1).max(50_000).default(5000),
  INGEST_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  /** Seconds advertised in Retry-After when Elasticsearch is busy or down. */
  INGEST_RETRY_AFTER_SECONDS: z.coerce.number().int().positive().default(30),
  /** Checklist evidence files, stored by SHA-256. */
  EVIDENCE_DIR: z.string().default(path.join(VAR_DIR, "evidence")),
  EVIDENCE_MAX_BYTES: bytes.default(10 * 1024 * 1024),
  /**
   * Audit-trail MAC key(s) (hex or base64, ≥ 32 bytes each), separated by commas or
   * whitespace; the last one signs, earlier ones only verify older records. Else read
   * from AUDIT_TRAIL_KEY_FILE (one key a line, the last one current). Never in the database.
   */
  AUDIT_TRAIL_KEY: z.string().min(1).optional(),
  AUDIT_TRAIL_KEY_FILE: z.string().default(path.join(VAR_DIR, "secrets", "audit-trail.key")),
  /** A checkpoint of the trail's head goes to Elasticsearch and the log at least every this many records … */
  AUDIT_TRAIL_CHECKPOINT_RECORDS: z.coerce.number().int().positive().default(100),
  /** … or when this many seconds passed since the last one (checked on append and on verification). */
  AUDIT_TRAIL_CHECKPOINT_SECONDS: z.coerce.number().int().positive().default(60),
});

export type Config = z.infer<typeof schema>;

let cached: Config | undefined;

export function config(): Config {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/** URL of the Elasticsearch cluster in use. */
export function elasticsearchUrl(): string {
  const c = config();
  return c.ELASTICSEARCH_URL ?? `http://127.0.0.1:${c.ES_PORT}`;
}

/** The pseudonymisation key: from the environment, else from the key file written at setup. */
export function pseudonymKey(): Buffer {
  const c = config();
  const text = c.PSEUDONYM_KEY ?? readKeyFile(c.PSEUDONYM_KEY_FILE);
  const key = /^[0-9a-f]+$/i.test(text) && text.length % 2 === 0 ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
  if (key.length < 32) throw new Error("the pseudonymisation key must be at least 32 bytes");
  return key;
}

function readKeyFile(file: string): string {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    throw new Error(`no pseudonymisation key: set PSEUDONYM_KEY or run \`npm run setup\` to create ${file}`);
  }
}

/**
 * Configuration, read from the environment once and validated.
 * Every setting has a local default so a fresh clone runs without any.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { VAR_DIR } from "./paths";

const bytes = z.coerce.number().int().positive();
const months = z.coerce.number().int().min(1).max(1200);

const schema = z.object({
  /** External cluster; when unset the project's own local node is used. */
  ELASTICSEARCH_URL: z.string().url().optional(),
  ELASTICSEARCH_API_KEY: z.string().min(1).optional(),
  /** Basic authentication (a file-realm user), when the cluster has no API keys (the local secured cluster). */
  ELASTICSEARCH_USERNAME: z.string().min(1).optional(),
  ELASTICSEARCH_PASSWORD: z.string().min(1).optional(),
  /** Path of a PEM CA certificate for a TLS cluster. */
  ELASTICSEARCH_CA_CERT: z.string().min(1).optional(),
  /** Port of the local node started by `npm run es -- start` / the demo. */
  ES_PORT: z.coerce.number().int().positive().default(9200),
  /** Prefix of every index, alias and template this project owns. */
  ES_INDEX_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_-]*$/)
    .default("jukinet"),
  ES_SHARDS: z.coerce.number().int().positive().default(1),
  ES_REPLICAS: z.coerce.number().int().min(0).default(0),
  /** `file:<path>` SQLite (the embedded default) or `postgresql://user:password@host:port/database` (production; see README). */
  DATABASE_URL: z.string().default(`file:${path.join(VAR_DIR, "jukinet.db")}`),
  /** Connections each process keeps to PostgreSQL (ignored on SQLite). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /** Pseudonymisation key (hex or base64, ≥ 32 bytes). Else read from PSEUDONYM_KEY_FILE. */
  PSEUDONYM_KEY: z.string().min(1).optional(),
  PSEUDONYM_KEY_FILE: z.string().default(path.join(VAR_DIR, "secrets", "pseudonym.key")),
  /**
   * After a rotation of the pseudonymisation key: the previous key(s), comma-separated. Ingest
   * uses only the current key; look-ups by a typed 住民票コード (log explorer, disclosure) also
   * search the references made with these, so records from before the rotation stay findable.
   */
  PSEUDONYM_KEY_PREVIOUS: z.string().min(1).optional(),
  INGEST_MAX_BODY_BYTES: bytes.default(16 * 1024 * 1024),
  INGEST_MAX_DECOMPRESSED_BYTES: bytes.default(256 * 1024 * 1024),
  INGEST_MAX_LINE_BYTES: bytes.default(64 * 1024),
  INGEST_BATCH_SIZE: z.coerce.number().int().min(1).max(50_000).default(5000),
  INGEST_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  /** Seconds advertised in Retry-After when Elasticsearch is busy or down. */
  INGEST_RETRY_AFTER_SECONDS: z.coerce.number().int().positive().default(30),
  /** Ingest gateway (npm run gateway): syslog over TLS (RFC 5425) and RELP over TLS ports, listen address. */
  GATEWAY_SYSLOG_PORT: z.coerce.number().int().min(0).max(65535).default(6514),
  GATEWAY_RELP_PORT: z.coerce.number().int().min(0).max(65535).default(2514),
  GATEWAY_HOST: z.string().min(1).default("0.0.0.0"),
  /** The gateway's own TLS certificate and key (PEM); when unset, issued by the node CA on first start for GATEWAY_TLS_NAMES. */
  GATEWAY_TLS_CERT: z.string().min(1).optional(),
  GATEWAY_TLS_KEY: z.string().min(1).optional(),
  /** Host names and addresses the gateway's self-issued certificate names (comma-separated); the machine's host name is added. */
  GATEWAY_TLS_NAMES: z.string().min(1).default("localhost,127.0.0.1"),
  /** Messages per store batch, and batches in flight per connection before the gateway stops reading it. */
  GATEWAY_BATCH_SIZE: z.coerce.number().int().min(1).max(50_000).default(2000),
  GATEWAY_BATCHES_IN_FLIGHT: z.coerce.number().int().min(1).max(16).default(2),
  /** Largest syslog message or RELP frame accepted (bytes); a longer one is refused and counted, the connection kept. */
  GATEWAY_MAX_MESSAGE_BYTES: bytes.default(64 * 1024),
  GATEWAY_MAX_CONNECTIONS: z.coerce.number().int().positive().default(1000),
  /** Node certificate authority (npm run node:cert): CA key and certificate, issued node certificates. */
  NODE_CA_DIR: z.string().default(path.join(VAR_DIR, "node-ca")),
  NODE_CERT_DAYS: z.coerce.number().int().min(1).max(3650).default(397),
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
  /** Key sealing TOTP secrets at rest (AES-256-GCM; hex or base64, exactly 32 bytes). Else read from TOTP_KEY_FILE. */
  TOTP_KEY: z.string().min(1).optional(),
  TOTP_KEY_FILE: z.string().default(path.join(VAR_DIR, "secrets", "totp.key")),
  /** During a key rotation: the previous key (comma-separated if several), used only to open secrets not yet resealed. */
  TOTP_KEY_PREVIOUS: z.string().min(1).optional(),
  /** Absolute session lifetime from sign-in, whatever refreshes happen in between. */
  SESSION_MAX_AGE_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(8 * 60 * 60),
  /** Failed sign-ins per login id, and per source address, within the window before sign-in answers 429. */
  SIGNIN_LIMIT_PER_ACCOUNT: z.coerce.number().int().positive().default(10),
  SIGNIN_LIMIT_PER_ADDRESS: z.coerce.number().int().positive().default(30),
  SIGNIN_LIMIT_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(15 * 60),
  /**
   * Number of reverse proxies in front of the console that append the client
   * address to X-Forwarded-For (0: none, the console is reached directly).
   * See lib/auth/ratelimit sourceAddress.
   */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** Outgoing mail server of notifications, e.g. smtp://mail.example.lg.jp:587 or smtps://user:pass@host:465; unset = no mail channel. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, "an smtp:// or smtps:// URL")
    .optional(),
  /** Sender of notification mail. */
  MAIL_FROM: z.string().min(3).default("Juki-net Watch <jukinet-watch@localhost>"),
  /** The console's public base URL (links in notifications; next-auth reads the same variable). */
  NEXTAUTH_URL: z.string().url().optional(),
  /** How often the detection worker drains the notification queue (seconds). */
  NOTIFY_DRAIN_SECONDS: z.coerce.number().int().positive().default(30),
  // ---- Retention and archive (domain/archive; README "Retention and archive") ----
  // Per stream, in months (JST months, the current one counted): the hot period (searchable in the
  // cluster) and the total period (after it the archived snapshot is deleted too). total ≥ hot.
  /** Access events: hot 13 months, total 7 years (the municipal rule of 7 years for Juki-net operation history). */
  RETENTION_EVENTS_HOT_MONTHS: months.default(13),
  RETENTION_EVENTS_TOTAL_MONTHS: months.default(84),
  /** IDS alerts (Suricata): hot 13 months, total 5 years. */
  RETENTION_IDS_HOT_MONTHS: months.default(13),
  RETENTION_IDS_TOTAL_MONTHS: months.default(60),
  /** Detection alerts: hot 25 months (two yearly reviews), total 7 years. */
  RETENTION_ALERTS_HOT_MONTHS: months.default(25),
  RETENTION_ALERTS_TOTAL_MONTHS: months.default(84),
  /** Checkpoints of the console's audit trail in Elasticsearch (the trail's records stay in the database): hot 25 months, total 10 years. */
  RETENTION_TRAIL_HOT_MONTHS: months.default(25),
  RETENTION_TRAIL_TOTAL_MONTHS: months.default(120),
  /** Disclosure records (the provision events the disclosure page reads, inside the access events): kept at least 7 years in total. */
  RETENTION_DISCLOSURE_TOTAL_MONTHS: months.default(84),
  /** Snapshot repository of the archive (type fs, a location under the cluster's path.repo; relative = under the first path.repo). */
  ARCHIVE_REPOSITORY: z
    .string()
    .regex(/^[a-z][a-z0-9_-]*$/)
    .default("jukinet-archive"),
  ARCHIVE_REPOSITORY_LOCATION: z.string().min(1).default("jukinet-archive"),
  /** Whether the detection worker runs the archive job (once every ARCHIVE_INTERVAL_SECONDS, under its lease). */
  ARCHIVE_ENABLED: z
    .enum(["true", "false", "1", "0"])
    .default("true")
    .transform((v) => v === "true" || v === "1"),
  ARCHIVE_INTERVAL_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(6 * 60 * 60),
  /** Equipment register: default renewal cycle in years (prefectures renew Juki-net equipment every six years). */
  EQUIPMENT_RENEWAL_YEARS: z.coerce.number().int().min(1).max(30).default(6),
  /** Per-prefecture renewal cycles, `350001=5,130001=7` (prefecture code = years); others take the default. */
  EQUIPMENT_RENEWAL_YEARS_BY_PREFECTURE: z
    .string()
    .regex(/^(\d{6}=\d{1,2})(,\d{6}=\d{1,2})*$/, "code=years pairs separated by commas")
    .optional(),
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

/** Base URL of the console for links in notifications (NEXTAUTH_URL, else the local default). */
export function consoleBaseUrl(): string {
  return (config().NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "");
}

/**
 * The pseudonymisation keys: the current one first (from the environment,
 * else from the key file written at setup), then any PSEUDONYM_KEY_PREVIOUS
 * kept after a rotation.
 */
export function pseudonymKeys(): Buffer[] {
  const c = config();
  const texts = [c.PSEUDONYM_KEY ?? readKeyFile(c.PSEUDONYM_KEY_FILE), ...(c.PSEUDONYM_KEY_PREVIOUS?.split(",") ?? [])];
  return texts.map((t) => {
    const key = decodeKey(t.trim());
    if (key.length < 32) throw new Error("a pseudonymisation key must be at least 32 bytes");
    return key;
  });
}

function readKeyFile(file: string, what = "pseudonymisation key", variable = "PSEUDONYM_KEY"): string {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    throw new Error(`no ${what}: set ${variable} or run \`npm run setup\` to create ${file}`);
  }
}

const decodeKey = (text: string): Buffer => (/^[0-9a-f]+$/i.test(text) && text.length % 2 === 0 ? Buffer.from(text, "hex") : Buffer.from(text, "base64"));

/**
 * Keys sealing TOTP secrets: the current one first (TOTP_KEY, else the file
 * written at setup), then any TOTP_KEY_PREVIOUS kept during a rotation.
 */
export function totpKeys(): Buffer[] {
  const c = config();
  const keys = [c.TOTP_KEY ?? readKeyFile(c.TOTP_KEY_FILE, "TOTP key", "TOTP_KEY"), ...(c.TOTP_KEY_PREVIOUS?.split(",") ?? [])].map((t) => decodeKey(t.trim()));
  for (const k of keys) if (k.length !== 32) throw new Error("a TOTP key must be exactly 32 bytes (64 hex digits)");
  return keys;
}

/**
 * The signing key of console sessions (next-auth). Production must set
 * NEXTAUTH_SECRET explicitly (32 random characters or more; a shorter one is
 * reported): a production start without it refuses to run. Elsewhere the file written at setup is used.
 * `next build` (NEXT_PHASE phase-production-build) needs no secret.
 */
export function sessionSecret(env: NodeJS.ProcessEnv = process.env, file = path.join(VAR_DIR, "secrets", "nextauth.secret")): string {
  const set = env.NEXTAUTH_SECRET;
  if (env.NODE_ENV === "production" && env.NEXT_PHASE !== "phase-production-build") {
    if (!set)
      throw new Error(
        "NEXTAUTH_SECRET is not set: a production console needs its own session signing key (e.g. `openssl rand -base64 32`), the same on every instance",
      );
    if (set.length < 32) console.error("[config] NEXTAUTH_SECRET is short: use at least 32 random characters (e.g. `openssl rand -base64 32`)");
    return set;
  }
  if (set) return set;
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    if (env.NEXT_PHASE === "phase-production-build") return "build-time-placeholder-not-a-secret";
    throw new Error(`no session secret: set NEXTAUTH_SECRET or run \`npm run setup\` to create ${file}`);
  }
}

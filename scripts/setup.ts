/**
 * Local set-up, run after `npm install` and before the demo and the tests;
 * idempotent: creates var/, the pseudonymisation key (never committed),
 * generates the Prisma clients and applies the committed migrations
 * (SQLite's, or PostgreSQL's when DATABASE_URL is postgresql://…).
 */
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT, VAR_DIR } from "../lib/paths";

/** Prisma's CLI must not try to download native engines (the JS engine is used). */
export const PRISMA_ENV = {
  PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false",
  PRISMA_QUERY_ENGINE_LIBRARY: "/bin/false",
  CHECKPOINT_DISABLE: "1",
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
};

export function runPrisma(args: string[], env: Record<string, string | undefined> = {}): void {
  const r = spawnSync(path.join(REPO_ROOT, "node_modules", ".bin", "prisma"), args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...PRISMA_ENV, ...env },
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`prisma ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
}

/** Applies the committed migrations to the database at `url` (SQLite through Prisma's CLI, PostgreSQL through scripts/postgres-migrate.ts). */
export async function migrateDatabase(url = process.env.DATABASE_URL): Promise<void> {
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const { deployPostgresMigrations } = await import("./postgres-migrate");
    await deployPostgresMigrations(url);
  } else runPrisma(["migrate", "deploy"], url ? { DATABASE_URL: url } : {});
}

export function ensurePseudonymKey(file = process.env.PSEUDONYM_KEY_FILE ?? path.join(VAR_DIR, "secrets", "pseudonym.key")): void {
  if (process.env.PSEUDONYM_KEY || fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, randomBytes(32).toString("hex") + "\n", { mode: 0o600 });
  console.error(`[setup] created pseudonymisation key ${path.relative(REPO_ROOT, file)} (keep it secret, back it up: references depend on it)`);
}

/** Signing key of console sessions (next-auth), unless NEXTAUTH_SECRET is set. */
export function ensureSessionSecret(file = path.join(VAR_DIR, "secrets", "nextauth.secret")): void {
  if (process.env.NEXTAUTH_SECRET || fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, randomBytes(32).toString("base64url") + "\n", { mode: 0o600 });
}

/** Key of the audit trail's MACs (never in the database), unless AUDIT_TRAIL_KEY is set. One key a line; the last one signs. */
export function ensureAuditTrailKey(file = process.env.AUDIT_TRAIL_KEY_FILE ?? path.join(VAR_DIR, "secrets", "audit-trail.key")): void {
  if (process.env.AUDIT_TRAIL_KEY || fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, randomBytes(32).toString("hex") + "\n", { mode: 0o600 });
  console.error(`[setup] created audit-trail key ${path.relative(REPO_ROOT, file)} (keep it secret and outside the database; keep old keys when rotating)`);
}

/** Key sealing TOTP secrets at rest (AES-256-GCM), unless TOTP_KEY is set. */
export function ensureTotpKey(file = process.env.TOTP_KEY_FILE ?? path.join(VAR_DIR, "secrets", "totp.key")): void {
  if (process.env.TOTP_KEY || fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, randomBytes(32).toString("hex") + "\n", { mode: 0o600 });
  console.error(`[setup] created TOTP key ${path.relative(REPO_ROOT, file)} (keep it secret, back it up: enrolled authenticators depend on it)`);
}

/**
 * Seals TOTP secrets still stored in clear (from before encryption) or under
 * a previous key (TOTP_KEY_PREVIOUS, during a rotation) with the current key.
 * Sign-in does the same for one user on first use.
 */
export async function sealTotpSecrets(): Promise<void> {
  const { resealTotpSecrets } = await import("../lib/auth/accounts");
  const { disconnectDb } = await import("../lib/db");
  try {
    const n = await resealTotpSecrets();
    if (n > 0) console.error(`[setup] sealed ${n} TOTP secret(s) with the current TOTP key`);
  } finally {
    await disconnectDb();
  }
}

export async function setup(): Promise<void> {
  fs.mkdirSync(VAR_DIR, { recursive: true });
  ensurePseudonymKey();
  ensureSessionSecret();
  ensureAuditTrailKey();
  ensureTotpKey();
  // Both clients: SQLite (the default) and PostgreSQL (DATABASE_URL=postgresql://…); lib/db.ts picks one.
  runPrisma(["generate", "--schema", path.join("prisma", "schema.prisma")]);
  runPrisma(["generate", "--schema", path.join("prisma", "postgres", "schema.prisma")]);
  await migrateDatabase();
  console.error("[setup] Prisma client generated, database migrated");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await setup();
    await sealTotpSecrets();
  } catch (e) {
    console.error(`[setup] ${(e as Error).message}`);
    process.exit(1);
  }
}

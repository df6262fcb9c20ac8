/**
 * `prisma migrate deploy` for PostgreSQL, done here: Prisma 6.19's JS schema
 * engine cannot read PostgreSQL's catalogue through @prisma/adapter-pg
 * ("Column type 'name' could not be deserialized", prisma/orm#27403), and the
 * native engine is not downloaded. Same bookkeeping as Prisma's: the
 * `_prisma_migrations` table (same columns, SHA-256 checksum of migration.sql),
 * one transaction per migration, an advisory lock against concurrent deploys, so
 * Prisma's own CLI agrees with it once the bug is fixed.
 */
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../lib/paths";

export const POSTGRES_MIGRATIONS_DIR = path.join(REPO_ROOT, "prisma", "postgres", "migrations");
/** Prisma Migrate's own advisory-lock key, so its CLI and this runner exclude each other. */
const LOCK_KEY = 72707369;

export async function deployPostgresMigrations(
  url: string,
  dir = POSTGRES_MIGRATIONS_DIR,
  log = (s: string) => process.stderr.write(`[migrate] ${s}\n`),
): Promise<string[]> {
  const { Client } = (await import("pg")).default;
  const c = new Client({ connectionString: url });
  await c.connect();
  const applied: string[] = [];
  try {
    await c.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    await c.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const { rows } = await c.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
    );
    const failed = rows.find((r) => !r.finished_at && !r.rolled_back_at);
    if (failed) throw new Error(`migration ${failed.migration_name} failed earlier: resolve it before deploying (see its logs in _prisma_migrations)`);
    const done = new Map(rows.filter((r) => r.finished_at).map((r) => [r.migration_name, r.checksum]));
    const names = fs
      .readdirSync(dir)
      .filter((n) => fs.existsSync(path.join(dir, n, "migration.sql")))
      .sort();
    for (const name of names) {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      const checksum = createHash("sha256").update(sql).digest("hex");
      if (done.has(name)) {
        if (done.get(name) !== checksum) log(`warning: migration ${name} was modified after it was applied`);
        continue;
      }
      const id = randomUUID();
      await c.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())`, [id, checksum, name]);
      try {
        await c.query("BEGIN");
        await c.query(sql);
        await c.query("COMMIT");
      } catch (e) {
        await c.query("ROLLBACK");
        await c.query(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1`, [id, (e as Error).message]);
        throw new Error(`migration ${name} failed: ${(e as Error).message}`);
      }
      await c.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [id]);
      applied.push(name);
    }
    if (applied.length) log(`applied ${applied.length} PostgreSQL migration(s): ${applied.join(", ")}`);
  } finally {
    await c.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => {});
    await c.end();
  }
  return applied;
}

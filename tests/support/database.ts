/**
 * The integration tests' databases: SQLite files under var/test (the default) or,
 * with TEST_DATABASE=postgresql, databases of the local PostgreSQL instance the
 * global setup starts (scripts/postgres.ts, port TEST_PG_PORT).
 */
import fs from "node:fs";
import path from "node:path";
import { VAR_DIR } from "../../lib/paths";
import { instanceUrl, recreateDatabase } from "../../scripts/postgres";
import { migrateDatabase } from "../../scripts/setup";

export const TEST_DATABASE: "sqlite" | "postgresql" = process.env.TEST_DATABASE === "postgresql" ? "postgresql" : "sqlite";
export const TEST_PG = { name: "test", port: Number(process.env.TEST_PG_PORT ?? 55433) };

/** A fresh database `name` with the committed migrations applied (SQLite's or PostgreSQL's); returns its DATABASE_URL. */
export async function freshTestDatabase(name: string, kind = TEST_DATABASE): Promise<string> {
  let url: string;
  if (kind === "postgresql") {
    url = await recreateDatabase(instanceUrl(TEST_PG), name.replace(/[^a-z0-9]+/gi, "_").toLowerCase());
  } else {
    const file = path.join(VAR_DIR, "test", `${name}.db`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    for (const suffix of ["", "-journal", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
    url = `file:${file}`;
  }
  await migrateDatabase(url);
  return url;
}

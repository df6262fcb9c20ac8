/**
 * Integration-test environment: a real Elasticsearch node started here
 * (fresh data, its own port) unless ELASTICSEARCH_URL points at a cluster,
 * and a fresh database with the committed migrations applied: SQLite, or with
 * TEST_DATABASE=postgresql a local PostgreSQL instance started here
 * (scripts/postgres.ts, port TEST_PG_PORT; installed with apt-get when missing).
 */
import fs from "node:fs";
import path from "node:path";
import { startLocal, stopLocal } from "../../scripts/elasticsearch";
import { startPostgres, stopPostgres } from "../../scripts/postgres";
import { VAR_DIR } from "../../lib/paths";
import { freshTestDatabase, TEST_DATABASE, TEST_PG } from "../support/database";

export const TEST_ES = { name: "test", port: Number(process.env.TEST_ES_PORT ?? 9250) };

export default async function setup() {
  if (TEST_DATABASE === "postgresql") await startPostgres(TEST_PG);
  // One database per test Elasticsearch port, so parallel runs on other ports do not collide.
  process.env.DATABASE_URL = await freshTestDatabase(`integration-${TEST_ES.port}`);
  process.env.PSEUDONYM_KEY = "6a756b696e65742d77617463682d696e746567726174696f6e2d746573742d6b6579";
  process.env.ES_INDEX_PREFIX = "jukinet";
  process.env.EVIDENCE_DIR = path.join(VAR_DIR, "test", `evidence-${TEST_ES.port}`);
  fs.rmSync(process.env.EVIDENCE_DIR, { recursive: true, force: true });
  const managed = !process.env.ELASTICSEARCH_URL;
  if (managed) {
    process.env.ES_PORT = String(TEST_ES.port);
    process.env.JUKINET_TEST_ES_MANAGED = "1";
    await startLocal({ ...TEST_ES, fresh: true });
  }
  return async () => {
    if (managed && !process.env.KEEP_TEST_ES) await stopLocal(TEST_ES);
    if (TEST_DATABASE === "postgresql" && !process.env.KEEP_TEST_PG) await stopPostgres(TEST_PG);
  };
}

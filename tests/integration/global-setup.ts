/**
 * Integration-test environment: a real Elasticsearch node started here
 * (fresh data, its own port) unless ELASTICSEARCH_URL points at a cluster,
 * and a fresh SQLite database with the committed migrations applied.
 */
import fs from "node:fs";
import path from "node:path";
import { startLocal, stopLocal } from "../../scripts/elasticsearch";
import { runPrisma } from "../../scripts/setup";
import { VAR_DIR } from "../../lib/paths";

export const TEST_ES = { name: "test", port: Number(process.env.TEST_ES_PORT ?? 9250) };

export default async function setup() {
  // One database per test Elasticsearch port, so parallel runs on other ports do not collide.
  const dbFile = path.join(VAR_DIR, "test", `integration-${TEST_ES.port}.db`);
  fs.mkdirSync(path.dirname(dbFile), { recursive: true });
  for (const suffix of ["", "-journal", "-wal", "-shm"]) fs.rmSync(dbFile + suffix, { force: true });
  process.env.DATABASE_URL = `file:${dbFile}`;
  process.env.PSEUDONYM_KEY = "6a756b696e65742d77617463682d696e746567726174696f6e2d746573742d6b6579";
  process.env.ES_INDEX_PREFIX = "jukinet";
  process.env.EVIDENCE_DIR = path.join(VAR_DIR, "test", `evidence-${TEST_ES.port}`);
  fs.rmSync(process.env.EVIDENCE_DIR, { recursive: true, force: true });
  runPrisma(["migrate", "deploy"], { DATABASE_URL: process.env.DATABASE_URL });
  const managed = !process.env.ELASTICSEARCH_URL;
  if (managed) {
    process.env.ES_PORT = String(TEST_ES.port);
    process.env.JUKINET_TEST_ES_MANAGED = "1";
    await startLocal({ ...TEST_ES, fresh: true });
  }
  return async () => {
    if (managed && !process.env.KEEP_TEST_ES) await stopLocal(TEST_ES);
  };
}

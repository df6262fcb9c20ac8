/**
 * npm run registry:import -- <file.json>: idempotent upsert of the reference
 * data (INTERFACE.md §5). The server's own CLI runs in the system scope
 * (every organisation, tree changes allowed; cycles are still rejected).
 */
import fs from "node:fs";
import { systemScope } from "../lib/auth/scope";
import { disconnectDb } from "../lib/db";
import { importRegistry, RegistryImportError } from "../domain/registry/import";

async function main() {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: npm run registry:import -- <file.json>");
    process.exit(64);
  }
  try {
    let input: unknown;
    try {
      input = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
      throw new RegistryImportError([`${file}: ${(e as Error).message}`]);
    }
    console.log(JSON.stringify(await importRegistry(input, systemScope("cli")), null, 2));
  } catch (e) {
    console.error(e instanceof RegistryImportError ? e.message : `registry import failed: ${(e as Error).message}`);
    process.exitCode = 1;
  } finally {
    await disconnectDb();
  }
}

main();

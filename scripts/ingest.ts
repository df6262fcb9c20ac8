/**
 * npm run ingest -- --node <nodeId> [--ids] [--quiet] <file.ndjson[.gz]>
 * Prints the same JSON as the HTTP endpoint. Exit 0: all lines stored or
 * duplicates; 2: some lines rejected (listed); 3: Elasticsearch unavailable
 * (resend the file: it is safe).
 */
import { disconnectDb } from "../lib/db";
import { ingestFile } from "../domain/ingest/file";
import { StoreUnavailableError } from "../domain/ingest/pipeline";

async function main() {
  const args = process.argv.slice(2);
  const nodeAt = args.indexOf("--node");
  const nodeId = nodeAt >= 0 ? args[nodeAt + 1] : undefined;
  const files = args.filter((a, i) => !a.startsWith("--") && i !== nodeAt + 1);
  if (!nodeId || files.length !== 1) {
    console.error("usage: npm run ingest -- --node <nodeId> [--ids] [--quiet] <file.ndjson[.gz]>");
    process.exit(64);
  }
  const quiet = args.includes("--quiet");
  const started = Date.now();
  let last = 0;
  try {
    const result = await ingestFile(args.includes("--ids") ? "ids" : "events", nodeId, files[0], {
      onProgress: (p) => {
        if (quiet || Date.now() - last < 2000) return;
        last = Date.now();
        const rate = Math.round((p.accepted + p.duplicates) / ((Date.now() - started) / 1000));
        process.stderr.write(`[ingest] line ${p.lines}: ${p.accepted} stored, ${p.duplicates} duplicates, ${p.rejected} rejected (${rate}/s)\n`);
      },
    });
    console.log(JSON.stringify(result, null, 2));
    process.exitCode = result.rejected.length ? 2 : 0;
  } catch (e) {
    if (e instanceof StoreUnavailableError) {
      console.log(JSON.stringify({ error: e.message, resend: true, ...e.partial }, null, 2));
      process.exitCode = 3;
    } else {
      console.error(`[ingest] ${(e as Error).message}`);
      process.exitCode = 1;
    }
  } finally {
    await disconnectDb();
  }
}

main();

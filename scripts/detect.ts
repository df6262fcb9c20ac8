/**
 * npm run detect -- --from <ISO> --to <ISO> [--rule <id>]...
 * Runs every enabled rule (or the named ones) over the window and prints
 * { "rules": [ { "id", "alerts", ... } ], "alerts": n }. Reruns never duplicate alerts.
 */
import { runDetectors } from "../detectors/engine";
import { disconnectDb } from "../lib/db";
import { refreshStreams } from "../lib/es/indices";

async function main() {
  const args = process.argv.slice(2);
  const value = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const from = value("from");
  const to = value("to");
  const rules = args.flatMap((a, i) => (a === "--rule" ? [args[i + 1]] : []));
  if (!from || !to || Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to))) {
    console.error("usage: npm run detect -- --from <ISO 8601> --to <ISO 8601> [--rule <id>]...");
    process.exit(64);
  }
  try {
    // Whatever was written just before (an import, a syslog stream) is seen by this run.
    await refreshStreams();
    const summary = await runDetectors({ from: new Date(from), to: new Date(to) }, { rules: rules.length ? rules : undefined, trigger: "cli" });
    console.log(JSON.stringify(summary, null, 2));
    if (summary.rules.some((r) => r.error)) process.exitCode = 1;
  } catch (e) {
    console.error(`detect: ${(e as Error).message}`);
    process.exitCode = 1;
  } finally {
    await disconnectDb();
  }
}

main();

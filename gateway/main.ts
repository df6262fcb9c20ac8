/**
 * npm run gateway — the ingest gateway alone (production: one or more of these beside the console,
 * scaled independently of it). Ports, TLS and limits from lib/config.ts (GATEWAY_*, NODE_CA_DIR).
 * SIGTERM/SIGINT: stop accepting, finish the batches in flight, send RELP clients `serverclose`.
 */
import { config } from "../lib/config";
import { disconnectDb } from "../lib/db";
import { startGateway } from "./server";

async function main() {
  const c = config();
  const gw = await startGateway();
  const host = c.GATEWAY_HOST === "0.0.0.0" ? "<this host>" : c.GATEWAY_HOST;
  console.log(`[gateway] syslog over TLS (RFC 5425, octet-counted) on ${host}:${gw.syslogPort}, RELP over TLS on ${host}:${gw.relpPort}`);
  console.log(`[gateway] node CA certificate: ${gw.caFile}; issue node certificates with npm run node:cert -- <nodeId>`);
  const peakEvery = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 200);
  let peak = process.memoryUsage.rss();
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(peakEvery);
    await gw.close();
    console.log(`[gateway] stopped: ${JSON.stringify({ ...gw.stats, peakRssBytes: peak })}`);
    await disconnectDb();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  // For benchmarks and tests: `stats` on stdin prints the counters and the peak RSS as one JSON line.
  process.stdin.on("data", (d) => {
    if (d.toString().trim() === "stats") console.log(JSON.stringify({ stats: { ...gw.stats, peakRssBytes: Math.max(peak, process.memoryUsage.rss()) } }));
  });
}

main().catch((e) => {
  console.error(`[gateway] ${(e as Error).message}`);
  process.exit(1);
});

/**
 * npm run node:cert -- <nodeId> [--days N]   issue a client certificate and key for a registered node (CN = node id)
 * npm run node:cert -- --revoke <serial|nodeId>
 * npm run node:cert -- --list [nodeId]
 * The node CA (NODE_CA_DIR) is created on first use. The server's own CLI: system scope (every node).
 */
import { systemScope } from "../lib/auth/scope";
import { disconnectDb } from "../lib/db";
import { issueNodeCertificate, listNodeCertificates, revokeNodeCertificate } from "../domain/registry/node-certs";

async function main() {
  const args = process.argv.slice(2);
  const scope = systemScope("cli");
  const daysAt = args.indexOf("--days");
  const days = daysAt >= 0 ? Number(args.splice(daysAt, 2)[1]) : undefined;
  const [first, second] = args;
  try {
    if (first === "--revoke" && second) {
      const { revoked } = await revokeNodeCertificate(second, scope);
      console.error(`revoked ${revoked.join(", ")}: the gateway refuses it from its next connection`);
    } else if (first === "--list") {
      console.log(JSON.stringify(await listNodeCertificates(second, scope), null, 2));
    } else if (first && !first.startsWith("--")) {
      if (days !== undefined && !(Number.isInteger(days) && days > 0)) throw new Error("--days must be a positive whole number");
      const c = await issueNodeCertificate(first, scope, { days });
      console.error(
        `certificate ${c.serial} for node ${c.nodeId}, valid until ${c.notAfter.toISOString()}; copy the three files to the node (the key stays secret)`,
      );
      console.log(
        JSON.stringify(
          { node: c.nodeId, serial: c.serial, fingerprint: c.fingerprint, notAfter: c.notAfter, cert: c.certFile, key: c.keyFile, ca: c.caFile },
          null,
          2,
        ),
      );
    } else {
      console.error("usage: npm run node:cert -- <nodeId> [--days N] | --revoke <serial|nodeId> | --list [nodeId]");
      process.exitCode = 64;
    }
  } catch (e) {
    console.error(`node:cert: ${(e as Error).message}`);
    process.exitCode = 1;
  } finally {
    await disconnectDb();
  }
}

main();

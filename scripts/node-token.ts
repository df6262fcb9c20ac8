/**
 * npm run node:token -- <nodeId>          issue a token (printed once)
 * npm run node:token -- --revoke <tokenId>
 * npm run node:token -- --list [nodeId]
 * The server's own CLI: system scope (every node).
 */
import { systemScope } from "../lib/auth/scope";
import { disconnectDb } from "../lib/db";
import { issueNodeToken, listNodeTokens, revokeNodeToken } from "../domain/registry/tokens";

async function main() {
  const [first, second] = process.argv.slice(2);
  const scope = systemScope("cli");
  try {
    if (first === "--revoke" && second) {
      await revokeNodeToken(second, scope);
      console.error(`revoked ${second}`);
    } else if (first === "--list") {
      console.log(JSON.stringify(await listNodeTokens(second, scope), null, 2));
    } else if (first && !first.startsWith("--")) {
      const t = await issueNodeToken(first, scope);
      console.error(`token ${t.id} for node ${t.nodeId}: store it now, it is not shown again`);
      console.log(t.token);
    } else {
      console.error("usage: npm run node:token -- <nodeId> | --revoke <tokenId> | --list [nodeId]");
      process.exitCode = 64;
    }
  } catch (e) {
    console.error(`node:token: ${(e as Error).message}`);
    process.exitCode = 1;
  } finally {
    await disconnectDb();
  }
}

main();

/**
 * npm run api:token -- --role monitor --organization 350001 [--name "SIEM export"]
 * npm run api:token -- --revoke <tokenId>
 * Issues a read API token for GET /api/alerts (printed once).
 */
import { disconnectDb } from "../lib/db";
import { type Role, ROLES } from "../lib/auth/principal";
import { issueApiToken, revokeApiToken } from "../lib/auth/api-tokens";

const args = process.argv.slice(2);
const value = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

async function main() {
  try {
    const revoke = value("revoke");
    if (revoke) {
      await revokeApiToken(revoke);
      console.error(`revoked ${revoke}`);
      return;
    }
    const role = value("role") as Role | undefined;
    const organizationId = value("organization");
    if (!role || !ROLES.includes(role) || !organizationId) {
      console.error(`usage: npm run api:token -- --role ${ROLES.join("|")} --organization <code> [--name <label>] | --revoke <tokenId>`);
      process.exitCode = 64;
      return;
    }
    const t = await issueApiToken({ name: value("name") ?? `${role}@${organizationId}`, role, organizationId });
    console.error(`API token ${t.id} (${role}, ${organizationId}): store it now, it is not shown again`);
    console.log(t.token);
  } catch (e) {
    console.error(`api:token: ${(e as Error).message}`);
    process.exitCode = 1;
  } finally {
    await disconnectDb();
  }
}

main();

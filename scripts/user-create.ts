/**
 * npm run user:create -- --login <id> --name <name> --role admin|monitor|auditor|municipal_officer --organization <code>
 * Creates (or resets) a console user; the password comes from the PASSWORD environment variable or is
 * generated and printed once. The user enrols a TOTP authenticator at first sign-in. Resetting an
 * existing user ends every session it had (its session version moves on) and asks for a new enrolment.
 */
import { randomBytes } from "node:crypto";
import { createUser } from "../lib/auth/accounts";
import { type Role, ROLES } from "../lib/auth/principal";
import { db, disconnectDb } from "../lib/db";

const args = process.argv.slice(2);
const value = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

async function main() {
  const loginId = value("login");
  const role = value("role") as Role | undefined;
  const organizationId = value("organization");
  if (!loginId || !role || !ROLES.includes(role) || !organizationId) {
    console.error(`usage: npm run user:create -- --login <id> --name <name> --role ${ROLES.join("|")} --organization <code>`);
    process.exitCode = 64;
    return;
  }
  const password = process.env.PASSWORD ?? randomBytes(12).toString("base64url");
  try {
    const existed = !!(await db().user.findUnique({ where: { loginId }, select: { id: true } }));
    await createUser({ loginId, name: value("name") ?? loginId, role, organizationId, password });
    console.error(`user ${loginId} (${role}, ${organizationId}) ${existed ? "reset, its sessions ended" : "ready"}; TOTP is enrolled at first sign-in`);
    if (!process.env.PASSWORD) console.log(password);
  } catch (e) {
    console.error(`user:create: ${(e as Error).message}`);
    process.exitCode = 1;
  } finally {
    await disconnectDb();
  }
}

main();

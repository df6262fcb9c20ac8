/**
 * Read API tokens for integrations (`npm run api:token`): bound to a role and
 * an organisation like a user, scoped like one, read-only (lib/auth/route.ts).
 * Only a SHA-256 hash of the token is kept.
 */
import { createHash, randomBytes } from "node:crypto";
import { db } from "../db";
import type { Principal, Role } from "./principal";

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

export async function issueApiToken(opts: { name: string; role: Role; organizationId: string }) {
  const org = await db().organization.findUnique({ where: { id: opts.organizationId } });
  if (!org) throw new Error(`unknown organisation ${opts.organizationId}`);
  const id = `api_${randomBytes(6).toString("hex")}`;
  const token = `jkwapi_${id.slice(4)}_${randomBytes(32).toString("base64url")}`;
  await db().apiToken.create({ data: { id, name: opts.name, hash: hash(token), role: opts.role, organizationId: opts.organizationId } });
  return { id, token };
}

/** The principal of a bearer API token, or undefined when unknown or revoked. */
export async function apiTokenPrincipal(token: string): Promise<Principal | undefined> {
  if (!token.startsWith("jkwapi_") || token.length > 200) return undefined;
  const row = await db().apiToken.findUnique({ where: { hash: hash(token) } });
  if (!row || row.revokedAt) return undefined;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    db()
      .apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } })
      .catch(() => {});
  }
  return { kind: "api_token", id: row.id, login: `api:${row.id}`, role: row.role as Role, organizationId: row.organizationId };
}

export async function revokeApiToken(id: string): Promise<void> {
  const r = await db().apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  if (!r.count) throw new Error(`no active API token "${id}"`);
}

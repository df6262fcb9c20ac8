/**
 * Who is calling. Every route handler resolves a Principal on the server and
 * derives its Scope from it (lib/auth/scope.ts); queries are then filtered by
 * that scope (never by what the client sends).
 */
import { createHash, randomBytes } from "node:crypto";
import { db } from "../db";

export const ROLES = ["admin", "monitor", "auditor", "municipal_officer"] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  kind: "api_token" | "user";
  id: string;
  role: Role;
  organizationId: string;
}

/** A principal with the login its changes are recorded under (workflows keep "who changed what"). */
export interface Actor {
  id: string;
  login: string;
  role: Role;
  organizationId: string;
}

/** The actor of a route handler's principal: users by their login id, API tokens as api:<id>. */
export async function actorOf(p: Principal): Promise<Actor> {
  if (p.kind === "api_token") return { id: p.id, login: `api:${p.id}`, role: p.role, organizationId: p.organizationId };
  const u = await db().user.findUnique({ where: { id: p.id }, select: { loginId: true } });
  return { id: p.id, login: u?.loginId ?? p.id, role: p.role, organizationId: p.organizationId };
}

/** The prefecture whose staff the caller is (an admin or monitor of a prefecture), else undefined. */
export async function prefectureOf(p: { role: Role; organizationId: string }): Promise<string | undefined> {
  if (p.role !== "admin" && p.role !== "monitor") return undefined;
  const org = await db().organization.findUnique({ where: { id: p.organizationId }, select: { kind: true } });
  return org?.kind === "prefecture" ? p.organizationId : undefined;
}

export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403 | 404,
    message: string,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------- API tokens

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
    db().apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => {});
  }
  return { kind: "api_token", id: row.id, role: row.role as Role, organizationId: row.organizationId };
}

export async function revokeApiToken(id: string): Promise<void> {
  const r = await db().apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  if (!r.count) throw new Error(`no active API token "${id}"`);
}

/**
 * Who is calling and what they may see. Every route handler resolves a
 * Principal on the server and derives the organisations in scope from it;
 * queries are then filtered by that list (never by what the client sends).
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

/** The organisation and all its descendants. */
export async function subtree(organizationId: string): Promise<string[]> {
  const all = await db().organization.findMany({ select: { id: true, parentId: true } });
  const children = new Map<string, string[]>();
  for (const o of all) if (o.parentId) (children.get(o.parentId) ?? children.set(o.parentId, []).get(o.parentId)!).push(o.id);
  const out: string[] = [];
  const walk = (id: string) => {
    out.push(id);
    for (const c of children.get(id) ?? []) walk(c);
  };
  walk(organizationId);
  return out;
}

/**
 * Organisations whose data the principal may read: admins and monitors their
 * organisation's subtree (the prefecture and its municipalities), municipal
 * officers their own municipality, auditors the municipalities of their
 * engagements whose access period contains `now` (none → 403).
 */
export async function organizationsInScope(p: Principal, now = new Date()): Promise<string[]> {
  switch (p.role) {
    case "admin":
    case "monitor":
      return subtree(p.organizationId);
    case "municipal_officer":
      return [p.organizationId];
    case "auditor": {
      const engagements = await db().auditEngagement.findMany({
        where: { auditors: { some: { userId: p.id } }, accessFrom: { lte: now }, accessTo: { gt: now } },
        include: { organizations: true },
      });
      const orgs = [...new Set(engagements.flatMap((e) => e.organizations.map((o) => o.organizationId)))];
      if (!orgs.length) throw new AuthError(403, "no audit engagement of yours is in its access period");
      return orgs;
    }
  }
}

/** Checks a requested organisation against the scope: 403 rather than an empty answer. */
export function requireInScope(scope: string[], organizationId: string | undefined): void {
  if (organizationId && !scope.includes(organizationId)) throw new AuthError(403, `organisation ${organizationId} is outside your scope`);
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

export async function revokeApiToken(id: string): Promise<void> {
  const r = await db().apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  if (!r.count) throw new Error(`no active API token "${id}"`);
}

/** The principal of a request: its bearer API token, else the console session; throws 401 when neither. */
export async function principalFromRequest(req: Request): Promise<Principal> {
  const token = /^Bearer\s+(\S+)$/i.exec(req.headers.get("authorization") ?? "")?.[1];
  if (!token) {
    const { sessionPrincipal } = await import("./session");
    const p = await sessionPrincipal();
    if (!p) throw new AuthError(401, "authentication required");
    return p;
  }
  if (!token.startsWith("jkwapi_")) throw new AuthError(401, "unknown or revoked API token");
  const row = await db().apiToken.findUnique({ where: { hash: hash(token) } });
  if (!row || row.revokedAt) throw new AuthError(401, "unknown or revoked API token");
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    db().apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => {});
  }
  return { kind: "api_token", id: row.id, role: row.role as Role, organizationId: row.organizationId };
}

/** Route-handler wrapper: authenticates, then maps AuthError to its status. `ctx` is Next's (route params). */
export function withPrincipal<C = unknown>(handler: (req: Request, p: Principal, ctx: C) => Promise<Response>) {
  return async (req: Request, ctx?: C): Promise<Response> => {
    try {
      return await handler(req, await principalFromRequest(req), ctx as C);
    } catch (e) {
      if (e instanceof AuthError) {
        return Response.json({ error: e.message }, { status: e.status, headers: e.status === 401 ? { "www-authenticate": "Bearer" } : {} });
      }
      throw e;
    }
  };
}

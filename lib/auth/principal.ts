/**
 * Who is calling: the one caller type. A route handler, page or server action
 * resolves a Principal on the server (lib/auth/route.ts, lib/auth/pages.ts)
 * and derives its Scope from it (lib/auth/scope.ts); queries are then
 * filtered by that scope (never by what the client sends), and workflows
 * record changes under its `login`. A signed-in user's SessionUser is a
 * Principal with the session's own fields.
 */
import { db } from "../db";

export const ROLES = ["admin", "monitor", "auditor", "municipal_officer"] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  kind: "api_token" | "user";
  /** User id, or the API token's public id. */
  id: string;
  /** What changes are recorded under: a user's login id, an API token as `api:<id>`. */
  login: string;
  role: Role;
  organizationId: string;
}

/** A signed-in console user: what the session token carries. */
export interface SessionUser extends Principal {
  kind: "user";
  name: string;
  /** The user's session version when the session began (see sessionVersion in prisma/schema.prisma). */
  sessionVersion?: number;
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

/**
 * Who may do what with incidents, and the one `where` that scopes them. An
 * incident belongs to every organisation it concerns: a caller sees it when
 * any of them is in its Scope (a municipality sees incidents concerning it,
 * the prefecture those of its subtree). Admins and monitors manage incidents
 * in their scope; municipal officers read them, add notes and answer
 * investigation requests. Auditors have no access (incidents are not in an
 * engagement's evidence).
 */
import { AuthError, prefectureOf, type Principal } from "../../lib/auth/principal";
import { scopeOf, type Scope } from "../../lib/auth/scope";

export type IncidentErrorCode =
  | "not_found"
  | "not_manager"
  | "not_prefecture"
  | "not_answerer"
  | "bad_input"
  | "closed"
  | "bad_query"
  | "bad_alert"
  | "bad_organization"
  | "answered"
  | "bad_due"
  | "file"
  | "bad_contact";

/** An expected refusal; `code` names the catalogue message `incident.error.<code>`. */
export class IncidentError extends Error {
  constructor(
    readonly code: IncidentErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface IncidentAccess {
  scope: Scope;
  /** Admins and monitors: open, change, decide, link. */
  manage: boolean;
  /** Prefecture staff: send investigation requests. */
  prefecture: boolean;
}

export async function accessOf(actor: Principal): Promise<IncidentAccess> {
  if (actor.role === "auditor") throw new AuthError(403, "auditors have no access to incidents");
  const scope = await scopeOf(actor);
  return { scope, manage: actor.role === "admin" || actor.role === "monitor", prefecture: (await prefectureOf(actor)) !== undefined };
}

/** Prisma `where` of the incidents a scope sees: any organisation concerned in it. */
export function incidentScopeWhere(scope: Scope) {
  const orgs = scope.organizations;
  return orgs ? { organizations: { some: { organizationId: { in: orgs } } } } : {};
}

/**
 * Who may take an alert: active console users (not auditors, who only read)
 * of an organisation in the caller's scope whose own scope covers the
 * alert's organisation (their organisation is it or one of its ancestors).
 */
import type { Scope } from "../../lib/auth/scope";
import { db } from "../../lib/db";

export interface Assignee {
  login: string;
  name: string;
  organizationId: string;
}

export const ASSIGNABLE_ROLES = ["admin", "monitor", "municipal_officer"];

/** A function giving an organisation and its ancestors (cycle-safe), over the organisation tree read once. */
async function lineages(): Promise<(organizationId: string) => Set<string>> {
  const orgs = await db().organization.findMany({ select: { id: true, parentId: true } });
  const parent = new Map(orgs.map((o) => [o.id, o.parentId]));
  return (organizationId) => {
    const set = new Set<string>();
    for (let at: string | null | undefined = organizationId; at && !set.has(at); at = parent.get(at)) set.add(at);
    return set;
  };
}

/** Users in the caller's scope who may take alerts of every given organisation (none given: any in scope). */
export async function assigneesFor(organizationIds: string[], scope: Scope): Promise<Assignee[]> {
  const users = await db().user.findMany({
    where: { ...scope.where(), disabledAt: null, role: { in: ASSIGNABLE_ROLES } },
    select: { loginId: true, name: true, organizationId: true },
    orderBy: [{ organizationId: "asc" }, { name: "asc" }],
  });
  const lineage = await lineages();
  const required = [...new Set(organizationIds)].map(lineage);
  return users.filter((u) => required.every((l) => l.has(u.organizationId))).map((u) => ({ login: u.loginId, name: u.name, organizationId: u.organizationId }));
}

/** For triage: does the user `login` (in the caller's scope) cover an organisation? Undefined when no such user. */
export async function assigneeCoverage(login: string, scope: Scope): Promise<((organizationId: string) => boolean) | undefined> {
  const user = await db().user.findFirst({
    where: { ...scope.where(), loginId: login, disabledAt: null, role: { in: ASSIGNABLE_ROLES } },
    select: { organizationId: true },
  });
  if (!user) return undefined;
  const lineage = await lineages();
  return (organizationId) => lineage(organizationId).has(user.organizationId);
}

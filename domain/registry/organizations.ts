/**
 * Organisations as users name them: names for codes (names of local governments are public, so the
 * whole table is read), the organisations of a scope for filters, and a typed name or code resolved
 * to its code (下関市 → 352012).
 */
import type { Scope } from "../../lib/auth/scope";
import { db } from "../../lib/db";

export interface OrganizationName {
  id: string;
  name: string;
}

/** Every organisation's name by code. */
export async function organizationNames(): Promise<Map<string, string>> {
  const rows = await db().organization.findMany({ select: { id: true, name: true } });
  return new Map(rows.map((o) => [o.id, o.name]));
}

/** The organisations in a scope, by code. */
export async function organizationsInScope(scope: Scope): Promise<OrganizationName[]> {
  return db().organization.findMany({ where: scope.where("id"), select: { id: true, name: true }, orderBy: { id: "asc" } });
}

/**
 * A typed organisation as its code: a 6-digit code as it is, a name (exact, then the only one that
 * starts with it) as the code of that organisation; undefined when nothing or several match. The
 * scope is checked by the caller, as for a code.
 */
export async function resolveOrganization(input: string): Promise<string | undefined> {
  const s = input.normalize("NFKC").trim();
  if (/^\d{6}$/.test(s)) return s;
  if (!s) return undefined;
  const exact = await db().organization.findMany({ where: { name: s }, select: { id: true } });
  if (exact.length === 1) return exact[0].id;
  if (exact.length > 1) return undefined;
  const prefix = await db().organization.findMany({ where: { name: { startsWith: s } }, select: { id: true }, take: 2 });
  return prefix.length === 1 ? prefix[0].id : undefined;
}

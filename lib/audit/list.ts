/**
 * Reading the audit trail for the console page, within the viewer's scope.
 */
import { db } from "../db";
import type { Scope } from "../auth/scope";

export interface TrailRow {
  seq: number;
  at: Date;
  /** Login of the actor (user login, `API: <token name>` for an API token), else the stored id. */
  actor: string;
  /** The actor's name when the actor is a known user (氏名), for the page. */
  actorName?: string;
  action: string;
  target: string | null;
  organizationId: string | null;
  details: string | null;
}

/**
 * One page of the trail (newest first) as the viewer may see it: records of
 * organisations in the scope, records without an organisation whose actor
 * belongs to the scope, and records with neither (anonymous sign-in failures
 * of unknown logins) only when `unowned` (admins of the deployment's top
 * organisation, see the audit-trail page).
 */
export async function listAuditTrail(scope: Scope, opts: { before?: number; take?: number; unowned?: boolean; action?: string } = {}): Promise<TrailRow[]> {
  const rows = await db().consoleAuditEvent.findMany({
    where: {
      ...(opts.before ? { seq: { lt: opts.before } } : {}),
      ...(opts.action ? { action: opts.action } : {}),
      OR: [
        scope.where("organizationId"),
        { organizationId: null, ...scope.where("actorOrganizationId") },
        ...(opts.unowned ? [{ organizationId: null, actorOrganizationId: null }] : []),
      ],
    },
    orderBy: { seq: "desc" },
    take: opts.take ?? 100,
  });
  const ids = [...new Set(rows.filter((r) => r.actorId).map((r) => r.actorId!))];
  const names = new Map<string, string>();
  const people = new Map<string, string>();
  if (ids.length) {
    for (const u of await db().user.findMany({ where: { id: { in: ids } }, select: { id: true, loginId: true, name: true } })) {
      names.set(u.id, u.loginId);
      people.set(u.id, u.name);
    }
    for (const t of await db().apiToken.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })) names.set(t.id, `API: ${t.name}`);
  }
  return rows.map((r) => ({
    seq: r.seq,
    at: r.at,
    actor: r.actorLogin ?? (r.actorId ? (names.get(r.actorId) ?? r.actorId) : ""),
    actorName: r.actorId ? people.get(r.actorId) : undefined,
    action: r.action,
    target: r.target,
    organizationId: r.organizationId,
    details: r.details,
  }));
}

/**
 * Records with no organisation and no known actor (sign-in failures of
 * unknown logins) belong to the deployment as a whole: only administrators of
 * its top organisation (one without a parent, e.g. the national centre or, in
 * a prefecture-only deployment, the prefecture) see them.
 */
export async function seesUnownedAuditRecords(user: { role: string; organizationId: string }): Promise<boolean> {
  if (user.role !== "admin") return false;
  const org = await db().organization.findUnique({ where: { id: user.organizationId }, select: { parentId: true } });
  return !!org && org.parentId === null;
}

/**
 * Appending to the audit trail: each record links to the latest one and is
 * signed with the current trail key (see lib/audit/trail.ts).
 */
import { databaseKind, db } from "../db";
import { checkpointIfDue } from "./head";
import { trailKeys } from "./keys";
import { GENESIS, KEYED, macOf, type Row } from "./mac";

export interface AuditEntry {
  actorId?: string | null;
  actorLogin?: string | null;
  /** The actor's organisation; looked up from the user or API token when not given. */
  actorOrganizationId?: string | null;
  action: string;
  target?: string | null;
  organizationId?: string | null;
  scope?: string[] | null;
  details?: Record<string, unknown> | null;
}

async function actorOf(entry: AuditEntry): Promise<{ login: string | null; organizationId: string | null }> {
  let login = entry.actorLogin ?? null;
  let organizationId = entry.actorOrganizationId ?? null;
  if (entry.actorId && (!login || !organizationId)) {
    const user = await db().user.findUnique({ where: { id: entry.actorId }, select: { loginId: true, organizationId: true } });
    if (user) {
      login ??= user.loginId;
      organizationId ??= user.organizationId;
    } else {
      const token = await db().apiToken.findUnique({ where: { id: entry.actorId }, select: { organizationId: true } });
      organizationId ??= token?.organizationId ?? null;
    }
  }
  return { login, organizationId };
}

/** Advisory-lock key of audit-trail appends on PostgreSQL (an arbitrary constant of this project). */
const AUDIT_APPEND_LOCK = 71_502_026;

// Appends are serialised in this process so that each one links to the latest record.
let queue: Promise<unknown> = Promise.resolve();

export function recordAudit(entry: AuditEntry): Promise<void> {
  const run = queue.then(async () => {
    const ring = trailKeys();
    const actor = await actorOf(entry);
    const append = () =>
      db().$transaction(async (tx) => {
        // On PostgreSQL, console instances take turns at the head of the chain: a transaction-scoped advisory lock
        // (released at commit) makes the read of the head and the insert after it one step across processes.
        if (databaseKind() === "postgresql") await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_APPEND_LOCK})`;
        const last = await tx.consoleAuditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
        const row: Row = {
          seq: (last?.seq ?? 0) + 1,
          at: new Date(),
          actorId: entry.actorId ?? null,
          actorLogin: actor.login,
          actorOrganizationId: actor.organizationId,
          action: entry.action,
          target: entry.target ?? null,
          organizationId: entry.organizationId ?? null,
          scope: entry.scope ? JSON.stringify(entry.scope) : null,
          details: entry.details ? JSON.stringify(entry.details) : null,
          prevHash: last?.hash ?? GENESIS,
          macVersion: KEYED,
          keyId: ring.current.id,
        };
        return tx.consoleAuditEvent.create({ data: { ...row, hash: macOf(row, ring.current.key) }, select: { seq: true, hash: true, keyId: true } });
      });
    // Appends are serialised within a process (and across processes on PostgreSQL by the lock above); on SQLite
    // another process appending at the same moment may take the same seq: that insert fails on the key, links to the
    // new head and retries.
    let created: Awaited<ReturnType<typeof append>> | undefined;
    for (let attempt = 1; !created; attempt++) {
      try {
        created = await append();
      } catch (e) {
        if ((e as { code?: string }).code !== "P2002" || attempt >= 10) throw e;
      }
    }
    checkpointIfDue(created);
  });
  queue = run.catch(() => {});
  return run;
}

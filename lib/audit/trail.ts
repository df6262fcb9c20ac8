/**
 * The console's tamper-evident audit trail: who did what, when, within which
 * scope. Each record stores the hash of the previous one and its own hash over
 * its content and that link, so editing or deleting any record breaks the
 * chain from there on; `npm run audit:verify` walks it.
 */
import { createHash } from "node:crypto";
import { db } from "../db";

export interface AuditEntry {
  actorId?: string | null;
  actorLogin?: string | null;
  action: string;
  target?: string | null;
  organizationId?: string | null;
  scope?: string[] | null;
  details?: Record<string, unknown> | null;
}

const GENESIS = "0".repeat(64);

interface Row {
  seq: number;
  at: Date;
  actorId: string | null;
  actorLogin: string | null;
  action: string;
  target: string | null;
  organizationId: string | null;
  scope: string | null;
  details: string | null;
  prevHash: string;
}

function hashOf(r: Row): string {
  const canonical = JSON.stringify([r.seq, r.at.toISOString(), r.actorId, r.actorLogin, r.action, r.target, r.organizationId, r.scope, r.details, r.prevHash]);
  return createHash("sha256").update(canonical).digest("hex");
}

// Appends are serialised in this process so that each one links to the latest record.
let queue: Promise<unknown> = Promise.resolve();

export function recordAudit(entry: AuditEntry): Promise<void> {
  const run = queue.then(async () => {
    await db().$transaction(async (tx) => {
      const last = await tx.consoleAuditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
      const row: Row = {
        seq: (last?.seq ?? 0) + 1,
        at: new Date(),
        actorId: entry.actorId ?? null,
        actorLogin: entry.actorLogin ?? null,
        action: entry.action,
        target: entry.target ?? null,
        organizationId: entry.organizationId ?? null,
        scope: entry.scope ? JSON.stringify(entry.scope) : null,
        details: entry.details ? JSON.stringify(entry.details) : null,
        prevHash: last?.hash ?? GENESIS,
      };
      await tx.consoleAuditEvent.create({ data: { ...row, hash: hashOf(row) } });
    });
  });
  queue = run.catch(() => {});
  return run;
}

export interface ChainCheck {
  ok: boolean;
  records: number;
  /** First record whose content, link or sequence does not hold. */
  brokenAt?: number;
  reason?: string;
}

export async function verifyAuditChain(): Promise<ChainCheck> {
  let prev = GENESIS;
  let expectedSeq = 1;
  let records = 0;
  for (let cursor = 0; ; ) {
    const rows = await db().consoleAuditEvent.findMany({ where: { seq: { gt: cursor } }, orderBy: { seq: "asc" }, take: 5000 });
    if (!rows.length) break;
    for (const r of rows) {
      if (r.seq !== expectedSeq) return { ok: false, records, brokenAt: expectedSeq, reason: `record ${expectedSeq} is missing` };
      if (r.prevHash !== prev) return { ok: false, records, brokenAt: r.seq, reason: `record ${r.seq} does not link to record ${r.seq - 1}` };
      if (hashOf(r) !== r.hash) return { ok: false, records, brokenAt: r.seq, reason: `record ${r.seq} was altered` };
      prev = r.hash;
      expectedSeq++;
      records++;
      cursor = r.seq;
    }
  }
  return { ok: true, records };
}

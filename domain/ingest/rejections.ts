/**
 * Messages the ingest gateway refused, counted per node with the last
 * reasons (INTERFACE.md §6: never silently dropped). One upsert per batch,
 * not per message; the reasons kept are the newest 20.
 */
import { db } from "../../lib/db";
import type { Scope } from "../../lib/auth/scope";

export interface Rejection {
  at: string;
  transport: string;
  reason: string;
}

export const LAST_REASONS_KEPT = 20;

export async function recordRejections(nodeId: string, transport: string, reasons: string[]): Promise<void> {
  if (!reasons.length) return;
  const at = new Date().toISOString();
  const fresh: Rejection[] = reasons
    .slice(-LAST_REASONS_KEPT)
    .reverse()
    .map((reason) => ({ at, transport, reason: reason.slice(0, 500) }));
  await db().$transaction(async (tx) => {
    const row = await tx.nodeRejections.findUnique({ where: { nodeId } });
    const kept = [...fresh, ...(row ? (JSON.parse(row.lastReasons) as Rejection[]) : [])].slice(0, LAST_REASONS_KEPT);
    await tx.nodeRejections.upsert({
      where: { nodeId },
      create: { nodeId, count: reasons.length, lastReasons: JSON.stringify(kept) },
      update: { count: { increment: reasons.length }, lastReasons: JSON.stringify(kept) },
    });
  });
}

export async function nodeRejections(nodeId: string, scope: Scope): Promise<{ count: number; lastReasons: Rejection[]; updatedAt: Date } | undefined> {
  const row = await db().nodeRejections.findFirst({ where: { nodeId, node: scope.where<"organizationId">() } });
  return row ? { count: row.count, lastReasons: JSON.parse(row.lastReasons) as Rejection[], updatedAt: row.updatedAt } : undefined;
}

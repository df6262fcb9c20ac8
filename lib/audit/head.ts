/**
 * When the trail's head is checkpointed (lib/audit/checkpoints.ts stores it):
 * every AUDIT_TRAIL_CHECKPOINT_RECORDS records or AUDIT_TRAIL_CHECKPOINT_SECONDS
 * seconds after an append, in the background, and after a successful
 * verification.
 */
import type { ConsoleAuditEvent } from "../generated/prisma/client";
import { config } from "../config";
import { db } from "../db";
import { writeCheckpoint, type Checkpoint } from "./checkpoints";

let lastCheckpoint = { seq: 0, at: Date.now() };
let pending: Promise<void> = Promise.resolve();

function checkpointOf(r: Pick<ConsoleAuditEvent, "seq" | "hash" | "keyId">): Checkpoint {
  return { seq: r.seq, mac: r.hash, key: r.keyId, at: new Date().toISOString() };
}

function checkpointInBackground(cp: Checkpoint): void {
  lastCheckpoint = { seq: cp.seq, at: Date.now() };
  pending = pending
    .then(() => writeCheckpoint(cp))
    .catch((e) => console.error(`[audit-trail] checkpoint of record ${cp.seq} not written: ${(e as Error).message}`));
}

/** Resolves once the checkpoints started by appends so far are written (tests, CLIs before exit). */
export function checkpointsSettled(): Promise<void> {
  return pending;
}

/** After an append: checkpoints the new record in the background when enough records or time have passed. */
export function checkpointIfDue(created: Pick<ConsoleAuditEvent, "seq" | "hash" | "keyId">): void {
  const c = config();
  if (created.seq - lastCheckpoint.seq >= c.AUDIT_TRAIL_CHECKPOINT_RECORDS || Date.now() - lastCheckpoint.at >= c.AUDIT_TRAIL_CHECKPOINT_SECONDS * 1000) {
    checkpointInBackground(checkpointOf(created));
  }
}

/** Checkpoints record `seq` now (after a successful verification). */
export async function checkpointNow(seq: number): Promise<void> {
  const r = await db().consoleAuditEvent.findUnique({ where: { seq }, select: { seq: true, hash: true, keyId: true } });
  if (!r) return;
  const cp = checkpointOf(r);
  lastCheckpoint = { seq: cp.seq, at: Date.now() };
  await writeCheckpoint(cp);
}

/**
 * Verification of the audit trail's MAC chain: full (`npm run audit:verify`,
 * against every checkpoint) or incremental (the page, from the last verified
 * position kept MAC-signed in `AuditTrailVerification`).
 */
import { createHmac } from "node:crypto";
import type { ConsoleAuditEvent } from "../generated/prisma/client";
import { db } from "../db";
import { allCheckpoints, latestCheckpoint, type Checkpoint } from "./checkpoints";
import { checkpointNow } from "./head";
import { trailKeys, type KeyRing } from "./keys";
import { GENESIS, KEYED, legacyHashOf, macOf, sameHex } from "./mac";

export interface ChainCheck {
  ok: boolean;
  /** Records verified (the whole trail for a full check, the new ones for an incremental one). */
  records: number;
  /** Records read from the database by this check. */
  rowsRead: number;
  /** The newest record (seq 0 when the trail is empty). */
  head: { seq: number; mac: string };
  /** First record whose content, link, key, sequence or checkpoint does not hold. */
  brokenAt?: number;
  reason?: string;
}

interface Walk {
  prev: string;
  expectedSeq: number;
  /** A keyed record was seen: legacy records may no longer follow. */
  keyed: boolean;
  generation: number;
}

/** Why one record breaks the chain, or undefined when it holds (advances the walk). */
function check(r: ConsoleAuditEvent, w: Walk, ring: KeyRing): string | undefined {
  if (r.seq !== w.expectedSeq) return `record ${w.expectedSeq} is missing`;
  if (r.prevHash !== w.prev) return `record ${r.seq} does not link to record ${r.seq - 1}`;
  const own = ownCheck(r, w, ring);
  if (own) return own;
  w.prev = r.hash;
  w.expectedSeq = r.seq + 1;
  return undefined;
}

/** The record's own MAC (and, along the walk, its version and key order). */
function ownCheck(r: ConsoleAuditEvent, w: Walk, ring: KeyRing): string | undefined {
  if (r.macVersion === 0) {
    if (w.keyed) return `record ${r.seq} is an unkeyed record after keyed ones`;
    return sameHex(legacyHashOf(r), r.hash) ? undefined : `record ${r.seq} was altered`;
  }
  if (r.macVersion !== KEYED) return `record ${r.seq} has an unknown MAC version`;
  const key = ring.byId(r.keyId);
  if (!key) return `record ${r.seq} is signed with an unknown key`;
  if (key.generation < w.generation) return `record ${r.seq} is signed with a retired key`;
  if (!sameHex(macOf(r, key.key), r.hash)) return `record ${r.seq} was altered`;
  w.keyed = true;
  w.generation = key.generation;
  return undefined;
}

const BATCH = 2000;

/** Walks records after `w.expectedSeq - 1`; calls `seen` for each verified record. */
async function walk(
  w: Walk,
  ring: KeyRing,
  seen: (r: ConsoleAuditEvent) => string | undefined,
): Promise<{ records: number; rowsRead: number; brokenAt?: number; reason?: string }> {
  let records = 0;
  let rowsRead = 0;
  for (let cursor = w.expectedSeq - 1; ;) {
    const rows = await db().consoleAuditEvent.findMany({ where: { seq: { gt: cursor } }, orderBy: { seq: "asc" }, take: BATCH });
    rowsRead += rows.length;
    for (const r of rows) {
      const broken = check(r, w, ring) ?? seen(r);
      if (broken) return { records, rowsRead, brokenAt: Number(/record (\d+)/.exec(broken)![1]), reason: broken };
      records++;
      cursor = r.seq;
    }
    if (rows.length < BATCH) return { records, rowsRead };
  }
}

function missingTail(lastSeq: number, cp: Checkpoint): { brokenAt: number; reason: string } {
  return {
    brokenAt: lastSeq + 1,
    reason: `record ${lastSeq + 1} is missing: the trail ends at record ${lastSeq}, but the checkpoint of ${cp.at} records ${cp.seq}`,
  };
}

const mismatch = (cp: Checkpoint) => `record ${cp.seq} does not match the checkpoint of ${cp.at}`;

/**
 * Full verification (`npm run audit:verify`): the whole chain from the first
 * record, against every checkpoint. Records the result as the page's
 * verification state and, when intact, checkpoints the head.
 */
export async function verifyAuditChain(): Promise<ChainCheck> {
  const ring = trailKeys();
  const checkpoints = await allCheckpoints();
  const bySeq = new Map(checkpoints.map((c) => [c.seq, c]));
  const w: Walk = { prev: GENESIS, expectedSeq: 1, keyed: false, generation: 0 };
  let head = { seq: 0, mac: GENESIS };
  const r = await walk(w, ring, (row) => {
    const cp = bySeq.get(row.seq);
    if (cp && cp.mac !== row.hash) return mismatch(cp);
    head = { seq: row.seq, mac: row.hash };
    return undefined;
  });
  let result: ChainCheck = { ok: !r.brokenAt, records: r.records, rowsRead: r.rowsRead, head, brokenAt: r.brokenAt, reason: r.reason };
  const newest = checkpoints[checkpoints.length - 1];
  if (result.ok && newest && newest.seq > head.seq) result = { ...result, ok: false, ...missingTail(head.seq, newest) };
  await saveState(result, ring);
  if (result.ok && head.seq > 0 && (!newest || newest.seq < head.seq)) await checkpointNow(head.seq);
  return result;
}

/**
 * Incremental verification (the page): from the last verified position, only
 * the records after it plus that record itself, and the newest checkpoint.
 * Without a (valid) state it falls back to the full verification. A break
 * found by either is kept until a full verification finds the trail intact.
 */
export async function verifyAuditChainIncremental(): Promise<ChainCheck> {
  const ring = trailKeys();
  const state = await loadState(ring);
  if (!state) return verifyAuditChain();
  if (state.brokenAt !== null)
    return { ok: false, records: 0, rowsRead: 0, head: { seq: state.seq, mac: state.mac }, brokenAt: state.brokenAt, reason: state.reason ?? undefined };

  let rowsRead = 0;
  let result: ChainCheck;
  const w: Walk = { prev: GENESIS, expectedSeq: 1, keyed: false, generation: 0 };
  let head = { seq: 0, mac: GENESIS };
  if (state.seq > 0) {
    const anchor = await db().consoleAuditEvent.findUnique({ where: { seq: state.seq } });
    rowsRead++;
    const anchorWalk: Walk = { prev: "", expectedSeq: 0, keyed: false, generation: 0 };
    const broken = !anchor
      ? `record ${state.seq} is missing`
      : anchor.hash !== state.mac
        ? `record ${state.seq} was altered`
        : ownCheck(anchor, anchorWalk, ring);
    if (broken) {
      result = { ok: false, records: 0, rowsRead, head: { seq: state.seq, mac: state.mac }, brokenAt: state.seq, reason: broken };
      await saveState(result, ring);
      return result;
    }
    Object.assign(w, { prev: anchor!.hash, expectedSeq: anchor!.seq + 1, keyed: anchorWalk.keyed, generation: anchorWalk.generation });
    head = { seq: anchor!.seq, mac: anchor!.hash };
  }
  const r = await walk(w, ring, (row) => {
    head = { seq: row.seq, mac: row.hash };
    return undefined;
  });
  rowsRead += r.rowsRead;
  result = { ok: !r.brokenAt, records: r.records, rowsRead, head, brokenAt: r.brokenAt, reason: r.reason };

  let newest: Checkpoint | undefined;
  try {
    newest = await latestCheckpoint();
  } catch (e) {
    console.error(`[audit-trail] checkpoints unavailable, compared the database chain only: ${(e as Error).message}`);
  }
  if (result.ok && newest) {
    if (newest.seq > head.seq) result = { ...result, ok: false, ...missingTail(head.seq, newest) };
    else {
      let mac = newest.seq === head.seq ? head.mac : newest.seq === state.seq ? state.mac : undefined;
      if (mac === undefined) {
        rowsRead++;
        mac = (await db().consoleAuditEvent.findUnique({ where: { seq: newest.seq }, select: { hash: true } }))?.hash;
      }
      if (mac !== newest.mac) result = { ...result, ok: false, rowsRead, brokenAt: newest.seq, reason: mismatch(newest) };
      else result = { ...result, rowsRead };
    }
  }
  await saveState(result, ring);
  if (result.ok && head.seq > 0 && (!newest || newest.seq < head.seq)) {
    try {
      await checkpointNow(head.seq);
    } catch (e) {
      console.error(`[audit-trail] checkpoint of record ${head.seq} not written: ${(e as Error).message}`);
    }
  }
  return result;
}

// ---- the page's verification state -----------------------------------------

const STATE_ID = 1;

interface State {
  seq: number;
  mac: string;
  brokenAt: number | null;
  reason: string | null;
}

function stateMacOf(s: State, key: Buffer): string {
  return createHmac("sha256", key)
    .update(JSON.stringify(["verified", s.seq, s.mac, s.brokenAt, s.reason]))
    .digest("hex");
}

/** The stored state, or undefined when there is none or its MAC does not hold (then a full verification runs). */
async function loadState(ring: KeyRing): Promise<State | undefined> {
  const row = await db().auditTrailVerification.findUnique({ where: { id: STATE_ID } });
  if (!row) return undefined;
  const key = ring.byId(row.keyId);
  const state: State = { seq: row.seq, mac: row.mac, brokenAt: row.brokenAt, reason: row.reason };
  return key && sameHex(stateMacOf(state, key.key), row.stateMac) ? state : undefined;
}

async function saveState(r: ChainCheck, ring: KeyRing): Promise<void> {
  const state: State = r.ok
    ? { seq: r.head.seq, mac: r.head.mac, brokenAt: null, reason: null }
    : { seq: r.head.seq, mac: r.head.mac, brokenAt: r.brokenAt ?? 0, reason: r.reason ?? null };
  const data = { ...state, checkedAt: new Date(), keyId: ring.current.id, stateMac: stateMacOf(state, ring.current.key) };
  await db().auditTrailVerification.upsert({ where: { id: STATE_ID }, create: { id: STATE_ID, ...data }, update: data });
}

/**
 * The console's tamper-evident audit trail: who did what, when, within which
 * scope.
 *
 * Each record stores the MAC of the previous one (`prevHash`) and its own MAC
 * (`hash`) over its content and that link: HMAC-SHA256 with the trail key
 * (lib/audit/keys.ts), which is not in the database, so whoever can write the
 * SQLite file can neither change a record nor recompute the chain after it
 * without being detected (`macVersion` 1, `keyId` names the key).
 *
 * Records written before keyed MACs carry a plain SHA-256 chain
 * (`macVersion` 0). They keep verifying, but only as a prefix of the trail:
 * once a keyed record appears, a legacy record after it is a break. (Turning
 * the whole trail into legacy records is caught by the checkpoints: the
 * record at a checkpointed seq no longer carries the checkpoint's MAC.)
 *
 * The head is checkpointed outside the database (lib/audit/checkpoints.ts)
 * every AUDIT_TRAIL_CHECKPOINT_RECORDS records or AUDIT_TRAIL_CHECKPOINT_SECONDS
 * seconds and after a successful verification, so deleting the newest records
 * is detected too. `npm run audit:verify` walks the whole chain and compares
 * it with every checkpoint; the page verifies incrementally from the last
 * verified position (`AuditTrailVerification`, itself MAC-signed).
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { ConsoleAuditEvent } from "../generated/prisma/client";
import { config } from "../config";
import { db } from "../db";
import type { Scope } from "../auth/scope";
import { allCheckpoints, latestCheckpoint, writeCheckpoint, type Checkpoint } from "./checkpoints";
import { trailKeys, type KeyRing } from "./keys";

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

const GENESIS = "0".repeat(64);
const KEYED = 1;

type Row = Pick<
  ConsoleAuditEvent,
  "seq" | "at" | "actorId" | "actorLogin" | "action" | "target" | "organizationId" | "scope" | "details" | "prevHash" | "macVersion" | "keyId" | "actorOrganizationId"
>;

/** v0: the original plain SHA-256 (unchanged, so existing records keep verifying). */
export function legacyHashOf(r: Row): string {
  const canonical = JSON.stringify([r.seq, r.at.toISOString(), r.actorId, r.actorLogin, r.action, r.target, r.organizationId, r.scope, r.details, r.prevHash]);
  return createHash("sha256").update(canonical).digest("hex");
}

/** v1: HMAC-SHA256 with the trail key over the version, key id, content and the previous MAC. */
export function macOf(r: Row, key: Buffer): string {
  const canonical = JSON.stringify([KEYED, r.keyId, r.seq, r.at.toISOString(), r.actorId, r.actorLogin, r.actorOrganizationId, r.action, r.target, r.organizationId, r.scope, r.details, r.prevHash]);
  return createHmac("sha256", key).update(canonical).digest("hex");
}

const sameHex = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

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

// ---- checkpoints ------------------------------------------------------------

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

// ---- appending --------------------------------------------------------------

// Appends are serialised in this process so that each one links to the latest record.
let queue: Promise<unknown> = Promise.resolve();

export function recordAudit(entry: AuditEntry): Promise<void> {
  const run = queue.then(async () => {
    const ring = trailKeys();
    const actor = await actorOf(entry);
    const created = await db().$transaction(async (tx) => {
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
    const c = config();
    if (created.seq - lastCheckpoint.seq >= c.AUDIT_TRAIL_CHECKPOINT_RECORDS || Date.now() - lastCheckpoint.at >= c.AUDIT_TRAIL_CHECKPOINT_SECONDS * 1000) {
      checkpointInBackground(checkpointOf(created));
    }
  });
  queue = run.catch(() => {});
  return run;
}

// ---- verification -----------------------------------------------------------

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
async function walk(w: Walk, ring: KeyRing, seen: (r: ConsoleAuditEvent) => string | undefined): Promise<{ records: number; rowsRead: number; brokenAt?: number; reason?: string }> {
  let records = 0;
  let rowsRead = 0;
  for (let cursor = w.expectedSeq - 1; ; ) {
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
  return { brokenAt: lastSeq + 1, reason: `record ${lastSeq + 1} is missing: the trail ends at record ${lastSeq}, but the checkpoint of ${cp.at} records ${cp.seq}` };
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
  if (state.brokenAt !== null) return { ok: false, records: 0, rowsRead: 0, head: { seq: state.seq, mac: state.mac }, brokenAt: state.brokenAt, reason: state.reason ?? undefined };

  let rowsRead = 0;
  let result: ChainCheck;
  const w: Walk = { prev: GENESIS, expectedSeq: 1, keyed: false, generation: 0 };
  let head = { seq: 0, mac: GENESIS };
  if (state.seq > 0) {
    const anchor = await db().consoleAuditEvent.findUnique({ where: { seq: state.seq } });
    rowsRead++;
    const anchorWalk: Walk = { prev: "", expectedSeq: 0, keyed: false, generation: 0 };
    const broken = !anchor ? `record ${state.seq} is missing` : anchor.hash !== state.mac ? `record ${state.seq} was altered` : ownCheck(anchor, anchorWalk, ring);
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

async function checkpointNow(seq: number): Promise<void> {
  const r = await db().consoleAuditEvent.findUnique({ where: { seq }, select: { seq: true, hash: true, keyId: true } });
  if (!r) return;
  const cp = checkpointOf(r);
  lastCheckpoint = { seq: cp.seq, at: Date.now() };
  await writeCheckpoint(cp);
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
  return createHmac("sha256", key).update(JSON.stringify(["verified", s.seq, s.mac, s.brokenAt, s.reason])).digest("hex");
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
  const state: State = r.ok ? { seq: r.head.seq, mac: r.head.mac, brokenAt: null, reason: null } : { seq: r.head.seq, mac: r.head.mac, brokenAt: r.brokenAt ?? 0, reason: r.reason ?? null };
  const data = { ...state, checkedAt: new Date(), keyId: ring.current.id, stateMac: stateMacOf(state, ring.current.key) };
  await db().auditTrailVerification.upsert({ where: { id: STATE_ID }, create: { id: STATE_ID, ...data }, update: data });
}

// ---- reading ----------------------------------------------------------------

export interface TrailRow {
  seq: number;
  at: Date;
  /** Login of the actor (user login, `API: <token name>` for an API token), else the stored id. */
  actor: string;
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
  const unknown = [...new Set(rows.filter((r) => r.actorId && !r.actorLogin).map((r) => r.actorId!))];
  const names = new Map<string, string>();
  if (unknown.length) {
    for (const u of await db().user.findMany({ where: { id: { in: unknown } }, select: { id: true, loginId: true } })) names.set(u.id, u.loginId);
    for (const t of await db().apiToken.findMany({ where: { id: { in: unknown } }, select: { id: true, name: true } })) names.set(t.id, `API: ${t.name}`);
  }
  return rows.map((r) => ({
    seq: r.seq,
    at: r.at,
    actor: r.actorLogin ?? (r.actorId ? (names.get(r.actorId) ?? r.actorId) : ""),
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

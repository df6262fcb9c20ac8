/**
 * The audit trail's record MACs: the legacy plain SHA-256 chain (v0) and the
 * keyed HMAC-SHA256 (v1) over a record's content and its link to the
 * previous record (see lib/audit/trail.ts).
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { ConsoleAuditEvent } from "../generated/prisma/client";

export const GENESIS = "0".repeat(64);
export const KEYED = 1;

/** A record as its MAC covers it: every column but the MAC itself. */
export type Row = Pick<
  ConsoleAuditEvent,
  | "seq"
  | "at"
  | "actorId"
  | "actorLogin"
  | "action"
  | "target"
  | "organizationId"
  | "scope"
  | "details"
  | "prevHash"
  | "macVersion"
  | "keyId"
  | "actorOrganizationId"
>;

/** v0: the original plain SHA-256 (unchanged, so existing records keep verifying). */
export function legacyHashOf(r: Row): string {
  const canonical = JSON.stringify([r.seq, r.at.toISOString(), r.actorId, r.actorLogin, r.action, r.target, r.organizationId, r.scope, r.details, r.prevHash]);
  return createHash("sha256").update(canonical).digest("hex");
}

/** v1: HMAC-SHA256 with the trail key over the version, key id, content and the previous MAC. */
export function macOf(r: Row, key: Buffer): string {
  const canonical = JSON.stringify([
    KEYED,
    r.keyId,
    r.seq,
    r.at.toISOString(),
    r.actorId,
    r.actorLogin,
    r.actorOrganizationId,
    r.action,
    r.target,
    r.organizationId,
    r.scope,
    r.details,
    r.prevHash,
  ]);
  return createHmac("sha256", key).update(canonical).digest("hex");
}

export const sameHex = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

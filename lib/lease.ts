/**
 * Leases in the database: at most one holder of a named lease at a time, across
 * processes and machines (SQLite or PostgreSQL alike: a single conditional UPDATE
 * takes or renews it, a unique key refuses a second first holder). A lease lapses
 * at its expiry unless renewed, so a killed holder is replaced once it lapses.
 */
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { db } from "./db";

/** This process's holder id: host, pid and a random part (pids are reused). */
export const LEASE_HOLDER = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;

/** Takes the lease or renews it when already held by `holder`; true when `holder` holds it until now + ttl. */
export async function acquireLease(name: string, ttlMs: number, holder = LEASE_HOLDER, now = new Date()): Promise<boolean> {
  const expiresAt = new Date(now.getTime() + ttlMs);
  const renewed = await db().workerLease.updateMany({ where: { name, holder }, data: { expiresAt } });
  if (renewed.count === 1) return true;
  const taken = await db().workerLease.updateMany({ where: { name, expiresAt: { lt: now } }, data: { holder, acquiredAt: now, expiresAt } });
  if (taken.count === 1) return true;
  try {
    await db().workerLease.create({ data: { name, holder, acquiredAt: now, expiresAt } });
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === "P2002") return false; // someone else holds it (or took it just now)
    throw e;
  }
}

export async function releaseLease(name: string, holder = LEASE_HOLDER): Promise<void> {
  await db().workerLease.deleteMany({ where: { name, holder } });
}

export async function leaseHolder(name: string, now = new Date()): Promise<string | undefined> {
  const l = await db().workerLease.findUnique({ where: { name } });
  return l && l.expiresAt >= now ? l.holder : undefined;
}

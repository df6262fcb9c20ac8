/**
 * Administration of notifications, inside the admin's scope: webhook
 * endpoints (registered for an organisation's subtree; the secret is made
 * here and returned once, never listed again) and the delivery log of the
 * organisations in scope, with failed deliveries queued again on request.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { db } from "../../lib/db";
import { AuthError } from "../../lib/auth/principal";
import type { Scope } from "../../lib/auth/scope";
import { NOTIFICATION_TYPES, SEVERITIES } from "./types";

export const endpointInput = z.object({
  organizationId: z.string().regex(/^\d{6}$/),
  name: z.string().trim().min(1).max(100),
  url: z
    .string()
    .trim()
    .max(2000)
    .url()
    .refine((u) => /^https?:$/.test(new URL(u).protocol) && !new URL(u).username && !new URL(u).password),
  types: z.array(z.enum(NOTIFICATION_TYPES)).max(NOTIFICATION_TYPES.length),
  minSeverity: z.enum(SEVERITIES),
});

export type EndpointInput = z.infer<typeof endpointInput>;

export interface EndpointRow {
  id: string;
  organizationId: string;
  name: string;
  url: string;
  types: string[] | null;
  minSeverity: string;
  createdBy: string;
  createdAt: Date;
  disabledAt: Date | null;
}

/** The endpoints of organisations in scope; never their secrets. */
export async function listEndpoints(scope: Scope): Promise<EndpointRow[]> {
  const rows = await db().webhookEndpoint.findMany({
    where: scope.where("organizationId"),
    orderBy: { createdAt: "asc" },
    select: { id: true, organizationId: true, name: true, url: true, types: true, minSeverity: true, createdBy: true, createdAt: true, disabledAt: true },
  });
  return rows.map((r) => ({ ...r, types: r.types ? (JSON.parse(r.types) as string[]) : null }));
}

/** Registers an endpoint for an organisation in scope (403 outside it); the secret is in the answer and nowhere else again. */
export async function createEndpoint(scope: Scope, input: EndpointInput, createdBy: string): Promise<{ id: string; secret: string }> {
  scope.require(input.organizationId);
  const secret = `whsec_${randomBytes(32).toString("hex")}`;
  const row = await db().webhookEndpoint.create({
    data: {
      organizationId: input.organizationId,
      name: input.name,
      url: input.url,
      secret,
      types: input.types.length ? JSON.stringify(input.types) : null,
      minSeverity: input.minSeverity,
      createdBy,
    },
  });
  return { id: row.id, secret };
}

/** Stops an endpoint (kept for its delivery log). 403 outside the scope, 404 when there is none. */
export async function disableEndpoint(scope: Scope, id: string, now = new Date()): Promise<{ organizationId: string; name: string }> {
  const row = await db().webhookEndpoint.findUnique({ where: { id }, select: { organizationId: true, name: true } });
  if (!row) throw new AuthError(404, `no endpoint ${id}`);
  scope.require(row.organizationId);
  await db().webhookEndpoint.updateMany({ where: { id, ...scope.where("organizationId") }, data: { disabledAt: now } });
  return row;
}

export interface DeliveryRow {
  id: string;
  channel: string;
  recipient: string;
  organizationId: string;
  title: string;
  type: string;
  status: string;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
  log: { at: Date; ok: boolean; error: string | null }[];
}

/** The delivery log of the organisations in scope, newest first; `problems` keeps failed rows and pending ones that failed at least once. */
export async function listDeliveries(scope: Scope, opts: { problems?: boolean; take?: number } = {}): Promise<DeliveryRow[]> {
  const rows = await db().notificationDelivery.findMany({
    where: {
      ...scope.where("organizationId"),
      ...(opts.problems ? { OR: [{ status: "failed" }, { status: "pending", attempts: { gt: 0 } }] } : {}),
    },
    include: { event: { select: { title: true, type: true } }, endpoint: { select: { name: true } }, log: { orderBy: { at: "asc" }, take: 50 } },
    orderBy: { createdAt: "desc" },
    take: opts.take ?? 200,
  });
  return rows.map((r) => ({
    id: r.id,
    channel: r.channel,
    recipient: r.channel === "mail" ? (r.address ?? "") : (r.endpoint?.name ?? ""),
    organizationId: r.organizationId,
    title: r.event.title,
    type: r.event.type,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.nextAttemptAt,
    lastError: r.lastError,
    createdAt: r.createdAt,
    deliveredAt: r.deliveredAt,
    log: r.log.map((l) => ({ at: l.at, ok: l.ok, error: l.error })),
  }));
}

/** Queues a failed (or waiting) delivery of an organisation in scope for the next pass. */
export async function retryDelivery(scope: Scope, id: string, now = new Date()): Promise<{ organizationId: string }> {
  const row = await db().notificationDelivery.findUnique({ where: { id }, select: { organizationId: true, status: true } });
  if (!row) throw new AuthError(404, `no delivery ${id}`);
  scope.require(row.organizationId);
  const res = await db().notificationDelivery.updateMany({
    where: { id, status: { in: ["failed", "pending"] }, ...scope.where("organizationId") },
    data: { status: "pending", nextAttemptAt: now, createdAt: now },
  });
  if (!res.count) throw new AuthError(404, `delivery ${id} is already delivered`);
  return { organizationId: row.organizationId };
}

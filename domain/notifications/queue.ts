/**
 * The delivery queue: one row per message (NotificationDelivery), drained by
 * the detection worker's periodic pass. A drainer claims each row with one
 * conditional update (status pending, due, not claimed by a live lease), so
 * concurrent drainers never send one row twice; each attempt goes to the
 * delivery log (NotificationAttempt). A failure is retried with exponential
 * backoff (30 s, 1, 2, 4 … min, at most an hour apart) for three days, then
 * the row is `failed`, shown to admins, who may queue it again.
 */
import { randomUUID } from "node:crypto";
import { consoleBaseUrl } from "../../lib/config";
import { db } from "../../lib/db";
import { sendMail, sendWebhook } from "./channels";
import { mailOf, webhookBody } from "./text";

export const RETRY_BASE_MS = 30_000;
export const RETRY_MAX_MS = 60 * 60_000;
/** After this long a delivery still failing is given up (admins see it and may retry it). */
export const GIVE_UP_AFTER_MS = 72 * 60 * 60_000;
/** How long a claim holds; a drainer that died mid-send frees its rows after it. */
export const LEASE_MS = 2 * 60_000;

/** The wait before the next attempt after `attempts` failed ones (1 → 30 s, 2 → 60 s, …, capped at an hour). */
export function backoffMs(attempts: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

export interface DrainSummary {
  claimed: number;
  delivered: number;
  retried: number;
  failed: number;
}

export interface DrainOptions {
  now?: Date;
  /** Rows per pass. */
  limit?: number;
}

/** One pass over the due deliveries. */
export async function drainDeliveries(options: DrainOptions = {}): Promise<DrainSummary> {
  const now = options.now ?? new Date();
  const due = {
    status: "pending",
    nextAttemptAt: { lte: now },
    OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }],
  };
  const rows = await db().notificationDelivery.findMany({ where: due, orderBy: { nextAttemptAt: "asc" }, take: options.limit ?? 200, select: { id: true } });
  const summary: DrainSummary = { claimed: 0, delivered: 0, retried: 0, failed: 0 };
  const base = consoleBaseUrl();
  const orgNames = new Map<string, string>();
  const nameOf = async (id: string) => {
    if (!orgNames.has(id)) orgNames.set(id, (await db().organization.findUnique({ where: { id }, select: { name: true } }))?.name ?? id);
    return orgNames.get(id)!;
  };
  for (const { id } of rows) {
    const token = randomUUID();
    const claim = await db().notificationDelivery.updateMany({
      where: { id, ...due },
      data: { claimToken: token, claimedUntil: new Date(now.getTime() + LEASE_MS) },
    });
    if (claim.count !== 1) continue; // another drainer has it
    summary.claimed++;
    const d = await db().notificationDelivery.findUniqueOrThrow({ where: { id }, include: { event: true, endpoint: true } });
    const started = Date.now();
    let error: string | null = null;
    try {
      const orgName = await nameOf(d.event.organizationId);
      if (d.channel === "mail") {
        if (!d.address) throw new Error("no address");
        const { subject, text } = mailOf(d.event, orgName, base);
        await sendMail({ to: d.address, subject, text, deliveryId: d.id });
      } else if (d.channel === "webhook") {
        if (!d.endpoint) throw new Error("no endpoint");
        if (d.endpoint.disabledAt) throw new Error("endpoint disabled");
        await sendWebhook({ url: d.endpoint.url, secret: d.endpoint.secret, body: webhookBody(d.event, orgName, base), deliveryId: d.id, type: d.event.type });
      } else throw new Error(`unknown channel ${d.channel}`);
    } catch (e) {
      error = (e as Error).message.slice(0, 500);
    }
    const attempts = d.attempts + 1;
    const giveUp = !!error && now.getTime() + backoffMs(attempts) - d.createdAt.getTime() > GIVE_UP_AFTER_MS;
    await db().$transaction([
      db().notificationAttempt.create({ data: { deliveryId: id, at: now, ok: !error, error, durationMs: Date.now() - started } }),
      db().notificationDelivery.updateMany({
        where: { id, claimToken: token },
        data: error
          ? {
              attempts,
              lastError: error,
              status: giveUp ? "failed" : "pending",
              nextAttemptAt: new Date(now.getTime() + backoffMs(attempts)),
              claimToken: null,
              claimedUntil: null,
            }
          : { attempts, status: "delivered", deliveredAt: now, claimToken: null, claimedUntil: null },
      }),
    ]);
    if (!error) summary.delivered++;
    else if (giveUp) summary.failed++;
    else summary.retried++;
  }
  return summary;
}

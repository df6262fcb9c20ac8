/**
 * Behind notify(): records each event once, decides who is told and how, and
 * queues the deliveries in the same transaction, so nothing is lost when a
 * channel is down (the queue retries: queue.ts).
 *
 * Recipients: every enabled console user (auditors excepted: their access is
 * an engagement's, not the monitoring duty) whose scope (lib/auth/scope,
 * `scopeOf`) includes the event's organisation and whose preferences want it;
 * explicit user ids (scope still required, preferences' types and severity
 * not); explicit mail addresses of contacts; the webhook endpoints registered
 * for an organisation whose subtree contains it.
 */
import { randomUUID } from "node:crypto";
import { config } from "../../lib/config";
import { db } from "../../lib/db";
import { scopeOf, subtree, type Scope } from "../../lib/auth/scope";
import type { Role } from "../../lib/auth/principal";
import { mailNotBefore, preferencesOfMany, severityRank, SEVERITY_FILTERED, wants } from "./preferences";
import { NOTIFICATION_TYPES, SEVERITIES, type NotificationEvent } from "./types";
import { redactNumbers } from "./text";

export interface EnqueueResult {
  eventId: string;
  /** False when an event with the same dedupe key was already recorded (nothing queued again). */
  created: boolean;
  console: number;
  mail: number;
  webhook: number;
}

const PATH = /^\/[A-Za-z0-9/_.~%?=&-]*$/;

function check(e: NotificationEvent): void {
  if (!NOTIFICATION_TYPES.includes(e.type)) throw new Error(`unknown notification type ${String(e.type)}`);
  if (!SEVERITIES.includes(e.severity)) throw new Error(`unknown severity ${String(e.severity)}`);
  if (!/^\d{6}$/.test(e.organizationCode)) throw new Error(`organisation code ${e.organizationCode} is not a 6-digit code`);
  if (!PATH.test(e.path) || e.path.startsWith("//")) throw new Error(`path ${e.path} is not a console path`);
  if (!e.title.trim()) throw new Error("a notification needs a title");
}

/** Scopes of the candidate users, made once per batch (scopeOf is the one mechanism; an auditor is never a candidate). */
async function candidateScopes(): Promise<{ id: string; role: Role; scope: Scope }[]> {
  const users = await db().user.findMany({
    where: { disabledAt: null, role: { not: "auditor" } },
    select: { id: true, loginId: true, role: true, organizationId: true },
  });
  const out: { id: string; role: Role; scope: Scope }[] = [];
  for (const u of users) {
    const role = u.role as Role;
    out.push({ id: u.id, role, scope: await scopeOf({ kind: "user", id: u.id, login: u.loginId, role, organizationId: u.organizationId }) });
  }
  return out;
}

/** Records the events and queues their deliveries. */
export async function enqueueNotifications(events: NotificationEvent[], now = new Date()): Promise<EnqueueResult[]> {
  if (!events.length) return [];
  for (const e of events) check(e);
  const mailOn = !!config().SMTP_URL;
  const users = await candidateScopes();
  const prefs = await preferencesOfMany(users.map((u) => u.id));
  const endpoints = await db().webhookEndpoint.findMany({ where: { disabledAt: null } });
  const endpointOrgs = new Map<string, Set<string>>();
  for (const ep of endpoints) if (!endpointOrgs.has(ep.organizationId)) endpointOrgs.set(ep.organizationId, new Set(await subtree(ep.organizationId)));

  const results: EnqueueResult[] = [];
  for (const e of events) {
    const at = e.at ?? now;
    const explicit = new Set(e.recipients?.userIds ?? []);
    const inbox: string[] = [];
    const mails = new Map<string, { userId: string | null; notBefore: Date }>();
    for (const u of users) {
      if (!u.scope.includes(e.organizationCode)) continue;
      const p = prefs.get(u.id)!;
      if (!explicit.has(u.id) && !wants(p, e.type, e.severity)) continue;
      if (p.console) inbox.push(u.id);
      if (mailOn && p.mail && p.email && !mails.has(p.email.toLowerCase()))
        mails.set(p.email.toLowerCase(), { userId: u.id, notBefore: mailNotBefore(p, e.severity, now) });
    }
    if (mailOn)
      for (const a of e.recipients?.addresses ?? []) {
        const email = a.email.trim().toLowerCase();
        if (/^[^\s@<>,;"]+@[^\s@<>,;"]+$/.test(email) && !mails.has(email)) mails.set(email, { userId: null, notBefore: now });
      }
    const hooks = endpoints.filter((ep) => {
      if (!endpointOrgs.get(ep.organizationId)?.has(e.organizationCode)) return false;
      const types = ep.types ? (JSON.parse(ep.types) as string[]) : null;
      if (types && !types.includes(e.type)) return false;
      return !SEVERITY_FILTERED.includes(e.type) || severityRank(e.severity) >= severityRank(ep.minSeverity);
    });

    // The queue's clock is the real one (the give-up age counts from it), whatever instant the caller reasons about.
    const queuedAt = new Date();
    const record = () =>
      db().$transaction(async (tx) => {
        if (e.dedupeKey) {
          const seen = await tx.notificationEvent.findUnique({ where: { dedupeKey: e.dedupeKey }, select: { id: true } });
          if (seen) return { eventId: seen.id, created: false, console: 0, mail: 0, webhook: 0 };
        }
        const ev = await tx.notificationEvent.create({
          data: {
            type: e.type,
            organizationId: e.organizationCode,
            severity: e.severity,
            title: redactNumbers(e.title.trim()).slice(0, 500),
            lines: JSON.stringify((e.lines ?? []).map((l) => redactNumbers(l).slice(0, 500)).slice(0, 20)),
            path: e.path,
            refKind: e.ref.kind,
            refId: e.ref.id,
            dedupeKey: e.dedupeKey ?? null,
            createdAt: at,
          },
        });
        if (inbox.length) await tx.notification.createMany({ data: inbox.map((userId) => ({ userId, eventId: ev.id, createdAt: at })) });
        const deliveries = [
          ...[...mails].map(([address, m]) => ({
            id: randomUUID(),
            eventId: ev.id,
            organizationId: e.organizationCode,
            channel: "mail",
            userId: m.userId,
            address,
            nextAttemptAt: m.notBefore,
            createdAt: queuedAt,
          })),
          ...hooks.map((ep) => ({
            id: randomUUID(),
            eventId: ev.id,
            organizationId: e.organizationCode,
            channel: "webhook",
            endpointId: ep.id,
            nextAttemptAt: now,
            createdAt: queuedAt,
          })),
        ];
        if (deliveries.length) await tx.notificationDelivery.createMany({ data: deliveries });
        return { eventId: ev.id, created: true, console: inbox.length, mail: mails.size, webhook: hooks.length };
      });
    try {
      results.push(await record());
    } catch (err) {
      // Two writers raced on one dedupe key: the other one recorded it.
      if ((err as { code?: string }).code !== "P2002" || !e.dedupeKey) throw err;
      const seen = await db().notificationEvent.findUniqueOrThrow({ where: { dedupeKey: e.dedupeKey }, select: { id: true } });
      results.push({ eventId: seen.id, created: false, console: 0, mail: 0, webhook: 0 });
    }
  }
  return results;
}

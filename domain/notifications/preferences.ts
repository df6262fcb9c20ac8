/**
 * Per-user notification preferences: which event types, which channels, the
 * least severity of alert notifications, and quiet hours in JST during which
 * mail of non-critical events waits. A user without a row has the defaults.
 */
import { z } from "zod";
import { db } from "../../lib/db";
import { JST_OFFSET_MS } from "../../lib/calendar";
import { NOTIFICATION_TYPES, SEVERITIES, type NotificationSeverity, type NotificationType } from "./types";

export interface Preferences {
  email: string | null;
  /** Types wanted (every type by default). */
  types: NotificationType[];
  mail: boolean;
  console: boolean;
  /** Least severity of alert notifications (alert.created, node.silent). */
  minSeverity: NotificationSeverity;
  quietStart: string | null;
  quietEnd: string | null;
}

export const DEFAULT_PREFERENCES: Preferences = {
  email: null,
  types: [...NOTIFICATION_TYPES],
  mail: true,
  console: true,
  minSeverity: "high",
  quietStart: null,
  quietEnd: null,
};

/** Types whose notifications follow the user's least severity (the others are always of interest when chosen). */
export const SEVERITY_FILTERED: readonly NotificationType[] = ["alert.created", "node.silent"];

export const severityRank = (s: string): number => SEVERITIES.indexOf(s as NotificationSeverity);

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

/** The preferences form, parsed (an address is checked loosely: one @, no spaces, no header characters). */
export const preferencesInput = z
  .object({
    email: z
      .string()
      .trim()
      .max(254)
      .regex(/^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/)
      .nullable(),
    types: z.array(z.enum(NOTIFICATION_TYPES)).max(NOTIFICATION_TYPES.length),
    mail: z.boolean(),
    console: z.boolean(),
    minSeverity: z.enum(SEVERITIES),
    quietStart: hhmm.nullable(),
    quietEnd: hhmm.nullable(),
  })
  .refine((p) => (p.quietStart === null) === (p.quietEnd === null) && (p.quietStart === null || p.quietStart !== p.quietEnd), { path: ["quietEnd"] });

export type PreferencesInput = z.infer<typeof preferencesInput>;

function fromRow(
  row: {
    email: string | null;
    types: string | null;
    mail: boolean;
    console: boolean;
    minSeverity: string;
    quietStart: string | null;
    quietEnd: string | null;
  } | null,
): Preferences {
  if (!row) return { ...DEFAULT_PREFERENCES, types: [...DEFAULT_PREFERENCES.types] };
  let types = DEFAULT_PREFERENCES.types;
  if (row.types) {
    try {
      const parsed = JSON.parse(row.types) as unknown;
      if (Array.isArray(parsed)) types = NOTIFICATION_TYPES.filter((t) => parsed.includes(t));
    } catch {
      // A damaged row falls back to every type rather than silencing the user.
    }
  }
  return {
    email: row.email,
    types: [...types],
    mail: row.mail,
    console: row.console,
    minSeverity: (SEVERITIES as readonly string[]).includes(row.minSeverity) ? (row.minSeverity as NotificationSeverity) : DEFAULT_PREFERENCES.minSeverity,
    quietStart: row.quietStart,
    quietEnd: row.quietEnd,
  };
}

export async function preferencesOf(userId: string): Promise<Preferences> {
  return fromRow(await db().notificationPreference.findUnique({ where: { userId } }));
}

/** Preferences of many users at once (defaults for those without a row). */
export async function preferencesOfMany(userIds: string[]): Promise<Map<string, Preferences>> {
  const rows = await db().notificationPreference.findMany({ where: { userId: { in: userIds } } });
  const byId = new Map(rows.map((r) => [r.userId, r]));
  return new Map(userIds.map((id) => [id, fromRow(byId.get(id) ?? null)]));
}

/** Saves the signed-in user's own preferences (only ever their own: the caller passes the session's user id). */
export async function savePreferences(userId: string, input: PreferencesInput): Promise<Preferences> {
  const data = {
    email: input.email,
    types: JSON.stringify(NOTIFICATION_TYPES.filter((t) => input.types.includes(t))),
    mail: input.mail,
    console: input.console,
    minSeverity: input.minSeverity,
    quietStart: input.quietStart,
    quietEnd: input.quietEnd,
  };
  return fromRow(await db().notificationPreference.upsert({ where: { userId }, create: { userId, ...data }, update: data }));
}

/** Whether the user wants this event at all (type and, for alert notifications, severity). */
export function wants(p: Preferences, type: NotificationType, severity: NotificationSeverity): boolean {
  if (!p.types.includes(type)) return false;
  return !SEVERITY_FILTERED.includes(type) || severityRank(severity) >= severityRank(p.minSeverity);
}

const minutes = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));

/**
 * When mail of an event may go: `now`, or for a non-critical event inside the
 * user's quiet hours (JST, possibly across midnight) the instant they end.
 */
export function mailNotBefore(p: Pick<Preferences, "quietStart" | "quietEnd">, severity: NotificationSeverity, now: Date): Date {
  if (severity === "critical" || !p.quietStart || !p.quietEnd) return now;
  const start = minutes(p.quietStart);
  const end = minutes(p.quietEnd);
  const jst = now.getTime() + JST_OFFSET_MS;
  const dayStart = Math.floor(jst / 86_400_000) * 86_400_000;
  const m = Math.floor((jst - dayStart) / 60_000);
  const inside = start < end ? m >= start && m < end : m >= start || m < end;
  if (!inside) return now;
  // The end is today, or tomorrow when the quiet hours began before midnight and we are past it not yet.
  const endDay = start < end || m < end ? dayStart : dayStart + 86_400_000;
  return new Date(endDay + end * 60_000 - JST_OFFSET_MS);
}

/**
 * The reader of the registers' reminders (issue 17 item 4): every provider of
 * `REMINDER_SOURCES` (maintenance ending within 90 days, renewal due this fiscal
 * year, cards not returned, operators without training this fiscal year),
 * counted per kind for the dashboard panel 「台帳の確認事項」 and sent as
 * `register.reminder` notifications by the detection worker.
 *
 * Notifications: one per organisation and kind per JST month (its dedupe key),
 * listing the subjects, however often the worker's pass runs; a kind that no
 * longer has reminders sends nothing.
 */
import { systemScope, type Scope } from "../../lib/auth/scope";
import { jstMonthKey } from "../../lib/calendar";
import { formatDateOnly, t, type MessageKey } from "../../lib/i18n";
import { notifyMany, type NotificationEvent } from "../notifications/notify";
import { REMINDER_SOURCES, type RegisterReminder, type ReminderKind, type ReminderSource } from "./sources";

/** The order kinds are shown in. */
export const REMINDER_KINDS: ReminderKind[] = ["maintenance_ending", "renewal_due", "card_not_returned", "operator_untrained"];

/** Every reminder of the scope as of `now`, from every source (sorted by kind, organisation, due, subject). */
export async function registerReminders(scope: Scope, now = new Date(), sources: ReminderSource[] = REMINDER_SOURCES): Promise<RegisterReminder[]> {
  const all = (await Promise.all(sources.map((s) => s(scope, now)))).flat().filter((r) => scope.includes(r.organizationId));
  const rank = (k: ReminderKind) => REMINDER_KINDS.indexOf(k);
  return all.sort(
    (a, b) =>
      rank(a.kind) - rank(b.kind) ||
      a.organizationId.localeCompare(b.organizationId) ||
      (a.due?.getTime() ?? Infinity) - (b.due?.getTime() ?? Infinity) ||
      a.subject.localeCompare(b.subject),
  );
}

export interface ReminderCount {
  kind: ReminderKind;
  count: number;
  /** The register page that settles them (the path of the kind's reminders, without the per-organisation query). */
  href: string;
}

/** The dashboard panel: counts per kind (kinds with none left out), each linking to its register page. */
export function countReminders(reminders: RegisterReminder[]): ReminderCount[] {
  const out: ReminderCount[] = [];
  for (const kind of REMINDER_KINDS) {
    const of = reminders.filter((r) => r.kind === kind);
    if (!of.length) continue;
    const orgs = new Set(of.map((r) => r.organizationId));
    // One organisation: its own filtered page; several: the register's page over the whole scope.
    out.push({ kind, count: of.length, href: orgs.size === 1 ? of[0].href : of[0].href.split("?")[0] });
  }
  return out;
}

export const reminderKindLabel = (kind: string): string =>
  REMINDER_KINDS.includes(kind as ReminderKind) ? t(`registers.reminders.kind.${kind}` as MessageKey) : kind;

/** The notification events of a set of reminders: one per organisation and kind, keyed by the JST month of `now`. */
export function reminderEvents(reminders: RegisterReminder[], now: Date): NotificationEvent[] {
  const groups = new Map<string, RegisterReminder[]>();
  for (const r of reminders) {
    const key = `${r.kind}\u0000${r.organizationId}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const month = jstMonthKey(now);
  return [...groups.values()].map((rs) => {
    const { kind, organizationId } = rs[0];
    const shown = rs.slice(0, 20).map((r) => (r.due ? `${r.subject}（${t("registers.reminders.due")} ${formatDateOnly(r.due)}）` : r.subject));
    return {
      type: "register.reminder" as const,
      organizationCode: organizationId,
      severity: kind === "card_not_returned" || kind === "maintenance_ending" ? ("medium" as const) : ("low" as const),
      title: t("registers.reminders.notifyTitle").replace("{kind}", reminderKindLabel(kind)).replace("{n}", String(rs.length)),
      lines: [`${t("registers.reminders.subjects")}：${shown.join("、")}${rs.length > shown.length ? " …" : ""}`],
      path: rs[0].href,
      ref: { kind: "register" as const, id: `${kind}:${organizationId}` },
      dedupeKey: `register.reminder:${kind}:${organizationId}:${month}`,
    };
  });
}

/** The worker's pass: every reminder of every organisation, notified once per organisation, kind and month. Returns the events created. */
export async function notifyRegisterReminders(now = new Date()): Promise<number> {
  const reminders = await registerReminders(systemScope("detector"), now);
  const res = await notifyMany(reminderEvents(reminders, now), now);
  return res.filter((r) => r.created).length;
}

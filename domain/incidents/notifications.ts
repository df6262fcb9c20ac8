/**
 * The notifications incidents raise, through the one seam
 * (domain/notifications/notify.ts): titles from the catalogue, references and
 * console paths only — never resident data.
 */
import { t } from "../../lib/i18n";
import { notify, type NotificationEvent, type NotificationSeverity, type NotificationType } from "../notifications/notify";

export function severityOfLevel(level: number): NotificationSeverity {
  return level >= 4 ? "critical" : level === 3 ? "high" : level === 2 ? "medium" : "low";
}

export const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));

export const levelName = (level: number) => fill(t("incident.levelN"), { n: level });
export const kindName = (kind: string) => t(`incident.kind.${kind}` as Parameters<typeof t>[0]) ?? kind;

export async function notifyIncident(
  type: Extract<NotificationType, "incident.opened" | "incident.raised" | "incident.escalation_overdue">,
  incident: { id: number; title: string; kind: string; level: number; exercise: boolean; organizationId: string },
  contacts: { id: number; email: string; name: string }[],
  lines: string[] = [],
): Promise<void> {
  const key = type === "incident.opened" ? "incident.notify.opened" : type === "incident.raised" ? "incident.notify.raised" : "incident.notify.overdue";
  const title =
    (incident.exercise ? t("incident.notify.exercise") : "") +
    fill(t(key), { level: levelName(incident.level), kind: kindName(incident.kind), title: incident.title });
  const mailed = contacts.filter((c) => c.email);
  await raise({
    type,
    organizationCode: incident.organizationId,
    severity: severityOfLevel(incident.level),
    title,
    lines,
    path: `/incidents/${incident.id}`,
    ref: { kind: "incident", id: String(incident.id) },
    // The contact chain is resolved here: the notifications module mails the addresses (contactIds are for the delivery log).
    ...(contacts.length
      ? { recipients: { contactIds: contacts.map((c) => String(c.id)), addresses: mailed.map((c) => ({ email: c.email, label: c.name })) } }
      : {}),
  });
}

/** Raises a notification; the incident's own change is already stored, so a refused event is logged, not thrown. */
export async function raise(event: NotificationEvent): Promise<void> {
  try {
    await notify(event);
  } catch (e) {
    console.error(`[incidents] notification ${event.type} ${event.ref.kind}:${event.ref.id} not raised: ${(e as Error).message}`);
  }
}

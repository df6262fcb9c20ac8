/**
 * One timeline entry as a Japanese line (the detail page and the report PDF
 * print the same words): what happened, then its particulars.
 */
import { formatJst, labelOr, t } from "../../lib/i18n";
import { kindName, levelName } from "./notifications";

export const eventLabel = (kind: string): string => labelOr(`incident.event.${kind}`, kind);
export const statusName = (status: string): string => labelOr(`incident.status.${status}`, status);
export const decisionName = (d: string): string => labelOr(`incident.decision.${d}`, d);
export const meansName = (m: string): string => labelOr(`incident.means.${m}`, m);
export const contactRoleName = (r: string): string => labelOr(`contacts.role.${r}`, r);
export const legitimateName = (v: boolean | null): string =>
  t(v === true ? "investigation.legitimate.yes" : v === false ? "investigation.legitimate.no" : "investigation.legitimate.unknown");

export function describeEvent(
  e: { kind: string; text: string; detail: Record<string, unknown> | string | null },
  orgName: (id: string) => string = (id) => id,
): string {
  const d: Record<string, unknown> = typeof e.detail === "string" ? JSON.parse(e.detail) : (e.detail ?? {});
  const s = (k: string) => String(d[k] ?? "");
  const parts: string[] = [eventLabel(e.kind)];
  switch (e.kind) {
    case "opened":
      parts.push(`${kindName(s("kind"))}・${levelName(Number(d.level))}${d.exercise ? `（${t("incident.exercise")}）` : ""}`);
      break;
    case "status":
      parts.push(`${statusName(s("from"))} → ${statusName(s("to"))}`);
      break;
    case "level":
      parts.push(`${levelName(Number(d.from))} → ${levelName(Number(d.to))}`);
      if (d.reportDueAt) parts.push(`${t("incident.reportDue")} ${formatJst(s("reportDueAt"))}`);
      break;
    case "decision":
      parts[0] = decisionName(s("decision"));
      parts.push(`${t("incident.decidedBy")}: ${s("decidedBy")}`);
      break;
    case "contact":
      parts.push(`${s("who")}（${meansName(s("means"))}）${d.upward ? ` ${t("incident.contactUpward")}` : ""}`);
      break;
    case "alert_linked":
      parts.push(s("alertId"));
      break;
    case "organization_added":
      parts.push(orgName(s("organizationId")));
      break;
    case "investigation_requested":
      parts.push(`${t("investigation.organization")}: ${orgName(s("organizationId"))}、${t("investigation.due")}: ${d.dueAt ? formatJst(s("dueAt")) : ""}`);
      break;
    case "investigation_answered":
      parts.push(`${orgName(s("organizationId"))}: ${legitimateName((d.legitimate as boolean | null) ?? null)}`);
      if (d.cause) parts.push(`${t("investigation.cause")}: ${s("cause")}`);
      if (d.measures) parts.push(`${t("investigation.measures")}: ${s("measures")}`);
      break;
    case "escalation_overdue":
      if (d.reportDueAt) parts.push(`${t("incident.reportDue")} ${formatJst(s("reportDueAt"))}`);
      break;
  }
  if (e.text) parts.push(e.text);
  return parts.join(" ");
}

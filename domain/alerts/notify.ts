/**
 * The notifications of newly created alerts (never of a rerun that refreshed
 * one): `alert.created`, and `node.silent` for the node-silence rule. Only
 * references leave: the rule, the organisation, the entity (a node, an
 * operator id — never a resident's reference) and the window in JST, with a
 * link to the alert.
 */
import { notifyMany, type NotificationEvent, type NotificationSeverity } from "../notifications/notify";
import { NODE_SILENCE_RULE } from "../node-health";
import { formatJst, labelOr, t } from "../../lib/i18n";
import type { AlertDocument } from "./store";

/** Entity types whose id may be named in a notification (a `subject` is a resident's reference: never). */
const NAMED_ENTITIES = new Set(["operator", "terminal", "card", "node", "host", "recipient", "organization"]);

export function alertNotification(a: AlertDocument): NotificationEvent {
  const severity = a.severity as NotificationSeverity;
  const window = `${t("notify.alert.window")}：${formatJst(a.window.start)} 〜 ${formatJst(a.window.end)}`;
  const entity = NAMED_ENTITIES.has(a.entity.type)
    ? [`${t("notify.alert.entity")}：${labelOr(`admin.entityType.${a.entity.type}`, a.entity.type)} ${a.entity.id}`]
    : [];
  if (a.rule.id === NODE_SILENCE_RULE)
    return {
      type: "node.silent",
      organizationCode: a.organization.id,
      severity,
      title: `${t("notify.node.title")}（${a.entity.id}）`,
      lines: [`${t("notify.node.node")}：${a.entity.id}`, window],
      path: `/alerts/${a.id}`,
      ref: { kind: "node", id: a.entity.id },
      dedupeKey: `node.silent:${a.id}`,
    };
  return {
    type: "alert.created",
    organizationCode: a.organization.id,
    severity,
    title: `${t("notify.alert.title")}：${a.rule.name}`,
    lines: [`${t("notify.alert.rule")}：${a.rule.name}`, ...entity, window],
    path: `/alerts/${a.id}`,
    ref: { kind: "alert", id: a.id },
    dedupeKey: `alert.created:${a.id}`,
  };
}

/** Raises the notifications of alerts just created; errors are the caller's to log (the alerts are already stored). */
export async function notifyNewAlerts(alerts: AlertDocument[], now?: Date): Promise<number> {
  if (!alerts.length) return 0;
  const res = await notifyMany(alerts.map(alertNotification), now);
  return res.filter((r) => r.created).length;
}

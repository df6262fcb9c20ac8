/**
 * The one entry point by which the console raises a notification (issue 15).
 * Callers (detectors' alert writer, incidents, the node-health check, the
 * checklist) describe what happened; who is told, by which channel and when
 * is decided by the notifications module behind this function (recipients in
 * scope, preferences, quiet hours, the delivery queue).
 *
 * Event types follow INTERFACE.md §7 (`alert.created`, `incident.opened`,
 * `incident.escalation_overdue`, `node.silent`, …). Titles and lines are
 * Japanese text from the message catalogue and never carry resident data:
 * only references and a console path (11- and 12-digit numbers in them are
 * blanked anyway).
 */
import { enqueueNotifications, type EnqueueResult } from "./enqueue";
import type { NotificationEvent } from "./types";

export { NOTIFICATION_TYPES, SEVERITIES, type NotificationEvent, type NotificationSeverity, type NotificationType } from "./types";
export type { EnqueueResult } from "./enqueue";

/**
 * Records the event for delivery: the in-console list of each recipient at
 * once, mail and webhooks through the delivery queue, which the detection
 * worker drains (domain/notifications/queue.ts). Throws on an invalid event
 * (unknown type, not a console path); a caller whose own work must not fail
 * with it catches and logs.
 */
export async function notify(event: NotificationEvent): Promise<void> {
  await enqueueNotifications([event]);
}

/** Several events at once (the recipients' scopes are worked out once): new alerts of a detection run. */
export async function notifyMany(events: NotificationEvent[], now?: Date): Promise<EnqueueResult[]> {
  return enqueueNotifications(events, now);
}

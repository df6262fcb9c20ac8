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
 * only references and a console path.
 */
export type NotificationType =
  | "alert.created"
  | "incident.opened"
  | "incident.raised"
  | "incident.escalation_overdue"
  | "node.silent"
  | "investigation.requested"
  | "investigation.answered"
  | "checklist.deadline";

export type NotificationSeverity = "low" | "medium" | "high" | "critical";

export interface NotificationEvent {
  type: NotificationType;
  /** Organisation the event concerns; recipients are the users (and contacts) whose scope includes it. */
  organizationCode: string;
  severity: NotificationSeverity;
  /** Japanese one-line title (catalogue text), no resident data. */
  title: string;
  /** Further Japanese lines for the mail body / notification detail. */
  lines?: string[];
  /** Console path of the object, e.g. `/alerts/<id>` or `/incidents/<id>`. */
  path: string;
  /** What it is about, for de-duplication and the delivery log. */
  ref: { kind: "alert" | "incident" | "investigation" | "node" | "checklist"; id: string };
  /** Optional explicit recipients besides those in scope (e.g. the contact chain's next level). */
  recipients?: { userIds?: string[]; contactIds?: string[] };
}

/**
 * Records the event for delivery. Implemented by the notifications work of
 * issue 15; until that lands it accepts the event and does nothing else.
 */
export async function notify(event: NotificationEvent): Promise<void> {
  void event;
}

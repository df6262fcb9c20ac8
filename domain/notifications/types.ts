/**
 * The vocabulary of notifications (INTERFACE.md §7): event types, severities
 * and the event a caller describes. notify.ts re-exports it; the modules
 * behind notify() import it from here (no cycle through the seam).
 */

export const NOTIFICATION_TYPES = [
  "alert.created",
  "incident.opened",
  "incident.raised",
  "incident.escalation_overdue",
  "node.silent",
  "investigation.requested",
  "investigation.answered",
  "checklist.deadline",
  // Periodic log review (domain/reviews/overdue.ts): a review past its due date and not done.
  "review.overdue",
  // Registers (issue 17): reminders of domain/registers/reminders.ts.
  "register.reminder",
] as const;

export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** Least to most severe. */
export const SEVERITIES = ["low", "medium", "high", "critical"] as const;

export type NotificationSeverity = (typeof SEVERITIES)[number];

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
  ref: { kind: "alert" | "incident" | "investigation" | "node" | "checklist" | "review" | "register"; id: string };
  /**
   * Optional explicit recipients besides those in scope (e.g. the contact chain's next level): console users by id
   * (told whatever their preferences' types and severity, still only when the organisation is in their scope), and
   * mail addresses of contacts. The contact chain lives above this module, so the caller resolves its contacts into
   * `addresses`; `contactIds` alone are not resolved here.
   */
  recipients?: { userIds?: string[]; contactIds?: string[]; addresses?: { email: string; label?: string }[] };
  /** The same key twice is one event (a trigger that may fire again, e.g. a deadline check each pass). */
  dedupeKey?: string;
  /** When it happened (default: now). */
  at?: Date;
}

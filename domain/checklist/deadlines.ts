/**
 * `checklist.deadline`: a self-inspection assessment not yet submitted (draft
 * or returned) when its round's deadline is a week away, and again a day
 * away. Run by the detection worker's notification pass; each reminder is one
 * event per assessment and threshold (its dedupe key), however often the pass runs.
 */
import { db } from "../../lib/db";
import { formatJst, labelOr, t } from "../../lib/i18n";
import { notifyMany, type NotificationEvent } from "../notifications/notify";

/** Reminders before the deadline, in days (the nearest one reached is sent). */
export const DEADLINE_REMINDER_DAYS = [7, 1] as const;
const DAY_MS = 86_400_000;

export async function notifyChecklistDeadlines(now = new Date()): Promise<number> {
  const horizon = new Date(now.getTime() + Math.max(...DEADLINE_REMINDER_DAYS) * DAY_MS);
  const open = await db().assessment.findMany({
    where: { status: { in: ["draft", "returned"] }, round: { deadline: { gt: now, lte: horizon } } },
    select: { id: true, organizationId: true, status: true, round: { select: { deadline: true, fiscalYear: true } } },
  });
  const events: NotificationEvent[] = [];
  for (const a of open) {
    const left = a.round.deadline.getTime() - now.getTime();
    const threshold = Math.min(...DEADLINE_REMINDER_DAYS.filter((d) => left <= d * DAY_MS));
    events.push({
      type: "checklist.deadline",
      organizationCode: a.organizationId,
      severity: threshold <= 1 ? "high" : "medium",
      title: t("notify.checklist.title"),
      lines: [
        `${t("notify.checklist.deadline")}：${formatJst(a.round.deadline)}`,
        `${t("notify.checklist.status")}：${labelOr(`checklist.status.${a.status}`, a.status)}`,
      ],
      path: `/checklist/assessments/${a.id}`,
      ref: { kind: "checklist", id: a.id },
      dedupeKey: `checklist.deadline:${a.id}:${a.round.deadline.toISOString()}:${threshold}`,
    });
  }
  const res = await notifyMany(events, now);
  return res.filter((r) => r.created).length;
}

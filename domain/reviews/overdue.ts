/**
 * The detection worker's review pass: every reviewing organisation gets the
 * default schedule when it has none, every ended period its review task, and
 * each review past its due date and not done one `review.overdue`
 * notification (its dedupe key: once per review and due date, however often
 * the pass runs and however many workers run it).
 */
import { systemScope, type Scope } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { formatJst, t } from "../../lib/i18n";
import { notifyMany, type NotificationEvent } from "../notifications/notify";
import { periodLabel } from "./periods";
import { ensureDefaultSchedules, ensureReviewTasks } from "./workflow";

export interface ReviewPassResult {
  schedules: number;
  tasks: number;
  notified: number;
}

export async function runReviewPass(now = new Date()): Promise<ReviewPassResult> {
  const scope = systemScope("detector");
  const schedules = await ensureDefaultSchedules(scope, now);
  const tasks = await ensureReviewTasks(scope, now);
  const notified = await notifyOverdueReviews(scope, now);
  return { schedules, tasks, notified };
}

/** One notification per overdue review of the scope (to the users whose scope has its organisation). */
export async function notifyOverdueReviews(scope: Scope, now = new Date()): Promise<number> {
  const overdue = await db().logReview.findMany({
    where: { status: "draft", dueAt: { lte: now }, ...scope.where() },
    select: { id: true, organizationId: true, periodStart: true, periodEnd: true, dueAt: true },
  });
  const events: NotificationEvent[] = overdue.map((r) => ({
    type: "review.overdue",
    organizationCode: r.organizationId,
    severity: "medium",
    title: t("notify.review.title"),
    lines: [`${t("notify.review.period")}：${periodLabel(r.periodStart, r.periodEnd)}`, `${t("notify.review.due")}：${formatJst(r.dueAt)}`],
    path: `/reviews/${r.id}`,
    ref: { kind: "review", id: r.id },
    dedupeKey: `review.overdue:${r.id}:${r.dueAt.toISOString()}`,
  }));
  if (!events.length) return 0;
  const res = await notifyMany(events, now);
  return res.filter((x) => x.created).length;
}

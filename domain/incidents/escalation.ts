/**
 * Upward-report deadlines: an incident at a level whose definition requires
 * reporting upward gets `reportDueAt`; recording the upward contact sets
 * `reportedAt`. The periodic pass (detection worker) notifies each overdue
 * report once to the next level of the escalation path and reminds
 * municipalities of unanswered investigation requests once after their due
 * date. Both claims are conditional updates, so a rerun or a second worker
 * sends nothing twice.
 */
import type { Scope } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { formatJst, t } from "../../lib/i18n";
import { incidentScopeWhere } from "./access";
import { escalationPath } from "./contacts";
import { fill, levelName, notifyIncident } from "./notifications";
import { notifyInvestigation } from "./investigations";

export interface EscalationPassResult {
  overdue: number[];
  reminded: number[];
}

/** The overdue reports and unanswered requests past due, each notified once. */
export async function runEscalationPass(now = new Date()): Promise<EscalationPassResult> {
  const result: EscalationPassResult = { overdue: [], reminded: [] };
  const due = await db().incident.findMany({
    where: { status: { not: "closed" }, reportedAt: null, overdueNotifiedAt: null, reportDueAt: { lt: now } },
    orderBy: { id: "asc" },
  });
  for (const incident of due) {
    const claimed = await db().incident.updateMany({
      where: { id: incident.id, overdueNotifiedAt: null, reportedAt: null, reportDueAt: incident.reportDueAt },
      data: { overdueNotifiedAt: now },
    });
    if (!claimed.count) continue;
    const path = await escalationPath(incident.organizationId, incident.level);
    // The first contact of the path is the one the report was due to; the next level is told it is overdue.
    const next = path.length > 1 ? path.slice(1) : path;
    await db().incidentEvent.create({
      data: {
        incidentId: incident.id,
        at: now,
        by: "system:escalation",
        kind: "escalation_overdue",
        text: next.map((c) => c.name).join("、"),
        detail: JSON.stringify({ reportDueAt: incident.reportDueAt?.toISOString(), contactIds: next.map((c) => c.id) }),
      },
    });
    await notifyIncident("incident.escalation_overdue", incident, next, [
      fill(t("incident.notify.overdue"), { level: levelName(incident.level), title: incident.title }),
      `${t("incident.reportDue")}: ${formatJst(incident.reportDueAt!)}`,
    ]);
    result.overdue.push(incident.id);
  }
  const late = await db().investigationRequest.findMany({ where: { answeredAt: null, remindedAt: null, dueAt: { lt: now } }, orderBy: { id: "asc" } });
  for (const r of late) {
    const claimed = await db().investigationRequest.updateMany({ where: { id: r.id, answeredAt: null, remindedAt: null }, data: { remindedAt: now } });
    if (!claimed.count) continue;
    await notifyInvestigation("reminder", r);
    result.reminded.push(r.id);
  }
  return result;
}

/** Counts for the dashboard tile: open incidents (exercises apart) and overdue upward reports in scope. */
export async function incidentTileCounts(scope: Scope, now = new Date()): Promise<{ open: number; overdue: number; exercises: number }> {
  const where = { ...incidentScopeWhere(scope), status: { not: "closed" } };
  const [open, exercises, overdue] = await Promise.all([
    db().incident.count({ where: { ...where, exercise: false } }),
    db().incident.count({ where: { ...where, exercise: true } }),
    db().incident.count({ where: { ...where, reportedAt: null, reportDueAt: { lt: now } } }),
  ]);
  return { open, overdue, exercises };
}

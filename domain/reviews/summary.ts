/**
 * The reviews as figures for others: the checklist's suggestion for the log
 * items (reviews done in M of N periods of the fiscal year, with findings) and
 * the external-audit report's table of the audit period. Read in the scope.
 */
import type { Scope } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { fiscalYearPeriod } from "../statistics/period";
import { periodLabel } from "./periods";
import { reviewScopeWhere } from "./workflow";

export interface ReviewFigures {
  /** Periods reviewed (done or signed off) out of the periods that have a task. */
  done: number;
  of: number;
  signedOff: number;
  /** Reviews whose outcome was 要対応. */
  actionRequired: number;
  href: string;
}

/** One organisation's reviews of the periods starting in a fiscal year (403 when outside the scope). */
export async function reviewFigures(callerScope: Scope, organizationId: string, fiscalYear: number): Promise<ReviewFigures> {
  const scope = callerScope.narrow(organizationId);
  const { from, to } = fiscalYearPeriod(fiscalYear);
  const rows = await db().logReview.findMany({
    where: { AND: [reviewScopeWhere(scope), { organizationId, periodStart: { gte: from, lt: to } }] },
    select: { status: true, outcome: true },
  });
  return {
    done: rows.filter((r) => r.status !== "draft").length,
    of: rows.length,
    signedOff: rows.filter((r) => r.status === "signed_off").length,
    actionRequired: rows.filter((r) => r.status !== "draft" && r.outcome === "action_required").length,
    href: `/reviews?organization=${organizationId}&fiscalYear=${fiscalYear}`,
  };
}

export interface AuditReviewRow {
  period: string;
  status: string;
  reviewer: string | null;
  doneAt: Date | null;
  signedOffBy: string | null;
  signedOffAt: Date | null;
  outcome: string | null;
  findings: string;
}

export interface AuditReviewSection {
  rows: AuditReviewRow[];
  done: number;
  signedOff: number;
  actionRequired: number;
}

/** The reviews of the periods inside an audit period (periods that began in it), oldest first. */
export async function auditReviewSection(callerScope: Scope, organizationId: string, period: { from: Date; to: Date }): Promise<AuditReviewSection> {
  const scope = callerScope.narrow(organizationId);
  const rows = await db().logReview.findMany({
    where: { AND: [reviewScopeWhere(scope), { organizationId, periodStart: { gte: period.from, lt: period.to } }] },
    orderBy: { periodStart: "asc" },
  });
  return {
    rows: rows.map((r) => ({
      period: periodLabel(r.periodStart, r.periodEnd),
      status: r.status,
      reviewer: r.reviewerName,
      doneAt: r.doneAt,
      signedOffBy: r.signedOffByName,
      signedOffAt: r.signedOffAt,
      outcome: r.status === "draft" ? null : r.outcome,
      findings: r.status === "draft" ? "" : r.findings,
    })),
    done: rows.filter((r) => r.status !== "draft").length,
    signedOff: rows.filter((r) => r.status === "signed_off").length,
    actionRequired: rows.filter((r) => r.status !== "draft" && r.outcome === "action_required").length,
  };
}

/**
 * External operations audits (外部運用監査): engagements contracted by a
 * prefecture, the audit procedure of the municipal rules (準備 → 監査計画 →
 * 監査実施 → 監査報告), findings with the municipality's response and the
 * follow-up, and the versioned report per municipality (draft → review →
 * final; a final version is locked and its PDF's SHA-256 recorded).
 *
 * Who may do what is decided here, for every call:
 * - auditors of the engagement, only inside its access period and only for
 *   its municipalities: plan, findings, report;
 * - the municipality's own officers: read its findings and final reports,
 *   answer findings (management response, remediation plan and due date);
 * - the prefecture's staff: create engagements (admin), read everything.

 *
 * This module: the vocabulary (phases, grades, statuses), AuditError and the
 * access check every step starts with (engagementAccess). The steps live in
 * engagements.ts, findings.ts and report-versions.ts; workflow.ts is their
 * one import path.
 */
import { AuthError, prefectureOf, type Principal } from "../../lib/auth/principal";
import { scopeOf, type Scope } from "../../lib/auth/scope";

import { db } from "../../lib/db";

export const PHASES = ["preparation", "planning", "fieldwork", "reporting", "closed"] as const;
export type Phase = (typeof PHASES)[number];
export const GRADES = ["major", "minor", "observation"] as const;
export type Grade = (typeof GRADES)[number];
export const FINDING_STATUSES = ["open", "responded", "remediating", "closed"] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];
export const EVIDENCE_SOURCES = ["interview", "log_analysis", "site_inspection", "document_review"] as const;
export const CONCLUSIONS = ["effective", "partially_effective", "ineffective"] as const;

/** An expected refusal; `code` names the message `audit.error.<code>` of the catalogue. */
export class AuditError extends Error {
  constructor(
    readonly code:
      | "not_prefecture"
      | "bad_input"
      | "locked"
      | "not_auditor"
      | "not_municipality"
      | "bad_status"
      | "file_type"
      | "file_empty"
      | "file_too_large"
      | "second_person"
      | "fieldwork_future"
      | "not_confirmed"
      | "unknown_evidence",
    message: string,
    /** Data for the user's message that needs no translation (ids, dates); shown after the catalogue text. */
    readonly detail?: string,
  ) {
    super(message);
  }
}

export type Access = "auditor" | "prefecture" | "municipality";

export const forbidden = (what: string) => new AuthError(403, `${what} is outside your scope`);

/** An engagement with those of its municipalities that are in the scope (none in scope: not found). */
export const loadEngagement = (id: string, scope: Scope) =>
  db().auditEngagement.findFirst({
    where: { id, organizations: { some: scope.where("organizationId") } },
    include: { organizations: { where: scope.where("organizationId") }, auditors: true },
  });
type Engagement = NonNullable<Awaited<ReturnType<typeof loadEngagement>>>;

/** The actor's Scope at `now` (auditors: 403 outside every engagement's access period). */
export const scopeAt = (actor: Principal, now = new Date()) => scopeOf(actor, now);

/**
 * The actor's access to an engagement (and, if given, one of its
 * municipalities); 403 otherwise. Auditors lose all access outside the
 * engagement's access period. Returns the actor's Scope too (auditors': only
 * the audit periods of their engagements), for the reads that follow.
 */
export async function engagementAccess(
  actor: Principal,
  engagementId: string,
  organizationId?: string,
  now = new Date(),
  scope?: Scope,
): Promise<{ engagement: Engagement; access: Access; organizations: string[]; scope: Scope }> {
  scope ??= await scopeAt(actor, now);
  if (organizationId && !scope.includes(organizationId)) throw forbidden(`organisation ${organizationId} of engagement ${engagementId}`);
  const engagement = await loadEngagement(engagementId, scope);
  if (!engagement) throw forbidden(`engagement ${engagementId}`);
  const orgs = engagement.organizations.map((o) => o.organizationId);
  if (organizationId && !orgs.includes(organizationId)) throw forbidden(`organisation ${organizationId} of engagement ${engagementId}`);
  if (actor.role === "auditor") {
    const assigned = engagement.auditors.some((a) => a.userId === actor.id);
    const inPeriod = engagement.accessFrom.getTime() <= now.getTime() && now.getTime() < engagement.accessTo.getTime();
    if (!assigned || !inPeriod) throw forbidden(`engagement ${engagementId}`);
    return { engagement, access: "auditor", organizations: orgs, scope };
  }
  const prefecture = await prefectureOf(actor);
  if (prefecture && prefecture === engagement.prefectureId) return { engagement, access: "prefecture", organizations: orgs, scope };
  if ((actor.role === "municipal_officer" || actor.role === "admin") && orgs.includes(actor.organizationId)) {
    if (organizationId && organizationId !== actor.organizationId) throw forbidden(`organisation ${organizationId}`);
    return { engagement, access: "municipality", organizations: [actor.organizationId], scope };
  }
  throw forbidden(`engagement ${engagementId}`);
}

export async function asAuditor(actor: Principal, engagementId: string, organizationId?: string) {
  const a = await engagementAccess(actor, engagementId, organizationId);
  if (a.access !== "auditor") throw new AuditError("not_auditor", "only the engagement's auditors do this");
  return a;
}

/** External audits: engagements (contracted by the prefecture), their plan, and the notice to each municipality. See access.ts for who may do what. */
import { AuthError, prefectureOf, type Principal } from "../../lib/auth/principal";
import { type Scope } from "../../lib/auth/scope";

import { db } from "../../lib/db";
import { AuditError, asAuditor, engagementAccess, forbidden, scopeAt, PHASES, EVIDENCE_SOURCES, type Phase } from "./access";

// ------------------------------------------------------------ engagements

export interface EngagementInput {
  firm: string;
  fiscalYear: number;
  accessFrom: Date;
  accessTo: Date;
  auditFrom: Date;
  auditTo: Date;
  organizationIds: string[];
  auditorLogins: string[];
}

/** A prefecture admin contracts an audit: firm, year, municipalities, auditor accounts, periods. */
export async function createEngagement(actor: Principal, input: EngagementInput) {
  const prefecture = await prefectureOf(actor);
  if (!prefecture || actor.role !== "admin") throw new AuditError("not_prefecture", "only a prefecture admin creates engagements");
  if (!input.firm.trim()) throw new AuditError("bad_input", "firm is required");
  if (!(input.accessFrom < input.accessTo)) throw new AuditError("bad_input", "access period: from must be before to");
  if (!(input.auditFrom < input.auditTo)) throw new AuditError("bad_input", "audit period: from must be before to");
  if (!input.organizationIds.length) throw new AuditError("bad_input", "choose at least one municipality");
  const municipalities = await db().organization.findMany({ where: { id: { in: input.organizationIds }, parentId: prefecture, kind: "municipality" } });
  const unknown = input.organizationIds.filter((id) => !municipalities.some((m) => m.id === id));
  if (unknown.length) throw new AuditError("bad_input", `not a municipality of the prefecture: ${unknown.join(", ")}`);
  const auditors = await db().user.findMany({ where: { loginId: { in: input.auditorLogins }, role: "auditor", disabledAt: null } });
  const missing = input.auditorLogins.filter((l) => !auditors.some((a) => a.loginId === l));
  if (!auditors.length || missing.length) throw new AuditError("bad_input", `unknown auditor accounts: ${missing.join(", ") || "(none given)"}`);
  return db().auditEngagement.create({
    data: {
      firm: input.firm.trim(),
      fiscalYear: input.fiscalYear,
      accessFrom: input.accessFrom,
      accessTo: input.accessTo,
      auditFrom: input.auditFrom,
      auditTo: input.auditTo,
      prefectureId: prefecture,
      createdById: actor.id,
      evidenceSources: JSON.stringify(["interview", "log_analysis", "site_inspection"]),
      organizations: { create: input.organizationIds.map((organizationId) => ({ organizationId })) },
      auditors: { create: auditors.map((a) => ({ userId: a.id })) },
    },
  });
}

/** Engagements the actor may open, newest first (auditors: only those in their access period). */
export async function listEngagements(actor: Principal, now = new Date()) {
  let scope: Scope;
  try {
    scope = await scopeAt(actor, now);
  } catch (e) {
    if (e instanceof AuthError && actor.role === "auditor") return []; // no engagement in its access period
    throw e;
  }
  const all = await db().auditEngagement.findMany({
    where: { organizations: { some: scope.where("organizationId") } },
    include: { organizations: true, auditors: true },
    orderBy: [{ fiscalYear: "desc" }, { createdAt: "desc" }],
  });
  const prefecture = await prefectureOf(actor);
  return all.filter((e) => {
    if (actor.role === "auditor") return e.auditors.some((a) => a.userId === actor.id) && e.accessFrom <= now && now < e.accessTo;
    if (prefecture) return e.prefectureId === prefecture;
    return (actor.role === "municipal_officer" || actor.role === "admin") && e.organizations.some((o) => o.organizationId === actor.organizationId);
  });
}

export interface PlanInput {
  scope?: string;
  criteriaItems?: string[];
  legalCriteria?: string;
  evidenceSources?: string[];
  phase?: Phase;
  fieldwork?: Record<string, Date | null>;
}

/** The auditors' plan (実施計画書): scope, criteria, evidence sources, fieldwork dates, and the phase. */
export async function updatePlan(actor: Principal, engagementId: string, input: PlanInput) {
  const { engagement } = await asAuditor(actor, engagementId);
  if (engagement.phase === "closed") throw new AuditError("locked", "the engagement is closed");
  if (input.phase && !PHASES.includes(input.phase)) throw new AuditError("bad_input", `unknown phase ${input.phase}`);
  if (input.evidenceSources?.some((s) => !(EVIDENCE_SOURCES as readonly string[]).includes(s))) throw new AuditError("bad_input", "unknown evidence source");
  if (input.criteriaItems?.some((i) => !/^[A-Z]{3}-\d{2}$/.test(i))) throw new AuditError("bad_input", "criteria items are checklist item ids like LOG-01");
  await db().auditEngagement.update({
    where: { id: engagementId },
    data: {
      scope: input.scope?.trim() ?? undefined,
      legalCriteria: input.legalCriteria?.trim() ?? undefined,
      criteriaItems: input.criteriaItems ? JSON.stringify(input.criteriaItems) : undefined,
      evidenceSources: input.evidenceSources ? JSON.stringify(input.evidenceSources) : undefined,
      phase: input.phase,
    },
  });
  for (const [organizationId, date] of Object.entries(input.fieldwork ?? {})) {
    if (!engagement.organizations.some((o) => o.organizationId === organizationId)) throw forbidden(`organisation ${organizationId}`);
    await db().engagementOrganization.update({ where: { engagementId_organizationId: { engagementId, organizationId } }, data: { fieldworkOn: date } });
  }
}

// ------------------------------------------------------------------ notice

/**
 * Issues the 実施通知書 of one municipality (an explicit POST: the server
 * action `issueNoticeAction`): the engagement's auditors or the prefecture's
 * staff, once; later calls keep the first date. Downloading the notice never
 * changes anything (app/api/audits/[id]/[org]/[doc]/route.ts).
 */
export async function issueNotice(actor: Principal, engagementId: string, organizationId: string, now = new Date()): Promise<Date> {
  const { access } = await engagementAccess(actor, engagementId, organizationId, now);
  if (access === "municipality") throw new AuditError("not_auditor", "the notice is issued by the auditors or the prefecture");
  await db().engagementOrganization.updateMany({ where: { engagementId, organizationId, noticeIssuedAt: null }, data: { noticeIssuedAt: now } });
  const eo = await db().engagementOrganization.findUnique({ where: { engagementId_organizationId: { engagementId, organizationId } } });
  return eo!.noticeIssuedAt!;
}

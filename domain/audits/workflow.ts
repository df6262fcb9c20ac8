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
 */
import { AuthError, prefectureOf, type Principal } from "../../lib/auth/principal";
import { scopeOf, type Scope } from "../../lib/auth/scope";

import { config } from "../../lib/config";
import { db } from "../../lib/db";
import { EvidenceError, readBlob, storeBlob, storeEvidence } from "../evidence";
import { readUpload, UploadError } from "../../lib/upload";

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
    readonly code: "not_prefecture" | "bad_input" | "locked" | "not_auditor" | "not_municipality" | "bad_status" | "file_type" | "file_empty" | "file_too_large",
    message: string,
  ) {
    super(message);
  }
}

export type Access = "auditor" | "prefecture" | "municipality";

const forbidden = (what: string) => new AuthError(403, `${what} is outside your scope`);

/** An engagement with those of its municipalities that are in the scope (none in scope: not found). */
const loadEngagement = (id: string, scope: Scope) =>
  db().auditEngagement.findFirst({
    where: { id, organizations: { some: scope.where("organizationId") } },
    include: { organizations: { where: scope.where("organizationId") }, auditors: true },
  });
type Engagement = NonNullable<Awaited<ReturnType<typeof loadEngagement>>>;

/** The actor's Scope at `now` (auditors: 403 outside every engagement's access period). */
const scopeAt = (actor: Principal, now = new Date()) => scopeOf(actor, now);

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

async function asAuditor(actor: Principal, engagementId: string, organizationId?: string) {
  const a = await engagementAccess(actor, engagementId, organizationId);
  if (a.access !== "auditor") throw new AuditError("not_auditor", "only the engagement's auditors do this");
  return a;
}

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

// ---------------------------------------------------------------- findings

export interface FindingInput {
  title: string;
  criterion: string;
  condition: string;
  cause: string;
  effect: string;
  recommendation: string;
  grade: Grade;
  alerts?: string[];
  searches?: string[];
}

const FINDING_FIELDS = ["title", "criterion", "condition", "cause", "effect", "recommendation", "grade"] as const;

function checkFinding(input: FindingInput) {
  for (const f of FINDING_FIELDS) {
    const v = String(input[f] ?? "").trim();
    if (!v) throw new AuditError("bad_input", `${f} is required`);
    if (v.length > 4000) throw new AuditError("bad_input", `${f} is longer than 4000 characters`);
  }
  if (!GRADES.includes(input.grade)) throw new AuditError("bad_input", `unknown grade ${input.grade}`);
  for (const a of input.alerts ?? []) if (!/^[0-9a-f]{24}$/.test(a)) throw new AuditError("bad_input", `alert ids are 24 hex characters: ${a}`);
  // Saved log searches are console links to the log explorer or the alert queue, never external URLs.
  for (const s of input.searches ?? []) if (!/^\/(events|alerts)\?[^\s]*$/.test(s)) throw new AuditError("bad_input", `saved searches are links starting with /events? or /alerts?: ${s}`);
}

const evidenceJson = (input: FindingInput) => JSON.stringify({ alerts: input.alerts ?? [], searches: input.searches ?? [] });

function findingHistory(findingId: string, actor: Principal, field: string, before: unknown, after: unknown) {
  return db().auditFindingHistory.create({
    data: { findingId, actorId: actor.id, actorLogin: actor.login, field, before: before == null ? null : String(before), after: after == null ? null : String(after) },
  });
}

async function reportIsFinal(engagementId: string, organizationId: string): Promise<boolean> {
  const latest = await db().auditReport.findFirst({ where: { engagementId, organizationId }, orderBy: { version: "desc" } });
  return latest?.status === "final";
}

export async function createFinding(actor: Principal, engagementId: string, organizationId: string, input: FindingInput) {
  await asAuditor(actor, engagementId, organizationId);
  checkFinding(input);
  if (await reportIsFinal(engagementId, organizationId)) throw new AuditError("locked", "the report is final; start a revision first");
  const last = await db().auditFinding.findFirst({ where: { engagementId, organizationId }, orderBy: { number: "desc" }, select: { number: true } });
  const f = await db().auditFinding.create({
    data: {
      engagementId,
      organizationId,
      number: (last?.number ?? 0) + 1,
      ...Object.fromEntries(FINDING_FIELDS.map((k) => [k, String(input[k]).trim()])),
      grade: input.grade,
      evidence: evidenceJson(input),
      createdById: actor.id,
    } as never,
  });
  await findingHistory(f.id, actor, "create", null, `${f.number}. ${f.title}`);
  return f;
}

/** A finding the actor may see, with its engagement access. */
export async function getFinding(actor: Principal, findingId: string) {
  const scope = await scopeAt(actor);
  const f = await db().auditFinding.findFirst({ where: { id: findingId, ...scope.where() }, include: { attachments: true, history: { orderBy: { id: "desc" } } } });
  if (!f) throw forbidden(`finding ${findingId}`);
  const { access } = await engagementAccess(actor, f.engagementId, f.organizationId, undefined, scope);
  return { finding: f, access };
}

export async function updateFinding(actor: Principal, findingId: string, input: FindingInput) {
  const { finding, access } = await getFinding(actor, findingId);
  if (access !== "auditor") throw new AuditError("not_auditor", "only the engagement's auditors edit findings");
  if (finding.status === "closed" || (await reportIsFinal(finding.engagementId, finding.organizationId))) throw new AuditError("locked", "closed findings and findings of a final report cannot change");
  checkFinding(input);
  const next: Record<string, string> = { ...Object.fromEntries(FINDING_FIELDS.map((k) => [k, String(input[k]).trim()])), evidence: evidenceJson(input) };
  const changed = Object.entries(next).filter(([k, v]) => (finding as Record<string, unknown>)[k] !== v);
  if (!changed.length) return;
  await db().auditFinding.update({ where: { id: findingId }, data: Object.fromEntries(changed) });
  for (const [k, v] of changed) await findingHistory(findingId, actor, k, (finding as Record<string, unknown>)[k], v);
}

/** The municipality's management response and remediation plan; an open finding becomes responded. */
export async function respondToFinding(actor: Principal, findingId: string, input: { response: string; remediationPlan: string; remediationDue: Date | null }, now = new Date()) {
  const { finding, access } = await getFinding(actor, findingId);
  if (access !== "municipality") throw new AuditError("not_municipality", "only the audited municipality answers its findings");
  if (finding.status === "closed") throw new AuditError("locked", "the finding is closed");
  const response = input.response.trim();
  if (!response) throw new AuditError("bad_input", "response is required");
  if (response.length > 4000 || input.remediationPlan.length > 4000) throw new AuditError("bad_input", "longer than 4000 characters");
  const data = {
    response,
    remediationPlan: input.remediationPlan.trim() || null,
    remediationDue: input.remediationDue,
    respondedAt: now,
    respondedById: actor.id,
    status: finding.status === "open" ? "responded" : finding.status,
  };
  await db().auditFinding.update({ where: { id: findingId }, data });
  for (const k of ["response", "remediationPlan", "remediationDue", "status"] as const) {
    const before = finding[k] instanceof Date ? (finding[k] as Date).toISOString() : finding[k];
    const after = data[k] instanceof Date ? (data[k] as Date).toISOString() : data[k];
    if (before !== after) await findingHistory(findingId, actor, k, before, after);
  }
}

/** Follow-up by the auditors: remediating, closed (or reopened). */
export async function setFindingStatus(actor: Principal, findingId: string, status: FindingStatus, now = new Date()) {
  const { finding, access } = await getFinding(actor, findingId);
  if (access !== "auditor") throw new AuditError("not_auditor", "only the engagement's auditors follow findings up");
  if (!FINDING_STATUSES.includes(status)) throw new AuditError("bad_input", `unknown status ${status}`);
  if (status === finding.status) return;
  await db().auditFinding.update({ where: { id: findingId }, data: { status, closedAt: status === "closed" ? now : null } });
  await findingHistory(findingId, actor, "status", finding.status, status);
}

/** A finding the actor may attach evidence to: its auditors and the municipality, while it is open. */
async function findingForAttachment(actor: Principal, findingId: string) {
  const { finding, access } = await getFinding(actor, findingId);
  if (access === "prefecture") throw new AuditError("not_auditor", "the prefecture does not attach evidence to findings");
  if (finding.status === "closed") throw new AuditError("locked", "the finding is closed");
  return finding;
}

export async function addFindingAttachment(actor: Principal, findingId: string, file: { name: string; bytes: Buffer }) {
  await findingForAttachment(actor, findingId);
  return storeFindingAttachment(actor, findingId, file);
}

/**
 * A finding attachment as it arrives (multipart: file): permission first,
 * before the body is read; then the size limit on the declared length and
 * while the body streams (lib/upload.ts). Returns the finding too (the
 * route sends the browser back to it).
 */
export async function receiveFindingAttachmentUpload(actor: Principal, findingId: string, req: Request) {
  const finding = await findingForAttachment(actor, findingId);
  let upload;
  try {
    upload = await readUpload(req, config().EVIDENCE_MAX_BYTES);
  } catch (e) {
    if (e instanceof UploadError) throw new AuditError(e.code === "bad_request" ? "file_empty" : e.code, e.message);
    throw e;
  }
  return { finding, attachment: await storeFindingAttachment(actor, findingId, upload.file!) };
}

async function storeFindingAttachment(actor: Principal, findingId: string, file: { name: string; bytes: Buffer }) {
  let stored: ReturnType<typeof storeEvidence>;
  try {
    stored = storeEvidence(file);
  } catch (e) {
    if (e instanceof EvidenceError) throw new AuditError(e.code, e.message);
    throw e;
  }
  const row = await db().auditFindingAttachment.create({ data: { findingId, ...stored, uploadedById: actor.id } });
  await findingHistory(findingId, actor, "attachment", null, `${stored.fileName} (${stored.sha256})`);
  return row;
}

export async function readFindingAttachment(actor: Principal, attachmentId: string) {
  const scope = await scopeAt(actor);
  const att = await db().auditFindingAttachment.findFirst({ where: { id: attachmentId, finding: scope.where("organizationId") } });
  if (!att) throw forbidden(`attachment ${attachmentId}`);
  await getFinding(actor, att.findingId);
  return { ...att, bytes: readBlob(att.sha256) };
}

// ------------------------------------------------------------------ reports

/**
 * The report the actor may see for one municipality: auditors the latest
 * version in any state, the municipality and the prefecture only the latest
 * final version.
 */
export async function currentReport(actor: Principal, engagementId: string, organizationId: string, opts: { finalOnly?: boolean } = {}) {
  const { access } = await engagementAccess(actor, engagementId, organizationId);
  const where = access === "auditor" && !opts.finalOnly ? { engagementId, organizationId } : { engagementId, organizationId, status: "final" };
  return db().auditReport.findFirst({ where, orderBy: { version: "desc" } });
}

export interface ReportInput {
  opinion?: string;
  conclusion?: (typeof CONCLUSIONS)[number] | null;
  scopeAndMethod?: string;
}

/** Saves the draft (creating version 1 when there is none). */
export async function saveReportDraft(actor: Principal, engagementId: string, organizationId: string, input: ReportInput) {
  await asAuditor(actor, engagementId, organizationId);
  if (input.conclusion && !CONCLUSIONS.includes(input.conclusion)) throw new AuditError("bad_input", `unknown conclusion ${input.conclusion}`);
  const latest = await db().auditReport.findFirst({ where: { engagementId, organizationId }, orderBy: { version: "desc" } });
  if (latest && latest.status !== "draft") throw new AuditError("locked", `version ${latest.version} is ${latest.status}`);
  const data = { opinion: input.opinion?.trim() ?? undefined, conclusion: input.conclusion ?? undefined, scopeAndMethod: input.scopeAndMethod?.trim() ?? undefined };
  if (latest) return db().auditReport.update({ where: { id: latest.id }, data });
  return db().auditReport.create({ data: { engagementId, organizationId, version: 1, createdById: actor.id, ...data } });
}

async function latestOf(engagementId: string, organizationId: string) {
  const r = await db().auditReport.findFirst({ where: { engagementId, organizationId }, orderBy: { version: "desc" } });
  if (!r) throw new AuditError("bad_status", "there is no report yet; save a draft first");
  return r;
}

/** draft → review (needs an opinion and a conclusion), review → draft (returned by the reviewer). */
export async function moveReport(actor: Principal, engagementId: string, organizationId: string, to: "review" | "draft") {
  await asAuditor(actor, engagementId, organizationId);
  const r = await latestOf(engagementId, organizationId);
  if (to === "review") {
    if (r.status !== "draft") throw new AuditError("bad_status", `version ${r.version} is ${r.status}`);
    if (!r.opinion || !r.conclusion) throw new AuditError("bad_input", "write the overall opinion and conclusion before review");
  } else if (r.status !== "review") throw new AuditError("bad_status", `version ${r.version} is ${r.status}`);
  const moved = await db().auditReport.updateMany({ where: { id: r.id, status: r.status }, data: { status: to } });
  if (!moved.count) throw new AuditError("bad_status", "the report changed meanwhile; reload");
}

/**
 * review → final: renders the PDF once, stores it by SHA-256 and locks the
 * version; downloads of a final version serve exactly these bytes.
 */
export async function finalizeReport(actor: Principal, engagementId: string, organizationId: string, render: (reportId: string) => Promise<Buffer>, now = new Date()) {
  await asAuditor(actor, engagementId, organizationId);
  const r = await latestOf(engagementId, organizationId);
  if (r.status !== "review") throw new AuditError("bad_status", `version ${r.version} is ${r.status}; it must be in review`);
  const pdf = await render(r.id);
  const sha256 = storeBlob(pdf);
  const moved = await db().auditReport.updateMany({ where: { id: r.id, status: "review" }, data: { status: "final", pdfSha256: sha256, finalizedAt: now, finalizedById: actor.id } });
  if (!moved.count) throw new AuditError("bad_status", "the report changed meanwhile; reload");
  return { id: r.id, version: r.version, sha256 };
}

/** A revision of a final report: a new draft version carrying the text over. */
export async function reviseReport(actor: Principal, engagementId: string, organizationId: string) {
  await asAuditor(actor, engagementId, organizationId);
  const r = await latestOf(engagementId, organizationId);
  if (r.status !== "final") throw new AuditError("bad_status", `version ${r.version} is ${r.status}`);
  return db().auditReport.create({
    data: { engagementId, organizationId, version: r.version + 1, opinion: r.opinion, conclusion: r.conclusion, scopeAndMethod: r.scopeAndMethod, createdById: actor.id },
  });
}

/** The stored PDF of a final version (hash re-checked). */
export async function finalReportPdf(actor: Principal, reportId: string) {
  const scope = await scopeAt(actor);
  const r = await db().auditReport.findFirst({ where: { id: reportId, ...scope.where() } });
  if (!r) throw forbidden(`report ${reportId}`);
  await engagementAccess(actor, r.engagementId, r.organizationId, undefined, scope);
  if (r.status !== "final" || !r.pdfSha256) throw forbidden(`report ${reportId}`);
  return { report: r, bytes: readBlob(r.pdfSha256) };
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

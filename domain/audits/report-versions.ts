/** External audits: the versioned report of one municipality (draft → review → final, a final version locked with its PDF's SHA-256). See access.ts for who may do what. */
import { type Principal } from "../../lib/auth/principal";

import { db } from "../../lib/db";
import { formatJstDate } from "../../lib/i18n";
import { readBlob, storeBlob } from "../evidence";
import { AuditError, asAuditor, engagementAccess, forbidden, scopeAt, CONCLUSIONS } from "./access";

// ------------------------------------------------------------------ reports

/**
 * The report the actor may see for one municipality: auditors the latest
 * version in any state; the prefecture the latest version in review or final
 * (it may be the second person who finalises, see finalizeCheck); the
 * municipality only the latest final version. `finalOnly`: for everyone the
 * latest final version.
 */
export async function currentReport(actor: Principal, engagementId: string, organizationId: string, opts: { finalOnly?: boolean } = {}) {
  const { access } = await engagementAccess(actor, engagementId, organizationId);
  const status = opts.finalOnly || access === "municipality" ? { status: "final" } : access === "prefecture" ? { status: { in: ["review", "final"] } } : {};
  return db().auditReport.findFirst({ where: { engagementId, organizationId, ...status }, orderBy: { version: "desc" } });
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
  const data = {
    opinion: input.opinion?.trim() ?? undefined,
    conclusion: input.conclusion ?? undefined,
    scopeAndMethod: input.scopeAndMethod?.trim() ?? undefined,
  };
  if (latest) return db().auditReport.update({ where: { id: latest.id }, data });
  return db().auditReport.create({ data: { engagementId, organizationId, version: 1, createdById: actor.id, ...data } });
}

async function latestOf(engagementId: string, organizationId: string) {
  const r = await db().auditReport.findFirst({ where: { engagementId, organizationId }, orderBy: { version: "desc" } });
  if (!r) throw new AuditError("bad_status", "there is no report yet; save a draft first");
  return r;
}

/**
 * draft → review (needs an opinion and a conclusion; records who sent it and
 * when), review → draft (returned for more work; the record is cleared).
 */
export async function moveReport(actor: Principal, engagementId: string, organizationId: string, to: "review" | "draft", now = new Date()) {
  await asAuditor(actor, engagementId, organizationId);
  const r = await latestOf(engagementId, organizationId);
  if (to === "review") {
    if (r.status !== "draft") throw new AuditError("bad_status", `version ${r.version} is ${r.status}`);
    if (!r.opinion || !r.conclusion) throw new AuditError("bad_input", "write the overall opinion and conclusion before review");
  } else if (r.status !== "review") throw new AuditError("bad_status", `version ${r.version} is ${r.status}`);
  const data =
    to === "review"
      ? { status: to, reviewRequestedById: actor.id, reviewRequestedAt: now }
      : { status: to, reviewRequestedById: null, reviewRequestedAt: null };
  const moved = await db().auditReport.updateMany({ where: { id: r.id, status: r.status }, data });
  if (!moved.count) throw new AuditError("bad_status", "the report changed meanwhile; reload");
}

/**
 * Who may finalise the version in review — the second person of the
 * four-eyes rule: an auditor assigned to the engagement (inside its access
 * period) or the staff (admin, monitor) of the prefecture that contracted it,
 * but never the person who sent this version to review (for a version sent
 * before that was recorded: its author). Refusals: `not_auditor` for anyone
 * else, `second_person` for the sender.
 */
export async function finalizeCheck(actor: Principal, engagementId: string, organizationId: string, now = new Date()) {
  const { access, engagement } = await engagementAccess(actor, engagementId, organizationId, now);
  if (access === "municipality") throw new AuditError("not_auditor", "only the engagement's auditors or the prefecture finalise a report");
  const r = await latestOf(engagementId, organizationId);
  if (r.status !== "review") throw new AuditError("bad_status", `version ${r.version} is ${r.status}; it must be in review`);
  const sender = r.reviewRequestedById ?? r.createdById;
  if (sender === actor.id)
    throw new AuditError("second_person", "the person who sent the report to review cannot finalise it; another auditor or the prefecture does");
  const fieldwork = engagement.organizations.find((o) => o.organizationId === organizationId)?.fieldworkOn;
  if (fieldwork && fieldwork.getTime() > now.getTime())
    throw new AuditError("fieldwork_future", `fieldwork is planned for ${fieldwork.toISOString()}`, formatJstDate(fieldwork));
  return r;
}

/**
 * review → final (see finalizeCheck for who): renders the PDF once, stores
 * it by SHA-256 and locks the version; downloads of a final version serve
 * exactly these bytes.
 */
export async function finalizeReport(
  actor: Principal,
  engagementId: string,
  organizationId: string,
  render: (reportId: string) => Promise<Buffer>,
  now = new Date(),
) {
  const r = await finalizeCheck(actor, engagementId, organizationId, now);
  const pdf = await render(r.id);
  const sha256 = storeBlob(pdf);
  const moved = await db().auditReport.updateMany({
    where: { id: r.id, status: "review", reviewRequestedById: r.reviewRequestedById },
    data: { status: "final", pdfSha256: sha256, finalizedAt: now, finalizedById: actor.id },
  });
  if (!moved.count) throw new AuditError("bad_status", "the report changed meanwhile; reload");
  return { id: r.id, version: r.version, sha256 };
}

/** A revision of a final report: a new draft version carrying the text over. */
export async function reviseReport(actor: Principal, engagementId: string, organizationId: string) {
  await asAuditor(actor, engagementId, organizationId);
  const r = await latestOf(engagementId, organizationId);
  if (r.status !== "final") throw new AuditError("bad_status", `version ${r.version} is ${r.status}`);
  return db().auditReport.create({
    data: {
      engagementId,
      organizationId,
      version: r.version + 1,
      opinion: r.opinion,
      conclusion: r.conclusion,
      scopeAndMethod: r.scopeAndMethod,
      createdById: actor.id,
    },
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

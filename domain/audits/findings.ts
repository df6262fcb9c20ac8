/** External audits: findings at one municipality, its response and the follow-up, and their evidence files. See access.ts for who may do what. */
import { type Principal } from "../../lib/auth/principal";

import { config } from "../../lib/config";
import { db } from "../../lib/db";
import { EvidenceError, readBlob, storeEvidence } from "../evidence";
import { readUpload, UploadError } from "../../lib/upload";
import { resolveEvidence } from "./evidence-links";
import { AuditError, asAuditor, engagementAccess, forbidden, scopeAt, GRADES, FINDING_STATUSES, type FindingStatus, type Grade } from "./access";

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
}

/** A finding's stored evidence ({ alerts, searches }; anything else reads as none). */
export function parseEvidence(json: string): { alerts: string[]; searches: string[] } {
  try {
    const v = JSON.parse(json) as { alerts?: unknown; searches?: unknown };
    const strings = (x: unknown) => (Array.isArray(x) ? x.filter((s): s is string => typeof s === "string") : []);
    return { alerts: strings(v?.alerts), searches: strings(v?.searches) };
  } catch {
    return { alerts: [], searches: [] };
  }
}

function findingHistory(findingId: string, actor: Principal, field: string, before: unknown, after: unknown) {
  return db().auditFindingHistory.create({
    data: {
      findingId,
      actorId: actor.id,
      actorLogin: actor.login,
      field,
      before: before == null ? null : String(before),
      after: after == null ? null : String(after),
    },
  });
}

async function reportIsFinal(engagementId: string, organizationId: string): Promise<boolean> {
  const latest = await db().auditReport.findFirst({ where: { engagementId, organizationId }, orderBy: { version: "desc" } });
  return latest?.status === "final";
}

export async function createFinding(actor: Principal, engagementId: string, organizationId: string, input: FindingInput) {
  const { scope } = await asAuditor(actor, engagementId, organizationId);
  checkFinding(input);
  const evidence = JSON.stringify(await resolveEvidence(scope, engagementId, organizationId, input));
  if (await reportIsFinal(engagementId, organizationId)) throw new AuditError("locked", "the report is final; start a revision first");
  const last = await db().auditFinding.findFirst({ where: { engagementId, organizationId }, orderBy: { number: "desc" }, select: { number: true } });
  const f = await db().auditFinding.create({
    data: {
      engagementId,
      organizationId,
      number: (last?.number ?? 0) + 1,
      ...Object.fromEntries(FINDING_FIELDS.map((k) => [k, String(input[k]).trim()])),
      grade: input.grade,
      evidence,
      createdById: actor.id,
    } as never,
  });
  await findingHistory(f.id, actor, "create", null, `${f.number}. ${f.title}`);
  return f;
}

/** A finding the actor may see, with its engagement access. */
export async function getFinding(actor: Principal, findingId: string) {
  const scope = await scopeAt(actor);
  const f = await db().auditFinding.findFirst({
    where: { id: findingId, ...scope.where() },
    include: { attachments: true, history: { orderBy: { id: "desc" } } },
  });
  if (!f) throw forbidden(`finding ${findingId}`);
  const { access } = await engagementAccess(actor, f.engagementId, f.organizationId, undefined, scope);
  return { finding: f, access };
}

export async function updateFinding(actor: Principal, findingId: string, input: FindingInput) {
  const { finding, access } = await getFinding(actor, findingId);
  if (access !== "auditor") throw new AuditError("not_auditor", "only the engagement's auditors edit findings");
  if (finding.status === "closed" || (await reportIsFinal(finding.engagementId, finding.organizationId)))
    throw new AuditError("locked", "closed findings and findings of a final report cannot change");
  checkFinding(input);
  const evidence = await resolveEvidence(await scopeAt(actor), finding.engagementId, finding.organizationId, input, parseEvidence(finding.evidence));
  const next: Record<string, string> = { ...Object.fromEntries(FINDING_FIELDS.map((k) => [k, String(input[k]).trim()])), evidence: JSON.stringify(evidence) };
  const changed = Object.entries(next).filter(([k, v]) => (finding as Record<string, unknown>)[k] !== v);
  if (!changed.length) return;
  await db().auditFinding.update({ where: { id: findingId }, data: Object.fromEntries(changed) });
  for (const [k, v] of changed) await findingHistory(findingId, actor, k, (finding as Record<string, unknown>)[k], v);
}

/** The municipality's management response and remediation plan; an open finding becomes responded. */
export async function respondToFinding(
  actor: Principal,
  findingId: string,
  input: { response: string; remediationPlan: string; remediationDue: Date | null },
  now = new Date(),
) {
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

"use server";
/**
 * Server actions of the external-audit pages. domain/audits/workflow.ts
 * decides who may do what; these resolve the signed-in user, parse the form,
 * record the audit trail and go back to the page (with the refusal, if any).
 */
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { renderReportPdf } from "../../reports/audit/render/report";
import { reportDocument } from "../../domain/audits/report";
import {
  AuditError,
  asAuditor,
  createEngagement,
  createFinding,
  finalizeCheck,
  finalizeReport,
  issueNotice,
  moveReport,
  respondToFinding,
  reviseReport,
  saveReportDraft,
  saveSearch,
  setFindingStatus,
  updateFinding,
  updatePlan,
  type FindingInput,
} from "../../domain/audits/workflow";
import { recordAudit } from "../../lib/audit/trail";
import { AuthError, type Principal } from "../../lib/auth/principal";
import { requireUser } from "../../lib/auth/pages";
import { jstDayEnd, jstMidnight, parseDateKey } from "../../lib/calendar";
import { t, type MessageKey } from "../../lib/i18n";

const str = (form: FormData, key: string) => String(form.get(key) ?? "");
const lines = (s: string) =>
  s
    .split(/[\s,、]+/)
    .map((x) => x.trim())
    .filter(Boolean);
/** A JST calendar date from an <input type=date>; `end` gives the exclusive end of that day. */
const day = (s: string, end = false) => {
  const key = parseDateKey(s);
  if (!key) throw new AuditError("bad_input", `not a date: "${s}"`);
  return end ? jstDayEnd(key) : jstMidnight(key);
};

/** Runs a step and goes back to `page`, carrying a refusal as ?error=. */
async function step(
  page: string,
  run: (a: Principal) => Promise<{ audit?: string; target?: string; details?: Record<string, unknown> } | void>,
): Promise<never> {
  const a = await requireUser();
  let error: string | undefined;
  try {
    const r = await run(a);
    if (r?.audit) await recordAudit({ actorId: a.id, actorLogin: a.login, action: r.audit, target: r.target, details: r.details });
  } catch (e) {
    if (e instanceof AuditError) error = t(`audit.error.${e.code}` as MessageKey) + (e.detail ? `（${e.detail}）` : "");
    else if (e instanceof AuthError) error = t("forbidden.title");
    else throw e;
  }
  revalidatePath(page);
  redirect(error ? `${page}?error=${encodeURIComponent(error)}` : page);
}

export async function createEngagementAction(form: FormData): Promise<void> {
  await step("/audits", async (a) => {
    const e = await createEngagement(a, {
      firm: str(form, "firm"),
      fiscalYear: Number(str(form, "fiscalYear")),
      accessFrom: day(str(form, "accessFrom")),
      accessTo: day(str(form, "accessTo"), true),
      auditFrom: day(str(form, "auditFrom")),
      auditTo: day(str(form, "auditTo"), true),
      organizationIds: form.getAll("organizations").map(String),
      auditorLogins: lines(str(form, "auditors")),
    });
    return { audit: "audit_engagement_create", target: e.id, details: { firm: e.firm, fiscalYear: e.fiscalYear } };
  });
}

export async function updatePlanAction(form: FormData): Promise<void> {
  const id = str(form, "engagementId");
  await step(`/audits/${id}`, async (a) => {
    const fieldwork: Record<string, Date | null> = {};
    for (const [k, v] of form.entries()) if (k.startsWith("fieldwork-")) fieldwork[k.slice(10)] = v ? day(String(v)) : null;
    await updatePlan(a, id, {
      scope: str(form, "scope"),
      legalCriteria: str(form, "legalCriteria"),
      criteriaItems: lines(str(form, "criteriaItems")),
      evidenceSources: form.getAll("evidenceSources").map(String),
      phase: (str(form, "phase") || undefined) as never,
      fieldwork,
    });
    return { audit: "audit_plan_update", target: id };
  });
}

const findingInput = (form: FormData): FindingInput => ({
  title: str(form, "title"),
  criterion: str(form, "criterion"),
  condition: str(form, "condition"),
  cause: str(form, "cause"),
  effect: str(form, "effect"),
  recommendation: str(form, "recommendation"),
  grade: str(form, "grade") as FindingInput["grade"],
  // Chosen from selects (the municipality's alerts, the saved searches); validated in the domain.
  alerts: form.getAll("alerts").map(String).filter(Boolean),
  searches: form.getAll("searches").map(String).filter(Boolean),
});

const orgPage = (form: FormData) => `/audits/${str(form, "engagementId")}/${str(form, "organizationId")}`;

export async function createFindingAction(form: FormData): Promise<void> {
  await step(orgPage(form), async (a) => {
    const f = await createFinding(a, str(form, "engagementId"), str(form, "organizationId"), findingInput(form));
    return { audit: "audit_finding_create", target: f.id, details: { number: f.number, grade: f.grade } };
  });
}

export async function updateFindingAction(form: FormData): Promise<void> {
  await step(orgPage(form), async (a) => {
    await updateFinding(a, str(form, "findingId"), findingInput(form));
    return { audit: "audit_finding_update", target: str(form, "findingId") };
  });
}

export async function respondToFindingAction(form: FormData): Promise<void> {
  await step(orgPage(form), async (a) => {
    const due = str(form, "remediationDue");
    await respondToFinding(a, str(form, "findingId"), {
      response: str(form, "response"),
      remediationPlan: str(form, "remediationPlan"),
      remediationDue: due ? day(due) : null,
    });
    return { audit: "audit_finding_response", target: str(form, "findingId") };
  });
}

export async function setFindingStatusAction(form: FormData): Promise<void> {
  await step(orgPage(form), async (a) => {
    await setFindingStatus(a, str(form, "findingId"), str(form, "status") as never);
    return { audit: "audit_finding_status", target: str(form, "findingId"), details: { status: str(form, "status") } };
  });
}

export async function saveReportAction(form: FormData): Promise<void> {
  await step(orgPage(form), async (a) => {
    const r = await saveReportDraft(a, str(form, "engagementId"), str(form, "organizationId"), {
      opinion: str(form, "opinion"),
      conclusion: (str(form, "conclusion") || null) as never,
      scopeAndMethod: str(form, "scopeAndMethod"),
    });
    return { audit: "audit_report_save", target: r.id };
  });
}

/** Report steps: review and final need the confirmation box of their form ticked. */
export async function moveReportAction(form: FormData): Promise<void> {
  const to = str(form, "to");
  await step(orgPage(form), async (a) => {
    const engagementId = str(form, "engagementId");
    const organizationId = str(form, "organizationId");
    // Permission (and for final the second person and the fieldwork date) before the confirmation box.
    if (to === "review") await asAuditor(a, engagementId, organizationId);
    if (to === "final") await finalizeCheck(a, engagementId, organizationId);
    if ((to === "review" || to === "final") && form.get("confirm") !== "yes") throw new AuditError("not_confirmed", "tick the confirmation first");
    if (to === "final") {
      const finalizedAt = new Date();
      // The stored PDF is the final one: rendered with the final status and date it is about to get.
      const render = async () => renderReportPdf({ ...(await reportDocument(a, engagementId, organizationId, finalizedAt)), status: "final", finalizedAt });
      const r = await finalizeReport(a, engagementId, organizationId, render, finalizedAt);
      return { audit: "audit_report_finalize", target: r.id, details: { version: r.version, sha256: r.sha256 } };
    }
    if (to === "revise") {
      const r = await reviseReport(a, engagementId, organizationId);
      return { audit: "audit_report_revise", target: r.id, details: { version: r.version } };
    }
    await moveReport(a, engagementId, organizationId, to === "review" ? "review" : "draft");
    return { audit: `audit_report_${to}`, target: `${engagementId}/${organizationId}` };
  });
}

/** Issues the 実施通知書 of one municipality (a POST; downloading the notice never records anything). */
export async function issueNoticeAction(form: FormData): Promise<void> {
  const engagementId = str(form, "engagementId");
  await step(`/audits/${engagementId}`, async (a) => {
    const organizationId = str(form, "organizationId");
    const at = await issueNotice(a, engagementId, organizationId);
    return { audit: "audit_notice_issue", target: `${engagementId}/${organizationId}`, details: { issuedAt: at.toISOString() } };
  });
}

/** Saves a log-explorer search of the audited municipality (built from the fields) for citing in findings. */
export async function saveSearchAction(form: FormData): Promise<void> {
  await step(orgPage(form), async (a) => {
    const s = await saveSearch(a, str(form, "engagementId"), str(form, "organizationId"), {
      name: str(form, "name"),
      from: str(form, "from"),
      to: str(form, "to"),
      operator: str(form, "operator"),
      terminal: str(form, "terminal"),
    });
    return { audit: "audit_search_save", target: s.id, details: { query: s.query } };
  });
}

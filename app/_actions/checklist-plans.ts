"use server";
/**
 * Server actions of improvement plans (改善計画) on the assessment page
 * (issue 18): add a plan to an item answered 未実施/一部実施, change a plan
 * shown there (its own or carried from an earlier round). The domain module
 * (domain/checklist/plans.ts) checks scope and permission; these translate
 * refusals into catalogue messages and record the audit trail.
 */
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { addPlan, PLAN_STATUSES, updatePlan } from "../../domain/checklist/plans";
import { ChecklistError } from "../../domain/checklist/workflow";
import { recordAudit } from "../../lib/audit/trail";
import { AuthError } from "../../lib/auth/principal";
import { requireUser } from "../../lib/auth/pages";
import { jstDayEnd, parseDateKey } from "../../lib/calendar";
import { t, type MessageKey } from "../../lib/i18n";

const message = (e: unknown): string => {
  if (e instanceof ChecklistError) return t(`checklist.error.${e.code}` as MessageKey) + (e.detail ? `（${e.detail}）` : "");
  if (e instanceof AuthError) return t("forbidden.title");
  throw e;
};

const page = (id: string, itemId?: string) => `/checklist/assessments/${id}${itemId ? `#item-${itemId}` : ""}`;
const due = (v: string | undefined) => {
  const key = parseDateKey(v ?? "");
  return key ? new Date(jstDayEnd(key).getTime() - 1000) : new Date(Number.NaN);
};

const addInput = z.object({
  assessmentId: z.string().min(1).max(40),
  itemId: z.string().regex(/^[A-Z]{3}-\d{2}$/),
  measure: z.string().max(4000),
  owner: z.string().max(4000),
  dueDate: z.string().max(20),
});

/** Adds an improvement plan, then back to the item (with the error, if refused). */
export async function addPlanAction(form: FormData): Promise<void> {
  const a = await requireUser();
  const parsed = addInput.safeParse(Object.fromEntries(form.entries()));
  const id = String(form.get("assessmentId") ?? "");
  let error: string | undefined;
  if (!parsed.success) error = `${t("checklist.error.bad_input")}（${parsed.error.issues.map((i) => String(i.path[0])).join("、")}）`;
  else {
    try {
      const p = await addPlan(a, parsed.data.assessmentId, parsed.data.itemId, {
        measure: parsed.data.measure,
        owner: parsed.data.owner,
        dueDate: due(parsed.data.dueDate),
      });
      await recordAudit({
        actorId: a.id,
        actorLogin: a.login,
        action: "checklist_plan_add",
        target: parsed.data.assessmentId,
        organizationId: p.organizationId,
        details: { plan: p.id, item: p.itemId },
      });
    } catch (e) {
      error = message(e);
    }
  }
  revalidatePath(page(id));
  redirect(error ? `${page(id)}?error=${encodeURIComponent(error)}` : page(id, parsed.data?.itemId));
}

const updateInput = z.object({
  assessmentId: z.string().min(1).max(40),
  planId: z.string().min(1).max(40),
  status: z.enum(PLAN_STATUSES),
  dueDate: z.string().max(20).optional(),
});

/** Changes a plan's status (and due date, when given). */
export async function updatePlanAction(form: FormData): Promise<void> {
  const a = await requireUser();
  const parsed = updateInput.safeParse(Object.fromEntries(form.entries()));
  const id = String(form.get("assessmentId") ?? "");
  let error: string | undefined;
  if (!parsed.success) error = t("checklist.error.bad_input");
  else {
    try {
      const p = await updatePlan(a, parsed.data.assessmentId, parsed.data.planId, {
        status: parsed.data.status,
        ...(parsed.data.dueDate ? { dueDate: due(parsed.data.dueDate) } : {}),
      });
      await recordAudit({
        actorId: a.id,
        actorLogin: a.login,
        action: "checklist_plan_update",
        target: parsed.data.assessmentId,
        organizationId: p.organizationId,
        details: { plan: p.id, item: p.itemId, status: p.status },
      });
    } catch (e) {
      error = message(e);
    }
  }
  revalidatePath(page(id));
  redirect(error ? `${page(id)}?error=${encodeURIComponent(error)}` : page(id));
}

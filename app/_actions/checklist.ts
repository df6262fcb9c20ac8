"use server";
/**
 * Server actions of the self-inspection pages. The workflow module checks
 * scope and permission; these resolve the signed-in user, translate expected
 * refusals into catalogue messages and record the audit trail.
 */
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import {
  acceptAssessment,
  adoptPreviousAnswers,
  ChecklistError,
  openRound,
  removeEvidence,
  returnAssessment,
  saveAnswer,
  setReviewComment,
  submitAssessment,
} from "../../domain/checklist/workflow";
import { ANSWERS } from "../../domain/checklist/template";
import { recordAudit } from "../../lib/audit/trail";
import { AuthError, type Principal } from "../../lib/auth/principal";
import { requireUser } from "../../lib/auth/pages";
import { jstDayEnd, parseDateKey } from "../../lib/calendar";
import { t, type MessageKey } from "../../lib/i18n";

const message = (e: unknown): string => {
  // Japanese only: the catalogue text and, where useful, the ids it is about (never the English developer message).
  if (e instanceof ChecklistError) return t(`checklist.error.${e.code}` as MessageKey) + (e.detail ? `（${e.detail}）` : "");
  if (e instanceof AuthError) return t("forbidden.title");
  throw e;
};

export type SaveResult = { ok: true; at: string } | { ok: false; error: string };

const saveInput = z.object({
  assessmentId: z.string().min(1).max(40),
  itemId: z.string().regex(/^[A-Z]{3}-\d{2}$/),
  answer: z.enum(ANSWERS).nullable().optional(),
  comment: z.string().max(4000).nullable().optional(),
});

/** Autosave of one item (answer and/or comment); returns instead of throwing so the form can show it. */
export async function saveAnswerAction(input: z.input<typeof saveInput>): Promise<SaveResult> {
  const a = await requireUser();
  const parsed = saveInput.safeParse(input);
  if (!parsed.success) return { ok: false, error: t("checklist.error.bad_input") };
  try {
    await saveAnswer(a, parsed.data.assessmentId, parsed.data.itemId, { answer: parsed.data.answer, comment: parsed.data.comment });
    return { ok: true, at: new Date().toISOString() };
  } catch (e) {
    return { ok: false, error: message(e) };
  }
}

export async function saveReviewCommentAction(input: { assessmentId: string; itemId: string; text: string }): Promise<SaveResult> {
  const a = await requireUser();
  try {
    await setReviewComment(a, String(input.assessmentId), String(input.itemId), String(input.text ?? ""));
    return { ok: true, at: new Date().toISOString() };
  } catch (e) {
    return { ok: false, error: message(e) };
  }
}

const page = (id: string) => `/checklist/assessments/${id}`;

/** Runs a state change from a form, then back to the assessment page (with the error, if refused). */
async function step(form: FormData, run: (a: Principal, id: string) => Promise<unknown>, audit?: string): Promise<never> {
  const a = await requireUser();
  const id = String(form.get("assessmentId") ?? "");
  let error: string | undefined;
  try {
    await run(a, id);
    if (audit) await recordAudit({ actorId: a.id, actorLogin: a.login, action: audit, target: id });
  } catch (e) {
    error = message(e);
  }
  revalidatePath(page(id));
  redirect(error ? `${page(id)}?error=${encodeURIComponent(error)}` : page(id));
}

export async function submitAction(form: FormData): Promise<void> {
  await step(form, (a, id) => submitAssessment(a, id), "checklist_submit");
}

export async function returnAction(form: FormData): Promise<void> {
  await step(form, (a, id) => returnAssessment(a, id), "checklist_return");
}

export async function acceptAction(form: FormData): Promise<void> {
  await step(form, (a, id) => acceptAssessment(a, id), "checklist_accept");
}

export async function adoptPreviousAction(form: FormData): Promise<void> {
  await step(form, (a, id) => adoptPreviousAnswers(a, id));
}

export async function removeEvidenceAction(form: FormData): Promise<void> {
  await step(form, (a) => removeEvidence(a, String(form.get("evidenceId"))), "checklist_evidence_remove");
}

const roundInput = z.object({
  fiscalYear: z.coerce.number().int().min(2002).max(2100),
  deadline: z.string().refine((v) => parseDateKey(v) !== null),
  carryOver: z.string().optional(),
});

/** Opens a round; the deadline is the end of the given JST day. */
export async function openRoundAction(form: FormData): Promise<void> {
  const a = await requireUser();
  const parsed = roundInput.safeParse(Object.fromEntries(form.entries()));
  let error: string | undefined;
  if (!parsed.success)
    error = `${t("checklist.error.bad_input")}（${parsed.error.issues.map((i) => t(`checklist.open.${i.path[0] === "deadline" ? "deadline" : "fiscalYear"}`)).join("、")}）`;
  else {
    try {
      const deadline = new Date(jstDayEnd(parsed.data.deadline).getTime() - 1000);
      const round = await openRound(a, { fiscalYear: parsed.data.fiscalYear, deadline, carryOver: parsed.data.carryOver === "on" });
      await recordAudit({
        actorId: a.id,
        actorLogin: a.login,
        action: "checklist_round_open",
        target: round.id,
        details: { fiscalYear: round.fiscalYear, template: round.templateVersion },
      });
    } catch (e) {
      error = message(e);
    }
  }
  revalidatePath("/checklist");
  redirect(error ? `/checklist?error=${encodeURIComponent(error)}` : "/checklist");
}

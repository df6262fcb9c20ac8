"use server";
/**
 * Server actions of the periodic log review: record a review (save the draft,
 * complete it, sign it off, reopen it) and set an organisation's review
 * schedule. Each calls the domain (which checks scope, role and the second
 * person), records the audit trail and redirects back with a Japanese message.
 */
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { completeReview, reopenReview, ReviewError, saveReview, setSchedule, signOffReview } from "../../domain/reviews";
import { recordAudit } from "../../lib/audit/trail";
import { AuthError } from "../../lib/auth/principal";
import { requireUser } from "../../lib/auth/pages";
import { t, type MessageKey } from "../../lib/i18n";
import { formFields } from "./form";

const withMessage = (path: string, key: "ok" | "error", text: string) => `${path}${path.includes("?") ? "&" : "?"}${key}=${encodeURIComponent(text)}`;

/** A refusal as a Japanese message: the domain's code, a scope refusal; other errors propagate. */
function message(e: unknown): string {
  if (e instanceof ReviewError) return `${t(`reviews.error.${e.code}` as MessageKey)}（${e.message}）`;
  if (e instanceof AuthError) return t(e.status === 404 ? "reviews.error.not_found" : "forbidden.title");
  throw e;
}

const OPS = ["save", "complete", "signoff", "reopen"] as const;
const REVIEW_ACTIONS = { save: "review_saved", complete: "review_completed", signoff: "review_signed_off", reopen: "review_reopened" } as const;
const OP_OK = { save: "reviews.saved", complete: "reviews.completed", signoff: "reviews.signedOff", reopen: "reviews.reopened" } as const;

/** One recording on a review, chosen by the form's `op`. */
export async function updateReviewAction(form: FormData): Promise<void> {
  const user = await requireUser(["admin", "monitor", "municipal_officer"]);
  const f = formFields(form);
  const id = /^[a-z0-9]{1,40}$/.test(f.reviewId ?? "") ? f.reviewId : "";
  const page = id ? `/reviews/${id}` : "/reviews";
  const op = f.op as (typeof OPS)[number];
  let organizationId: string | undefined;
  const input = { checks: form.getAll("checks").map(String), findings: f.findings ?? "", outcome: f.outcome || undefined, followUp: f.followUp ?? "" };
  try {
    if (!OPS.includes(op)) throw new ReviewError("bad_input", `op: unknown "${f.op}"`);
    const r =
      op === "save"
        ? await saveReview(user, id, input)
        : op === "complete"
          ? await completeReview(user, id, input)
          : op === "signoff"
            ? await signOffReview(user, id, f.comment ?? "")
            : await reopenReview(user, id, f.comment ?? "");
    organizationId = r.organizationId;
  } catch (e) {
    redirect(withMessage(page, "error", message(e)));
  }
  await recordAudit({
    actorId: user.id,
    actorLogin: user.login,
    action: REVIEW_ACTIONS[op],
    target: id,
    organizationId,
    details: { op, outcome: f.outcome || undefined, checks: input.checks },
  });
  revalidatePath(page);
  revalidatePath("/reviews");
  redirect(withMessage(page, "ok", t(OP_OK[op])));
}

/** An organisation's review schedule (its admin or the prefecture's). */
export async function reviewScheduleAction(form: FormData): Promise<void> {
  const user = await requireUser(["admin"]);
  const f = formFields(form);
  const org = /^\d{6}$/.test(f.organization ?? "") ? f.organization : "";
  const back = org ? `/reviews?organization=${org}` : "/reviews";
  try {
    await setSchedule(user, org, { frequency: f.frequency ?? "", dueDays: Number(f.dueDays) });
  } catch (e) {
    redirect(withMessage(back, "error", message(e)));
  }
  await recordAudit({
    actorId: user.id,
    actorLogin: user.login,
    action: "review_schedule_changed",
    target: org,
    organizationId: org,
    details: { frequency: f.frequency, dueDays: Number(f.dueDays) },
  });
  revalidatePath("/reviews");
  redirect(withMessage(back, "ok", t("reviews.scheduleSaved")));
}

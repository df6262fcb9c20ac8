"use server";
/**
 * Server actions of the training and drills register (issue 17): deleting a
 * session recorded by mistake. Recording a session and adding a material go
 * through the multipart routes (POST /api/registers/training,
 * POST /api/registers/training/<id>/materials) so files stream with a limit.
 */
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { deleteSession, TrainingError } from "../../domain/registers/training";
import { recordAudit } from "../../lib/audit/trail";
import { AuthError } from "../../lib/auth/principal";
import { requireUser } from "../../lib/auth/pages";
import { t, type MessageKey } from "../../lib/i18n";
import { formFields } from "./form";

const withMessage = (path: string, key: "ok" | "error", text: string) => `${path}${path.includes("?") ? "&" : "?"}${key}=${encodeURIComponent(text)}`;

function message(e: unknown): string {
  if (e instanceof TrainingError) return `${t(`registers.training.error.${e.code}` as MessageKey)}（${e.message}）`;
  if (e instanceof AuthError) return t(e.status === 404 ? "registers.training.error.not_found" : "forbidden.title");
  throw e;
}

/** Deletes a session in the caller's scope (its page asks for confirmation first). */
export async function deleteTrainingSessionAction(form: FormData): Promise<void> {
  const user = await requireUser(["admin", "monitor", "municipal_officer"]);
  const f = formFields(form);
  const id = /^\d{1,9}$/.test(f.sessionId ?? "") ? Number(f.sessionId) : 0;
  let removed: { organizationId: string; title: string };
  try {
    removed = await deleteSession(user, id);
  } catch (e) {
    redirect(withMessage(id ? `/registers/training/${id}` : "/registers/training", "error", message(e)));
  }
  await recordAudit({
    actorId: user.id,
    actorLogin: user.login,
    action: "training_session_deleted",
    target: String(id),
    organizationId: removed.organizationId,
    details: { title: removed.title },
  });
  revalidatePath("/registers/training");
  redirect(withMessage(`/registers/training?organization=${removed.organizationId}`, "ok", t("registers.training.deleted")));
}

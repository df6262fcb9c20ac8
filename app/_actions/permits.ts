"use server";
/**
 * After-hours permits (時間外使用の承認, INTERFACE.md §5) managed in the
 * console by the organisation's admin: add and remove, inside the admin's
 * scope (`adminScopeOf`; a permit's organisation must be in it, rows are read
 * and deleted with `scope.where()`), each change recorded in the audit trail.
 */
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { recordAudit } from "../../lib/audit/trail";
import { AuthError } from "../../lib/auth/principal";
import { t } from "../../lib/i18n";
import { requireAdmin } from "../../lib/auth/pages";
import { auditActor, formFields } from "./form";
import { addPermit, permitInput, removePermit } from "../../domain/registry/permits";

const PAGE = "/admin/permits";

/** A refusal in Japanese: the domain's own messages, a scope refusal, a missing row. */
const failed = (e: unknown) =>
  redirect(
    `${PAGE}?error=${encodeURIComponent(e instanceof AuthError ? t(e.status === 404 ? "admin.err.notFound" : "admin.err.outside") : (e as Error).message)}`,
  );

export async function addPermitAction(form: FormData): Promise<void> {
  const { admin: a, scope } = await requireAdmin();
  const parsed = permitInput.safeParse(formFields(form));
  if (!parsed.success) redirect(`${PAGE}?error=${encodeURIComponent(parsed.error.issues[0]?.message ?? t("admin.err.permitTime"))}`);
  try {
    const p = await addPermit(parsed.data, a.login, scope);
    await recordAudit({
      ...auditActor(a, scope),
      action: "after_hours_permit_added",
      target: `${p.organizationId} permit ${p.id}`,
      organizationId: p.organizationId,
      details: { id: p.id, operators: parsed.data.operators, start: p.start.toISOString(), end: p.end.toISOString(), reason: p.reason },
    });
  } catch (e) {
    failed(e);
  }
  revalidatePath(PAGE);
  redirect(`${PAGE}?ok=added`);
}

export async function removePermitAction(form: FormData): Promise<void> {
  const { admin: a, scope } = await requireAdmin();
  const id = Number(form.get("id"));
  try {
    const p = await removePermit(id, scope);
    await recordAudit({
      ...auditActor(a, scope),
      action: "after_hours_permit_removed",
      target: `${p.organizationId} permit ${p.id}`,
      organizationId: p.organizationId,
      details: { id: p.id, operators: JSON.parse(p.operators), start: p.start.toISOString(), end: p.end.toISOString(), reason: p.reason },
    });
  } catch (e) {
    failed(e);
  }
  revalidatePath(PAGE);
  redirect(`${PAGE}?ok=removed`);
}

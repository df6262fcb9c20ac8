"use server";
/**
 * Server actions for accounts: user management by an admin inside its scope
 * (create, disable/enable, reset password or TOTP, change role; the domain
 * checks and records each in lib/auth/accounts.ts), unlock (admin of another
 * organisation) and TOTP enrolment. Refusals come back as Japanese messages
 * in the action's state; a new password only in that state, never in a URL.
 */
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { changeUserByAdmin, confirmTotpEnrolment, createUserByAdmin, unlockUser, UserAdminError, type UserChange } from "../../lib/auth/accounts";
import { AuthError, ROLES, type Role } from "../../lib/auth/principal";
import { adminScopeOf } from "../../lib/auth/scope";
import { requireAdmin, requireUser } from "../../lib/auth/pages";
import { t, type MessageKey } from "../../lib/i18n";
import { formFields } from "./form";

/** What the users page shows after an action: a message, or a refusal, and a new password once. */
export type UserAdminState = { ok?: string; error?: string; loginId?: string; password?: string };

const refusal = (e: unknown): UserAdminState => {
  if (e instanceof UserAdminError) return { error: e.message };
  throw e;
};

const role = (v: string | undefined): Role | undefined => ((ROLES as readonly string[]).includes(v ?? "") ? (v as Role) : undefined);

export async function createUserAction(_prev: UserAdminState, form: FormData): Promise<UserAdminState> {
  const { admin, scope } = await requireAdmin();
  const f = formFields(form);
  const r = role(f.role);
  if (!r) return { error: t("admin.user.err.role") };
  try {
    const u = await createUserByAdmin(admin, scope, {
      loginId: f.loginId ?? "",
      name: f.name ?? "",
      role: r,
      organizationId: f.organizationId ?? "",
      password: f.password || undefined,
    });
    revalidatePath("/admin/users");
    return { ok: t("admin.userCreated"), loginId: u.loginId, password: f.password ? undefined : u.password };
  } catch (e) {
    return refusal(e);
  }
}

const OPS = ["disable", "enable", "resetPassword", "resetTotp", "role"] as const;

export async function manageUserAction(_prev: UserAdminState, form: FormData): Promise<UserAdminState> {
  const { admin, scope } = await requireAdmin();
  const f = formFields(form);
  const op = OPS.find((o) => o === f.op);
  if (!op) return { error: t("admin.user.err.op") };
  let change: UserChange;
  if (op === "role") {
    const r = role(f.role);
    if (!r) return { error: t("admin.user.err.role") };
    change = { op, role: r };
  } else change = op === "resetPassword" ? { op, password: f.password || undefined } : { op };
  try {
    const res = await changeUserByAdmin(admin, scope, f.userId ?? "", change);
    revalidatePath("/admin/users");
    return { ok: t(`admin.userDone.${op}` as MessageKey), loginId: res.loginId, password: op === "resetPassword" && !f.password ? res.password : undefined };
  } catch (e) {
    return refusal(e);
  }
}

export async function unlockAction(form: FormData): Promise<void> {
  const admin = await requireUser(["admin"]);
  try {
    await unlockUser(admin, String(form.get("userId")), await adminScopeOf(admin));
  } catch (e) {
    if (e instanceof AuthError) redirect(`/admin/users?error=${e.status === 404 ? "notFound" : /own organisation/.test(e.message) ? "sameOrg" : "outside"}`);
    throw e;
  }
  revalidatePath("/admin/users");
  redirect("/admin/users?done=1");
}

export async function confirmTotpAction(form: FormData): Promise<void> {
  const user = await requireUser(undefined, { allowPendingTotp: true });
  const ok = await confirmTotpEnrolment(user.id, String(form.get("code") ?? ""));
  redirect(ok ? "/dashboard" : "/account/totp?error=1");
}

"use server";
/** Server actions for accounts: unlock (admin of another organisation) and TOTP enrolment. */
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { confirmTotpEnrolment, unlockUser } from "../../lib/auth/accounts";
import { AuthError } from "../../lib/auth/principal";
import { adminScopeOf } from "../../lib/auth/scope";
import { requireUser } from "../../lib/auth/pages";

export async function unlockAction(form: FormData): Promise<void> {
  const admin = await requireUser(["admin"]);
  try {
    await unlockUser(admin, String(form.get("userId")), await adminScopeOf(admin));
  } catch (e) {
    if (e instanceof AuthError) redirect(`/admin/users?error=${encodeURIComponent(e.message)}`);
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

"use server";
/**
 * The archive's buttons (/admin/archive): restore an archived month for an
 * audit or a disclosure request (with the reason), release it again. Only the
 * admins of a prefecture or of the national centre; both are written to the
 * audit trail by domain/archive/restore.ts.
 */
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireUser } from "../../lib/auth/pages";
import { t, type MessageKey } from "../../lib/i18n";
import { formFields } from "./form";
import { managesArchive, releaseMonth, restoreMonth } from "../../domain/archive/restore";
import { ArchiveError } from "../../domain/archive/streams";

const PAGE = "/admin/archive";

async function archiveAdmin() {
  const user = await requireUser(["admin"]);
  if (!(await managesArchive(user))) redirect("/forbidden");
  return user;
}

const field = (f: Record<string, unknown>, k: string) => (typeof f[k] === "string" ? (f[k] as string) : "");

function refusal(e: unknown): never {
  if (e instanceof ArchiveError) redirect(`${PAGE}?error=${encodeURIComponent(t(`archive.err.${e.code}` as MessageKey))}`);
  throw e;
}

export async function restoreArchiveAction(form: FormData): Promise<void> {
  const user = await archiveAdmin();
  const f = formFields(form);
  try {
    await restoreMonth(field(f, "stream"), field(f, "month"), field(f, "reason"), { actorId: user.id, actorLogin: user.login });
  } catch (e) {
    refusal(e);
  }
  revalidatePath(PAGE);
  redirect(`${PAGE}?ok=restored`);
}

export async function releaseArchiveAction(form: FormData): Promise<void> {
  const user = await archiveAdmin();
  const f = formFields(form);
  try {
    await releaseMonth(field(f, "stream"), field(f, "month"), { actorId: user.id, actorLogin: user.login });
  } catch (e) {
    refusal(e);
  }
  revalidatePath(PAGE);
  redirect(`${PAGE}?ok=released`);
}

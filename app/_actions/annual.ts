"use server";
/**
 * Server action of the annual operation-status report: save the narratives
 * (経緯, 要綱等の整備状況, the reason a year had no external audit) of the
 * caller's prefecture for a fiscal year. The domain checks that the caller is
 * the prefecture's staff; the change goes to the audit trail.
 */
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { AnnualError, saveNarratives } from "../../domain/annual";
import { recordAudit } from "../../lib/audit/trail";
import { AuthError } from "../../lib/auth/principal";
import { requireUser } from "../../lib/auth/pages";
import { t, type MessageKey } from "../../lib/i18n";
import { formFields } from "./form";

const back = (fy: string, key: "ok" | "error", text: string) =>
  `/reports/annual?${new URLSearchParams({ ...(/^\d{4}$/.test(fy) ? { fiscalYear: fy } : {}), [key]: text }).toString()}`;

export async function saveAnnualTextAction(form: FormData): Promise<void> {
  const user = await requireUser(["admin", "monitor"]);
  const f = formFields(form);
  const fiscalYear = Number(f.fiscalYear);
  let result;
  try {
    if (!Number.isInteger(fiscalYear)) throw new AnnualError("badYear", `invalid fiscal year ${f.fiscalYear}`);
    result = await saveNarratives(user, {
      prefectureId: f.prefecture || undefined,
      fiscalYear,
      history: f.history,
      securityRules: f.securityRules,
      noAuditReason: f.noAuditReason,
    });
  } catch (e) {
    if (e instanceof AnnualError) redirect(back(f.fiscalYear ?? "", "error", `${t(`annual.error.${e.code}` as MessageKey)}（${e.message}）`));
    if (e instanceof AuthError) redirect("/forbidden");
    throw e;
  }
  await recordAudit({
    actorId: user.id,
    actorLogin: user.login,
    action: "annual_report_text_saved",
    organizationId: result.prefecture,
    target: result.prefecture,
    scope: [result.prefecture],
    details: { fiscalYear, changed: result.changed },
  });
  revalidatePath("/reports/annual");
  redirect(back(String(fiscalYear), "ok", t("annual.edit.saved")));
}

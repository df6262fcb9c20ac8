"use server";
/**
 * Resident disclosure from the console. The 住民票コード arrives in the body of
 * this POST (never in a URL or query string), is handed to disclosureFor and
 * dropped; the answer carries the rows only.
 */
import { DISCLOSURE_ROLES, DisclosureError, disclosureFor, type DisclosureRow } from "../../domain/statistics/disclosure";
import { AuthError } from "../../lib/auth/principal";
import { scopeOf } from "../../lib/auth/scope";
import { requireUser } from "../../lib/auth/pages";
import { t } from "../../lib/i18n";
import { jstMidnight } from "../../lib/calendar";
import { archivedPartOf, managesArchive, type ArchivedPart } from "../../domain/archive/restore";

const jstDayStart = (dateKey: string) => jstMidnight(dateKey);

export type DisclosureState =
  | { ok: true; from: string; to: string; rows: DisclosureRow[]; codeChanges: string[]; generatedAt: string; archived?: ArchivedPart; archiveAdmin?: boolean }
  | { ok: false; error: string }
  | undefined;

export async function disclosureAction(_previous: DisclosureState, form: FormData): Promise<DisclosureState> {
  const user = await requireUser(DISCLOSURE_ROLES);
  try {
    const scope = await scopeOf(user);
    const d = await disclosureFor(scope, {
      residentCode: String(form.get("residentCode") ?? ""),
      from: String(form.get("from") ?? ""),
      to: String(form.get("to") ?? ""),
      requestedBy: { id: user.id, login: user.login },
    });
    // Months of the period only in the archive (their provisions are not in the rows): said beside the result.
    const [archived, archiveAdmin] = await Promise.all([
      archivedPartOf("events", jstDayStart(d.from), new Date(jstDayStart(d.to).getTime() + 86_400_000)),
      managesArchive(user),
    ]);
    return { ok: true, from: d.from, to: d.to, rows: d.rows, codeChanges: d.codeChanges, generatedAt: d.generatedAt.toISOString(), archived, archiveAdmin };
  } catch (e) {
    if (e instanceof DisclosureError) return { ok: false, error: t(`disclosure.error.${e.code}`) };
    if (e instanceof AuthError) return { ok: false, error: t("forbidden.title") };
    throw e;
  }
}

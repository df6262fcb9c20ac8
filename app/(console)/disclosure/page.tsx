import { DisclosureForm } from "@/components/DisclosureForm";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { db } from "@/lib/db";
import { t } from "@/lib/i18n";
import { DISCLOSURE_ROLES } from "@/domain/statistics/disclosure";
import { dateKeyOf } from "@/domain/statistics/period";

export const dynamic = "force-dynamic";

/**
 * Resident disclosure (本人確認情報の提供状況の開示) for municipal officers and the
 * prefecture's staff. The lookup runs in a server action (app/_actions/disclosure.ts),
 * which records it in the audit trail.
 */
export default async function DisclosurePage() {
  const user = await requireUser(DISCLOSURE_ROLES);
  await pageScope(user);
  const org = await db().organization.findUnique({ where: { id: user.organizationId }, select: { name: true } });
  const now = Date.now();
  return (
    <>
      <div className="pagehead no-print">
        <h1>{t("disclosure.title")}</h1>
      </div>
      <DisclosureForm sender={org?.name ?? user.organizationId} defaultFrom={dateKeyOf(now - 365 * 86_400_000)} defaultTo={dateKeyOf(now)} />
    </>
  );
}

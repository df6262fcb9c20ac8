import { pageScope, requireUser } from "@/lib/auth/pages";
import { t } from "@/lib/i18n";
import { preferencesOf } from "@/domain/notifications/preferences";
import { PreferencesForm } from "./PreferencesForm";

export const dynamic = "force-dynamic";

/** The signed-in user's own notification preferences. */
export default async function NotificationPreferencesPage() {
  const user = await requireUser();
  // A user with no live scope (an auditor outside every access period) gets the forbidden page, as everywhere.
  await pageScope(user);
  const prefs = await preferencesOf(user.id);
  return (
    <>
      <div className="pagehead">
        <h1>{t("notify.prefs.title")}</h1>
      </div>
      <p>{t("notify.prefs.help")}</p>
      <PreferencesForm prefs={prefs} />
    </>
  );
}

import { MessagePage } from "@/components/ConsoleShell";
import { t } from "@/lib/i18n";

/** notFound() in a console page (an unknown alert, entity, assessment …): Japanese, inside the console layout. */
export default function ConsoleNotFound() {
  return <MessagePage testId="not-found" title={t("dashboard.notFound.title")} body={t("dashboard.notFound.body")} />;
}

import { OutsideConsole } from "@/components/OutsidePage";
import { MessagePage } from "@/components/ConsoleShell";
import { t } from "@/lib/i18n";

/** An address no page answers: the Japanese 404, with the console's header for a signed-in user. */
export default async function NotFound() {
  return (
    <OutsideConsole>
      <MessagePage testId="not-found" title={t("dashboard.notFound.title")} body={t("dashboard.notFound.body")} />
    </OutsideConsole>
  );
}

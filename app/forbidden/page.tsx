import { MessagePage } from "@/components/ConsoleShell";
import { OutsideConsole } from "@/components/OutsidePage";
import { t } from "@/lib/i18n";

/** The 403 page: public (a refused request lands here), with the console's header for a signed-in user. */
export default async function Forbidden() {
  return (
    <OutsideConsole>
      <MessagePage testId="forbidden" title={t("forbidden.title")} body={t("dashboard.forbidden.body")} />
    </OutsideConsole>
  );
}

import { jstMinuteLabel } from "@/lib/calendar";
import { t } from "@/lib/i18n";

/** The start and end of a period as two `datetime-local` inputs in JST wall-clock time (permits, maintenance windows). */
export function PeriodInputs({ start, end }: { start?: Date; end?: Date }) {
  const local = (d?: Date) => (d ? jstMinuteLabel(d).replace(" ", "T") : undefined);
  return (
    <>
      <label>
        {t("admin.start")}
        <input type="datetime-local" name="start" required defaultValue={local(start)} />
      </label>
      <label>
        {t("admin.end")}
        <input type="datetime-local" name="end" required defaultValue={local(end)} />
      </label>
    </>
  );
}

import { t, type MessageKey } from "@/lib/i18n";

/** The triage buttons and fields shared by the alert queue (bulk) and the alert detail; submitted inside a form bound to triageAction. */
export function TriageControls({ reopen = false }: { reopen?: boolean }) {
  return (
    <>
      <button name="action" value="acknowledge">
        {t("alert.acknowledge")}
      </button>
      <button name="action" value="assign">
        {t("alert.assignToMe")}
      </button>
      <label>
        {t("alert.disposition")}
        <select name="disposition" defaultValue="">
          <option value="">—</option>
          {["true_positive", "false_positive", "benign"].map((d) => (
            <option key={d} value={d}>
              {t(`disposition.${d}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("alert.note")}
        <input name="note" size={30} />
      </label>
      <button name="action" value="close">
        {t("alert.close")}
      </button>
      {reopen && (
        <button name="action" value="reopen">
          {t("alert.reopen")}
        </button>
      )}
    </>
  );
}

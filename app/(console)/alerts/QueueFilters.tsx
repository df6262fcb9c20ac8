/** The queue's filters: a GET form, so every filter lives in the URL (and in saved views). */
import type { ParsedQueue } from "@/domain/alerts";
import { t, type MessageKey } from "@/lib/i18n";

export function QueueFilters({ parsed, params, sizes }: { parsed: ParsedQueue; params: Record<string, string>; sizes: number[] }) {
  const { query, range, rules, organizations } = parsed;
  // A typed rule text that is not an id is kept in the field as typed.
  const ruleText = params.rule ?? "";
  const ruleIsId = rules.some((r) => r.id === ruleText);
  return (
    <form className="filters" method="get" aria-label={t("alert.filter")}>
      {range.key === "custom" ? (
        <>
          <input type="hidden" name="from" value={range.from} />
          <input type="hidden" name="to" value={range.to} />
        </>
      ) : (
        <input type="hidden" name="range" value={range.key} />
      )}
      <input type="hidden" name="sort" value={query.sort} />
      <input type="hidden" name="dir" value={query.dir} />
      <label>
        {t("col.status")}
        <select name="status" defaultValue={query.status ?? ""}>
          <option value="">{t("alert.all")}</option>
          {["open", "acknowledged", "closed"].map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("col.severity")}
        <select name="severity" defaultValue={query.severity ?? ""}>
          <option value="">{t("alert.all")}</option>
          {["critical", "high", "medium", "low"].map((s) => (
            <option key={s} value={s}>
              {t(`severity.${s}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("col.rule")}
        <select name="rule" defaultValue={ruleText}>
          <option value="">{t("alert.ruleAll")}</option>
          {!ruleIsId && ruleText && <option value={ruleText}>「{ruleText}」</option>}
          {rules.map((r) => (
            <option key={r.id} value={r.id} title={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("col.organization")}
        <select name="organization" defaultValue={query.organization ?? ""}>
          <option value="">{t("alert.orgAll")}</option>
          {organizations.map((o) => (
            <option key={o.id} value={o.id} title={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <input type="checkbox" name="mine" value="1" defaultChecked={parsed.mine} />
        {t("alert.assignedToMe")}
      </label>
      <label>
        {t("alert.pageSize")}
        <select name="size" defaultValue={String(query.size)}>
          {sizes.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">{t("alert.filter")}</button>
    </form>
  );
}

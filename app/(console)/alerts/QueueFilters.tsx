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
      <Choice
        name="status"
        label={t("col.status")}
        value={query.status}
        all={t("alert.all")}
        options={["open", "acknowledged", "closed"].map((s) => ({ value: s, label: t(`status.${s}` as MessageKey) }))}
      />
      <Choice
        name="severity"
        label={t("col.severity")}
        value={query.severity}
        all={t("alert.all")}
        options={["critical", "high", "medium", "low"].map((s) => ({ value: s, label: t(`severity.${s}` as MessageKey) }))}
      />
      <Choice
        name="rule"
        label={t("col.rule")}
        value={ruleText}
        all={t("alert.ruleAll")}
        options={[
          ...(!ruleIsId && ruleText ? [{ value: ruleText, label: `「${ruleText}」` }] : []),
          ...rules.map((r) => ({ value: r.id, label: r.name, title: r.id })),
        ]}
      />
      <Choice
        name="organization"
        label={t("col.organization")}
        value={query.organization}
        all={t("alert.orgAll")}
        options={organizations.map((o) => ({ value: o.id, label: o.name, title: o.id }))}
      />
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

/** A filter select: Japanese labels, the code on hover, "all" first. */
function Choice({
  name,
  label,
  value,
  all,
  options,
}: {
  name: string;
  label: string;
  value?: string;
  all: string;
  options: { value: string; label: string; title?: string }[];
}) {
  return (
    <label>
      {label}
      <select name={name} defaultValue={value ?? ""}>
        <option value="">{all}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value} title={o.title}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

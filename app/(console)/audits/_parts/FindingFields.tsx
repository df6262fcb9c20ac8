import { saveSearchAction } from "@/app/_actions/audits";
import { jstParts } from "@/lib/calendar";
import { formatJst, t, type MessageKey } from "@/lib/i18n";
import { GRADES, parseEvidence, type EvidenceChoices } from "@/domain/audits/workflow";

interface FindingText {
  title: string;
  grade: string;
  criterion: string;
  condition: string;
  cause: string;
  effect: string;
  recommendation: string;
  evidence: string;
}

/** The fields of a finding; its evidence is chosen from the municipality's alerts and saved searches (never typed links). */
export function FindingFields({ f, choices }: { f?: FindingText; choices: EvidenceChoices }) {
  const ev = f ? parseEvidence(f.evidence) : { alerts: [], searches: [] };
  // Values already cited that are not among today's choices (an alert outside the newest 200, a link stored before saved searches) stay selectable.
  const extraAlerts = ev.alerts.filter((a) => !choices.alerts.some((c) => c.id === a));
  const savedQueries = new Map(choices.searches.map((s) => [s.query, s.id]));
  const selectedSearches = ev.searches.map((q) => savedQueries.get(q) ?? q);
  const legacy = ev.searches.filter((q) => !savedQueries.has(q));
  return (
    <>
      <label>
        {t("audit.finding.title")}
        <input name="title" defaultValue={f?.title} required />
      </label>
      <label>
        {t("audit.finding.grade")}
        <select name="grade" defaultValue={f?.grade ?? "minor"}>
          {GRADES.map((g) => (
            <option key={g} value={g}>
              {t(`audit.grade.${g}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      {(["criterion", "condition", "cause", "effect", "recommendation"] as const).map((k) => (
        <label key={k}>
          {t(`audit.finding.${k}`)}
          <textarea name={k} defaultValue={f?.[k]} rows={2} required />
        </label>
      ))}
      <label>
        {t("audit.finding.alerts")}
        <select name="alerts" multiple size={Math.min(6, Math.max(2, choices.alerts.length + extraAlerts.length))} defaultValue={ev.alerts}>
          {choices.alerts.map((a) => (
            <option key={a.id} value={a.id}>
              {formatJst(a.start)} {a.rule}（{a.entity}）
            </option>
          ))}
          {extraAlerts.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </label>
      {choices.alerts.length === 0 && <p className="small">{t("audit.finding.noAlerts")}</p>}
      <label>
        {t("audit.finding.searches")}
        <select name="searches" multiple size={Math.min(6, Math.max(2, choices.searches.length + legacy.length))} defaultValue={selectedSearches}>
          {choices.searches.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
          {legacy.map((q) => (
            <option key={q} value={q}>
              {t("audit.finding.legacyLink")}：{q}
            </option>
          ))}
        </select>
      </label>
      <p className="small">{choices.searches.length === 0 ? t("audit.finding.noSearches") : t("audit.finding.choiceHint")}</p>
    </>
  );
}

/** The saved log searches of the municipality and the form that saves one (the link is built by the server from these fields). */
export function SavedSearches(props: {
  engagementId: string;
  organizationId: string;
  searches: EvidenceChoices["searches"];
  auditFrom: Date | null;
  auditTo: Date | null;
  canSave: boolean;
}) {
  const first = props.auditFrom ? jstParts(props.auditFrom).dateKey : undefined;
  const last = props.auditTo ? jstParts(props.auditTo.getTime() - 1).dateKey : undefined;
  return (
    <section>
      <h2>{t("audit.search.list")}</h2>
      {props.searches.length > 0 && (
        <ul>
          {props.searches.map((s) => (
            <li key={s.id}>
              <a href={s.query}>{s.name}</a>
            </li>
          ))}
        </ul>
      )}
      {props.canSave && (
        <details>
          <summary>{t("audit.search.title")}</summary>
          <form action={saveSearchAction} className="filters" aria-label={t("audit.search.title")}>
            <input type="hidden" name="engagementId" value={props.engagementId} />
            <input type="hidden" name="organizationId" value={props.organizationId} />
            <label>
              {t("audit.search.name")}
              <input name="name" required maxLength={200} />
            </label>
            <label>
              {t("audit.search.from")}
              <input type="date" name="from" min={first} max={last} defaultValue={first} required />
            </label>
            <label>
              {t("audit.search.to")}
              <input type="date" name="to" min={first} max={last} defaultValue={last} required />
            </label>
            <label>
              {t("audit.search.operator")}
              <input name="operator" maxLength={64} />
            </label>
            <label>
              {t("audit.search.terminal")}
              <input name="terminal" maxLength={64} />
            </label>
            <button type="submit">{t("audit.search.save")}</button>
            <span className="small">{t("audit.search.periodHint")}</span>
          </form>
        </details>
      )}
    </section>
  );
}

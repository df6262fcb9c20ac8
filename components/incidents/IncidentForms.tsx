/** Forms shared by the incident pages and the alert page: open an incident, send an investigation request. */
import { openIncidentAction, requestInvestigationAction } from "@/app/_actions/incidents";
import { KINDS } from "@/domain/incidents";
import { jstParts } from "@/lib/calendar";
import { t, type MessageKey } from "@/lib/i18n";

/** Opens an incident; from an alert the alert is linked and its organisation concerned. */
export function OpenIncidentForm({
  orgs,
  alertId,
  organization,
  back,
}: {
  orgs: { id: string; name: string }[];
  alertId?: string;
  organization?: string;
  back: string;
}) {
  return (
    <form action={openIncidentAction} className="card" aria-label={t(alertId ? "incident.createFromAlert" : "incident.new")}>
      <input type="hidden" name="back" value={back} />
      {alertId && <input type="hidden" name="alertIds" value={alertId} />}
      <p>
        <label>
          {t("incident.name")}
          <input name="title" required maxLength={200} size={40} />
        </label>
      </p>
      <p>
        <label>
          {t("incident.kind")}
          <select name="kind" defaultValue="misconduct">
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`incident.kind.${k}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          {t("incident.level")}
          <select name="level" defaultValue="2">
            {[1, 2, 3, 4].map((l) => (
              <option key={l} value={l}>
                {t("incident.levelN").replace("{n}", String(l))}
              </option>
            ))}
          </select>
        </label>{" "}
        {!alertId && (
          <label>
            {t("incident.primaryOrganization")}
            <select name="organization" defaultValue={organization}>
              {orgs.map((o) => (
                <option key={o.id} value={o.id} title={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </p>
      <p>
        <label>
          {t("incident.summary")}
          <textarea name="summary" rows={3} cols={60} maxLength={4000} />
        </label>
      </p>
      <p>
        <label>
          <input type="checkbox" name="exercise" value="1" /> {t("incident.exerciseFlag")}
        </label>
      </p>
      <button type="submit">{t("incident.create")}</button>
    </form>
  );
}

/** A due date a week ahead (JST) as the form's default. */
const weekAhead = () => jstParts(Date.now() + 7 * 86_400_000).dateKey;

/** 調査依頼 to one municipality about an alert and/or an incident. */
export function RequestInvestigationForm({
  orgs,
  alertId,
  incidentId,
  back,
}: {
  orgs: { id: string; name: string }[];
  alertId?: string;
  incidentId?: number;
  back: string;
}) {
  return (
    <form action={requestInvestigationAction} className="card" aria-label={t("investigation.request")}>
      <input type="hidden" name="back" value={back} />
      {alertId && <input type="hidden" name="alertId" value={alertId} />}
      {incidentId && <input type="hidden" name="incidentId" value={incidentId} />}
      <p>
        <label>
          {t("investigation.organization")}
          <select name="organization">
            {orgs.map((o) => (
              <option key={o.id} value={o.id} title={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          {t("investigation.due")}
          <input type="date" name="due" defaultValue={weekAhead()} required />
        </label>
      </p>
      <p>
        <label>
          {t("investigation.question")}
          <textarea name="question" rows={3} cols={60} maxLength={4000} required />
        </label>
      </p>
      <button type="submit">{t("investigation.request")}</button>
    </form>
  );
}

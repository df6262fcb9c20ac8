/**
 * Improvement plans (改善計画) of one checklist item on the assessment page:
 * the item's plans (its own and those carried from earlier rounds, overdue
 * ones marked), a status form on each while the assessment is editable, and
 * a form to add one to an item answered 未実施 or 一部実施. Server component:
 * plain forms posting to the server actions.
 */
import { addPlanAction, updatePlanAction } from "@/app/_actions/checklist-plans";
import { formatFiscalYear, formatJstDate, t } from "@/lib/i18n";

export interface PlanView {
  id: string;
  itemId: string;
  fiscalYear: number;
  measure: string;
  owner: string;
  dueDate: Date;
  status: "not_started" | "in_progress" | "done" | string;
  carried: boolean;
}

const STATUSES = ["not_started", "in_progress", "done"] as const;
const statusLabel = (s: string) => t(`checklist.plan.status.${(STATUSES as readonly string[]).includes(s) ? (s as (typeof STATUSES)[number]) : "not_started"}`);

export function ImprovementPlans(props: { assessmentId: string; itemId: string; plans: PlanView[]; canEdit: boolean; shortfall: boolean; now: Date }) {
  const { assessmentId, itemId, plans, canEdit, shortfall, now } = props;
  if (!plans.length && !(canEdit && shortfall)) return null;
  return (
    <div className="plans" data-testid={`plans-${itemId}`}>
      <span>{t("checklist.plan.title")}：</span>
      {plans.length === 0 && <span className="small">{t("checklist.plan.none")}</span>}
      <ul>
        {plans.map((p) => {
          const overdue = p.status !== "done" && p.dueDate.getTime() < now.getTime();
          return (
            <li key={p.id} data-plan={p.id} className={overdue ? "overdue" : undefined}>
              {p.carried && (
                <span className="pill">
                  {t("checklist.plan.carried")}（{formatFiscalYear(p.fiscalYear)}）
                </span>
              )}{" "}
              {p.measure}／{t("checklist.plan.owner")}：{p.owner}／{t("checklist.plan.due")}：{formatJstDate(p.dueDate)}／{t("checklist.plan.status")}：
              <strong data-testid="plan-status">{statusLabel(p.status)}</strong>
              {overdue && <span className="pill status-returned"> {t("checklist.plan.overdue")}</span>}
              {canEdit && (
                <form action={updatePlanAction} className="inline">
                  <input type="hidden" name="assessmentId" value={assessmentId} />
                  <input type="hidden" name="planId" value={p.id} />
                  <select name="status" defaultValue={p.status} aria-label={`${itemId} ${t("checklist.plan.status")}`}>
                    {STATUSES.map((s) => (
                      <option key={s} value={s}>
                        {statusLabel(s)}
                      </option>
                    ))}
                  </select>
                  <button type="submit">{t("checklist.plan.save")}</button>
                </form>
              )}
            </li>
          );
        })}
      </ul>
      {canEdit && shortfall && (
        <form action={addPlanAction} className="inline plan-add">
          <input type="hidden" name="assessmentId" value={assessmentId} />
          <input type="hidden" name="itemId" value={itemId} />
          <label>
            {t("checklist.plan.measure")} <input name="measure" required maxLength={500} />
          </label>
          <label>
            {t("checklist.plan.owner")} <input name="owner" required maxLength={500} />
          </label>
          <label>
            {t("checklist.plan.due")} <input type="date" name="dueDate" required />
          </label>
          <button type="submit">{t("checklist.plan.add")}</button>
        </form>
      )}
    </div>
  );
}

import Link from "@/components/Link";
import { reviewScheduleAction } from "@/app/_actions/reviews";
import { Flash } from "@/components/incidents/Flash";
import { ensureReviewTasks, listReviews, periodLabel, type ReviewFilter } from "@/domain/reviews";
import { organizationsInScope } from "@/domain/registry/organizations";
import { recordAudit } from "@/lib/audit/trail";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { fiscalYear as fiscalYearOf } from "@/lib/calendar";
import { db } from "@/lib/db";
import { formatFiscalYear, formatJst, t, type MessageKey } from "@/lib/i18n";

export const dynamic = "force-dynamic";

/** Log reviews in scope by organisation and period, overdue first; filters; the schedule of one organisation for its admins. */
export default async function ReviewsPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser();
  const sp = await searchParams;
  const organization = /^\d{6}$/.test(sp.organization ?? "") ? sp.organization : undefined;
  const scope = await pageScope(user, organization);
  const now = new Date();
  // Tasks are made by the detection worker's pass; opening the list makes any missing ones too (idempotent).
  await ensureReviewTasks(scope, now);
  const fy = /^\d{4}$/.test(sp.fiscalYear ?? "") ? Number(sp.fiscalYear) : undefined;
  const filter: ReviewFilter = { organization, status: sp.status || undefined, overdue: sp.overdue === "1", fiscalYear: fy };
  const [rows, organizations] = await Promise.all([listReviews(scope, filter, now), organizationsInScope(scope)]);
  const names = new Map(organizations.map((o) => [o.id, o.name]));
  await recordAudit({ actorId: user.id, actorLogin: user.login, action: "review_list_view", scope: scope.recorded, details: { ...filter } });
  // Admins set the schedule of the organisation chosen (else their own).
  const scheduleOrg = user.role === "admin" ? (organization ?? user.organizationId) : undefined;
  const schedule = scheduleOrg
    ? await db().logReviewSchedule.findFirst({ where: { AND: [{ organizationId: scheduleOrg }, scope.where("organizationId")] } })
    : null;
  const thisYear = fiscalYearOf(now);
  return (
    <>
      <div className="pagehead">
        <h1>{t("reviews.title")}</h1>
        <span>
          {rows.length.toLocaleString("ja-JP")} {t("alert.total")}
        </span>
      </div>
      <Flash ok={sp.ok} error={sp.error} />
      <p className="muted">{t("reviews.intro")}</p>
      <form method="get" className="filters" aria-label={t("reviews.filter")}>
        <label>
          {t("reviews.organization")}{" "}
          <select name="organization" defaultValue={organization ?? ""}>
            <option value="">{t("reviews.filter.all")}</option>
            {organizations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          {t("reviews.status")}{" "}
          <select name="status" defaultValue={sp.status ?? ""}>
            <option value="">{t("reviews.filter.all")}</option>
            {(["draft", "done", "signed_off"] as const).map((s) => (
              <option key={s} value={s}>
                {t(`reviews.status.${s}`)}
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          {t("reviews.filter.fiscalYear")}{" "}
          <select name="fiscalYear" defaultValue={fy ? String(fy) : ""}>
            <option value="">{t("reviews.filter.all")}</option>
            {[thisYear, thisYear - 1, thisYear - 2].map((y) => (
              <option key={y} value={y}>
                {formatFiscalYear(y)}
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          <input type="checkbox" name="overdue" value="1" defaultChecked={filter.overdue} /> {t("reviews.filter.overdue")}
        </label>{" "}
        <button type="submit">{t("reviews.filter.apply")}</button>
      </form>
      {rows.length === 0 ? (
        <p>{t("reviews.none")}</p>
      ) : (
        <table data-testid="review-list">
          <thead>
            <tr>
              <th>{t("reviews.organization")}</th>
              <th>{t("reviews.period")}</th>
              <th>{t("reviews.due")}</th>
              <th>{t("reviews.status")}</th>
              <th>{t("reviews.outcome")}</th>
              <th>{t("reviews.reviewer")}</th>
              <th>{t("reviews.signedOffBy")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className={r.overdue ? "warn" : undefined} data-overdue={r.overdue ? "1" : undefined}>
                <td title={r.organizationId}>{names.get(r.organizationId) ?? r.organizationId}</td>
                <td>
                  <Link href={`/reviews/${r.id}`}>{periodLabel(r.periodStart, r.periodEnd)}</Link>
                </td>
                <td>
                  {formatJst(r.dueAt)}
                  {r.overdue && <strong> {t("reviews.overdue")}</strong>}
                </td>
                <td>{t(`reviews.status.${r.status}` as MessageKey)}</td>
                <td>{r.status !== "draft" && r.outcome ? t(`reviews.outcome.${r.outcome}` as MessageKey) : "—"}</td>
                <td>{r.reviewerName ?? "—"}</td>
                <td>{r.signedOffByName ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {scheduleOrg && (
        <section>
          <h2>
            {t("reviews.schedule")}（{names.get(scheduleOrg) ?? scheduleOrg}）
          </h2>
          <p className="muted">
            {schedule
              ? `${t(`reviews.frequency.${schedule.frequency}` as MessageKey)}・${t("reviews.dueDays")}：${schedule.dueDays}`
              : t("reviews.scheduleNone")}
          </p>
          <form action={reviewScheduleAction} className="card" aria-label={t("reviews.schedule")}>
            <input type="hidden" name="organization" value={scheduleOrg} />
            <label>
              {t("reviews.frequency")}{" "}
              <select name="frequency" defaultValue={schedule?.frequency ?? "monthly"}>
                <option value="monthly">{t("reviews.frequency.monthly")}</option>
                <option value="quarterly">{t("reviews.frequency.quarterly")}</option>
              </select>
            </label>{" "}
            <label>
              {t("reviews.dueDays")} <input type="number" name="dueDays" min={0} max={60} defaultValue={schedule?.dueDays ?? 10} required />
            </label>{" "}
            <button type="submit">{t("reviews.scheduleSave")}</button>
            <p className="muted">{t("reviews.scheduleHelp")}</p>
          </form>
        </section>
      )}
    </>
  );
}

import Link from "@/components/Link";
import { notFound } from "next/navigation";
import { updateReviewAction } from "@/app/_actions/reviews";
import { ConfirmButton } from "@/components/ConfirmButton";
import { Flash } from "@/components/incidents/Flash";
import { CHECKS, getReview, periodLabel, reviewMaterial, ReviewError, type Counted } from "@/domain/reviews";
import { recordAudit } from "@/lib/audit/trail";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { db } from "@/lib/db";
import { eventActionLabel, formatJst, labelOr, t, type MessageKey } from "@/lib/i18n";

export const dynamic = "force-dynamic";

function CountTable({ rows, head, label, testId }: { rows: Counted[]; head: MessageKey; label?: (k: string) => string; testId: string }) {
  return (
    <table data-testid={testId}>
      <thead>
        <tr>
          <th>{t(head)}</th>
          <th className="num">{t("reviews.events")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <td>{label ? label(r.key) : r.key}</td>
            <td className="num">{r.count.toLocaleString("ja-JP")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One review: what to look at for its period (read through the scope), the record, and the sign-off by a second person. */
export default async function ReviewPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser();
  const { id } = await params;
  const sp = await searchParams;
  // A caller without a live scope (an auditor outside every access period) gets the forbidden page, as on every page.
  await pageScope(user);
  let got;
  try {
    got = await getReview(user, /^[a-z0-9]{1,40}$/.test(id) ? id : "");
  } catch (e) {
    if (e instanceof ReviewError && e.code === "not_found") notFound();
    throw e;
  }
  const { review: r, access, scope } = got;
  const [org, m] = await Promise.all([db().organization.findUnique({ where: { id: r.organizationId }, select: { name: true } }), reviewMaterial(scope, r)]);
  await recordAudit({ actorId: user.id, actorLogin: user.login, action: "review_view", target: r.id, organizationId: r.organizationId });
  const editable = access.edit && r.status === "draft";
  const operatorLink = (op: string) =>
    `/events?organization=${r.organizationId}&operator=${encodeURIComponent(op)}&from=${encodeURIComponent(m.from)}&to=${encodeURIComponent(m.to)}`;
  return (
    <>
      <div className="pagehead">
        <h1>
          {t("reviews.review")}　{org?.name ?? r.organizationId}　{periodLabel(r.periodStart, r.periodEnd)}
        </h1>
        <span className="pill" data-testid="review-status">
          {t(`reviews.status.${r.status}` as MessageKey)}
        </span>
        {r.overdue && <strong className="error">{t("reviews.overdue")}</strong>}
        <Link className="pill" href="/reviews">
          {t("reviews.back")}
        </Link>
      </div>
      <Flash ok={sp.ok} error={sp.error} />
      <dl className="facts">
        <dt>{t("reviews.organization")}</dt>
        <dd title={r.organizationId}>{org?.name ?? r.organizationId}</dd>
        <dt>{t("reviews.period")}</dt>
        <dd>
          {formatJst(r.periodStart)} – {formatJst(r.periodEnd)}
        </dd>
        <dt>{t("reviews.due")}</dt>
        <dd>{formatJst(r.dueAt)}</dd>
        <dt>{t("reviews.totalEvents")}</dt>
        <dd>
          <Link href={m.links.events}>{m.events.toLocaleString("ja-JP")}</Link>（{t("reviews.operatorEvents")} {m.operatorEvents.toLocaleString("ja-JP")}）
        </dd>
      </dl>

      <h2>{t("reviews.material")}</h2>
      <section>
        <h3>{t("reviews.alerts")}</h3>
        <p>
          {m.alerts.byStatus.map((s) => `${labelOr(`status.${s.key}`, s.key)} ${s.count}`).join("・") || t("reviews.alertsNone")}{" "}
          <Link href={m.links.alerts}>{t("reviews.alertsMore")}</Link>
        </p>
        {m.alerts.rows.length > 0 && (
          <table data-testid="review-alerts">
            <thead>
              <tr>
                <th>{t("reviews.time")}</th>
                <th>{t("col.rule")}</th>
                <th>{t("col.severity")}</th>
                <th>{t("reviews.status")}</th>
              </tr>
            </thead>
            <tbody>
              {m.alerts.rows.map((a) => (
                <tr key={a.id}>
                  <td>{formatJst(a.start)}</td>
                  <td>
                    <Link href={`/alerts/${encodeURIComponent(a.id)}`}>{a.ruleName}</Link>
                  </td>
                  <td>{labelOr(`severity.${a.severity}`, a.severity)}</td>
                  <td>{labelOr(`status.${a.status}`, a.status)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section>
        <h3>{t("reviews.afterHours")}</h3>
        <p data-testid="review-after-hours">
          {t("reviews.afterHoursEvents")}：{m.afterHours.events.toLocaleString("ja-JP")} <Link href={m.afterHours.href}>{t("reviews.afterHoursAlerts")}</Link>
        </p>
        {m.afterHours.operators.length > 0 && <CountTable rows={m.afterHours.operators} head="reviews.operator" testId="review-after-hours-operators" />}
      </section>
      <div className="grid">
        <section>
          <h3>{t("reviews.topOperators")}</h3>
          <table data-testid="review-top-operators">
            <thead>
              <tr>
                <th>{t("reviews.operator")}</th>
                <th className="num">{t("reviews.events")}</th>
              </tr>
            </thead>
            <tbody>
              {m.topOperators.map((o) => (
                <tr key={o.key}>
                  <td>
                    <Link href={operatorLink(o.key)}>{o.key}</Link>
                  </td>
                  <td className="num">{o.count.toLocaleString("ja-JP")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section>
          <h3>{t("reviews.topTerminals")}</h3>
          <CountTable rows={m.topTerminals} head="reviews.terminal" testId="review-top-terminals" />
        </section>
      </div>
      <section>
        <h3>{t("reviews.sample")}</h3>
        <p className="muted">{t("reviews.sampleHelp")}</p>
        {m.sample.length === 0 ? (
          <p>{t("reviews.sampleNone")}</p>
        ) : (
          <table data-testid="review-sample">
            <thead>
              <tr>
                <th>{t("reviews.time")}</th>
                <th>{t("reviews.action")}</th>
                <th>{t("reviews.operator")}</th>
                <th>{t("reviews.terminal")}</th>
                <th>{t("reviews.purpose")}</th>
                <th aria-hidden />
              </tr>
            </thead>
            <tbody>
              {m.sample.map((e) => (
                <tr key={e.id} data-event-id={e.id}>
                  <td>{formatJst(e.timestamp)}</td>
                  <td>{eventActionLabel(e.action)}</td>
                  <td>{e.operator ?? "—"}</td>
                  <td>{e.terminal ?? "—"}</td>
                  <td>{e.item ?? e.schedule ?? "—"}</td>
                  <td>
                    <Link href={e.href}>{t("reviews.sampleOpen")}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section>
        <h3>{t("reviews.system")}</h3>
        {m.system.events === 0 ? (
          <p>{t("reviews.systemNone")}</p>
        ) : (
          <>
            <p data-testid="review-system">
              {t("reviews.systemEvents")}：{m.system.events.toLocaleString("ja-JP")}
            </p>
            <div className="grid">
              <CountTable rows={m.system.byAction} head="reviews.byAction" label={eventActionLabel} testId="review-system-actions" />
              <CountTable rows={m.system.byNode} head="reviews.byNode" testId="review-system-nodes" />
            </div>
          </>
        )}
      </section>

      <h2>{t("reviews.record")}</h2>
      {editable ? (
        <form action={updateReviewAction} className="card" aria-label={t("reviews.record")}>
          <input type="hidden" name="reviewId" value={r.id} />
          <fieldset>
            <legend>{t("reviews.checks")}</legend>
            {CHECKS.map((c) => (
              <p key={c}>
                <label>
                  <input type="checkbox" name="checks" value={c} defaultChecked={r.checks.includes(c)} /> {t(`reviews.check.${c}`)}
                </label>
              </p>
            ))}
          </fieldset>
          <p>
            <label>
              {t("reviews.findings")}
              <textarea name="findings" rows={4} cols={70} maxLength={4000} defaultValue={r.findings} />
            </label>
          </p>
          <fieldset>
            <legend>{t("reviews.outcome")}</legend>
            {(["ok", "action_required"] as const).map((o) => (
              <label key={o}>
                <input type="radio" name="outcome" value={o} defaultChecked={r.outcome === o} /> {t(`reviews.outcome.${o}`)}{" "}
              </label>
            ))}
          </fieldset>
          <p>
            <label>
              {t("reviews.followUp")}
              <textarea name="followUp" rows={2} cols={70} maxLength={4000} defaultValue={r.followUp} />
            </label>
          </p>
          <button type="submit" name="op" value="save">
            {t("reviews.save")}
          </button>{" "}
          <ConfirmButton name="op" value="complete" message={t("reviews.completeConfirm")}>
            {t("reviews.complete")}
          </ConfirmButton>
        </form>
      ) : (
        <dl className="facts" data-testid="review-record">
          <dt>{t("reviews.checks")}</dt>
          <dd>
            {r.checks.length ? (
              <ul>
                {r.checks.map((c) => (
                  <li key={c}>{t(`reviews.check.${c}`)}</li>
                ))}
              </ul>
            ) : (
              "—"
            )}
          </dd>
          <dt>{t("reviews.findings")}</dt>
          <dd>{r.findings || "—"}</dd>
          <dt>{t("reviews.outcome")}</dt>
          <dd data-testid="review-outcome">{r.outcome ? t(`reviews.outcome.${r.outcome}` as MessageKey) : t("reviews.outcomeNone")}</dd>
          <dt>{t("reviews.followUp")}</dt>
          <dd>{r.followUp || "—"}</dd>
        </dl>
      )}
      <dl className="facts">
        <dt>{t("reviews.reviewer")}</dt>
        <dd data-testid="review-reviewer">{r.reviewerName ?? "—"}</dd>
        <dt>{t("reviews.doneAt")}</dt>
        <dd>{r.doneAt ? formatJst(r.doneAt) : "—"}</dd>
        <dt>{t("reviews.signedOffBy")}</dt>
        <dd data-testid="review-signer">{r.signedOffByName ?? "—"}</dd>
        <dt>{t("reviews.signedOffAt")}</dt>
        <dd>{r.signedOffAt ? formatJst(r.signedOffAt) : "—"}</dd>
        {r.signOffComment && (
          <>
            <dt>{t("reviews.signOffComment")}</dt>
            <dd>{r.signOffComment}</dd>
          </>
        )}
      </dl>
      {r.status === "done" && (access.signOff || access.edit) && (
        <form action={updateReviewAction} className="card" aria-label={t("reviews.signOff")}>
          <input type="hidden" name="reviewId" value={r.id} />
          <p className="muted">{t("reviews.signOffHelp")}</p>
          <p>
            <label>
              {t("reviews.signOffComment")}
              <textarea name="comment" rows={2} cols={70} maxLength={4000} />
            </label>
          </p>
          {access.signOff && (
            <ConfirmButton name="op" value="signoff" message={t("reviews.signOffConfirm")}>
              {t("reviews.signOffAction")}
            </ConfirmButton>
          )}{" "}
          <button type="submit" name="op" value="reopen">
            {t("reviews.reopen")}
          </button>
        </form>
      )}
      {!editable && !(r.status === "done" && (access.signOff || access.edit)) && r.status !== "signed_off" && <p className="muted">{t("reviews.readOnly")}</p>}
    </>
  );
}

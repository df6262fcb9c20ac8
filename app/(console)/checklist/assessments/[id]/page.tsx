import Link from "@/components/Link";
import { redirect } from "next/navigation";
import { ChecklistAnswer, ReviewComment } from "@/components/ChecklistItem";
import { ChecklistNav, ChecklistProvider, ItemFrame, SectionFrame } from "@/components/checklist/ChecklistNav";
import "@/components/checklist/checklist.css";
import { acceptAction, adoptPreviousAction, removeEvidenceAction, returnAction, submitAction } from "@/app/_actions/checklist";
import { recordAudit } from "@/lib/audit/trail";
import { AuthError } from "@/lib/auth/principal";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { db } from "@/lib/db";
import { formatFiscalYear, formatJst, formatJstDate, t, type MessageKey } from "@/lib/i18n";
import { suggestionsFor } from "@/domain/checklist/suggestions";
import type { Answer } from "@/domain/checklist/template";
import { getAssessment } from "@/domain/checklist/workflow";
import { plansOfAssessment, PLAN_ANSWERS } from "@/domain/checklist/plans";
import { ImprovementPlans } from "@/components/checklist/ImprovementPlans";

/** One municipality's self-inspection: answers (autosaved), evidence, review, history. */
export default async function AssessmentPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser();
  const { id } = await params;
  const query = await searchParams;
  const actor = user;
  let a: Awaited<ReturnType<typeof getAssessment>>;
  try {
    a = await getAssessment(actor, id);
  } catch (e) {
    if (e instanceof AuthError) redirect("/forbidden");
    throw e;
  }
  const scope = await pageScope(user, a.organizationId);
  await recordAudit({ actorId: user.id, actorLogin: user.login, action: "checklist_view", target: id, organizationId: a.organizationId });
  const [org, suggestions] = await Promise.all([
    db().organization.findUnique({ where: { id: a.organizationId }, select: { name: true } }),
    // Suggestions are a help: when Elasticsearch is unreachable the checklist still works without them.
    suggestionsFor(scope, a.organizationId, a.round.fiscalYear).catch(() => undefined),
  ]);
  // Improvement plans (issue 18): this assessment's and those carried from earlier rounds, by item.
  const plans = await plansOfAssessment(actor, id);
  const plansByItem = new Map<string, typeof plans>();
  for (const p of plans) plansByItem.set(p.itemId, [...(plansByItem.get(p.itemId) ?? []), p]);
  const now = new Date();
  const answers = new Map(a.answers.map((x) => [x.itemId, x]));
  const evidence = new Map<string, typeof a.evidence>();
  for (const e of a.evidence) evidence.set(e.itemId, [...(evidence.get(e.itemId) ?? []), e]);
  const items = a.template.sections.flatMap((s) => s.items);
  const answered = items.filter((i) => answers.get(i.id)?.answer).length;
  const hasPrevious = a.answers.some((x) => x.previousAnswer && !x.answer);
  const status = (s: string) => t(`checklist.status.${s}` as MessageKey);
  return (
    <>
      <div className="pagehead">
        <h1>
          {org?.name} {formatFiscalYear(a.round.fiscalYear)} {t("checklist.title")}
        </h1>
        <span className={`pill status-${a.status}`} data-testid="assessment-status">
          {status(a.status)}
        </span>
        <a className="button" href={`/api/checklist/assessments/${a.id}/export?format=pdf`}>
          {t("checklist.download.pdf")}
        </a>
        <a className="button" href={`/api/checklist/assessments/${a.id}/export?format=xlsx`}>
          {t("checklist.download.xlsx")}
        </a>
      </div>
      {query.error && (
        <p role="alert" className="error">
          {query.error}
        </p>
      )}
      <section>
        <dl className="facts">
          <dt>{t("checklist.col.template")}</dt>
          <dd>
            {a.template.title}（{a.template.version}）
          </dd>
          <dt>{t("checklist.col.deadline")}</dt>
          <dd>{formatJstDate(a.round.deadline)}</dd>
          <dt>{t("checklist.answered")}</dt>
          <dd data-testid="answered">
            {answered} / {items.length}
          </dd>
          {a.submittedAt && (
            <>
              <dt>{t("checklist.doc.submittedAt")}</dt>
              <dd>{formatJst(a.submittedAt)}</dd>
            </>
          )}
          {a.returnedAt && (
            <>
              <dt>{t("checklist.doc.returnedAt")}</dt>
              <dd>{formatJst(a.returnedAt)}</dd>
            </>
          )}
          {a.acceptedAt && (
            <>
              <dt>{t("checklist.doc.acceptedAt")}</dt>
              <dd>{formatJst(a.acceptedAt)}</dd>
            </>
          )}
        </dl>
        {a.status === "accepted" && <p className="ok">{t("checklist.locked")}</p>}
        {a.status === "returned" && <p className="error">{t("checklist.returnedNote")}</p>}
        {(a.status === "submitted" || a.status === "resubmitted") && !a.canReview && <p>{t("checklist.waiting")}</p>}
        <div className="triage">
          {a.canEdit && hasPrevious && (
            <form action={adoptPreviousAction}>
              <input type="hidden" name="assessmentId" value={a.id} />
              <button type="submit">{t("checklist.adoptPrevious")}</button>
            </form>
          )}
          {a.canEdit && (
            <form action={submitAction}>
              <input type="hidden" name="assessmentId" value={a.id} />
              <button type="submit">{a.status === "returned" ? t("checklist.resubmit") : t("checklist.submit")}</button>
            </form>
          )}
          {a.canReview && (
            <>
              <form action={returnAction}>
                <input type="hidden" name="assessmentId" value={a.id} />
                <button type="submit">{t("checklist.return")}</button>
              </form>
              <form action={acceptAction}>
                <input type="hidden" name="assessmentId" value={a.id} />
                <button type="submit">{t("checklist.accept")}</button>
              </form>
            </>
          )}
        </div>
      </section>
      <ChecklistProvider initial={Object.fromEntries(items.map((i) => [i.id, (answers.get(i.id)?.answer as Answer) ?? null]))}>
        <div className="checklist-layout">
          <ChecklistNav sections={a.template.sections.map((s) => ({ id: s.id, title: s.title, items: s.items.map((i) => i.id) }))} />
          <div>
            {a.template.sections.map((s) => (
              <SectionFrame key={s.id} items={s.items.map((i) => i.id)}>
                <section id={`section-${s.id}`} className="checklist-section">
                  <h2>
                    {s.id} {s.title}
                  </h2>
                  {s.items.map((item) => {
                    const x = answers.get(item.id);
                    const files = evidence.get(item.id) ?? [];
                    const figures = [
                      ...item.signals.map((sig) => ({ key: sig, label: t(`checklist.signal.${sig}` as MessageKey), f: suggestions?.signals[sig] })),
                      ...item.rules.map((r) => ({
                        key: r,
                        label: `${t("checklist.rule")}「${suggestions?.rules[r]?.name ?? r}」`,
                        f:
                          suggestions?.rules[r] ??
                          (suggestions
                            ? {
                                value: 0,
                                href: `/alerts?organization=${a.organizationId}&rule=${r}&from=${encodeURIComponent(suggestions.from)}&to=${encodeURIComponent(suggestions.to)}`,
                              }
                            : undefined),
                      })),
                    ].filter((g) => g.f);
                    return (
                      <ItemFrame key={item.id} itemId={item.id}>
                        <article id={`item-${item.id}`} className="checklist-item" data-item={item.id}>
                          <h3>
                            <span className="mono">{item.id}</span> {item.text}
                          </h3>
                          <details>
                            <summary>{t("checklist.guidance")}</summary>
                            <p>{item.guidance}</p>
                            <p>
                              {t("checklist.evidenceExpected")}：{item.evidence.join("、")}
                            </p>
                            {item.controls.length > 0 && (
                              <p className="small">
                                {t("checklist.controls")}：{item.controls.join("、")}
                              </p>
                            )}
                          </details>
                          {figures.length > 0 && (
                            <p className="suggestion" title={t("checklist.fromLogsNote")}>
                              {t("checklist.fromLogs")}：
                              {figures.map((g) => (
                                <Link key={g.key} href={g.f!.href} className="figure">
                                  {g.label} {g.f!.value.toLocaleString("ja-JP")}
                                  {g.f!.of !== undefined ? ` / ${g.f!.of.toLocaleString("ja-JP")}` : ""}
                                </Link>
                              ))}
                            </p>
                          )}
                          {x?.previousAnswer && (
                            <p className="small previous">
                              {t("checklist.previous")}：{t(`checklist.answer.${x.previousAnswer}` as MessageKey)}
                              {x.previousComment ? `（${x.previousComment}）` : ""}
                            </p>
                          )}
                          <ChecklistAnswer
                            key={`${x?.answer}|${x?.updatedAt?.getTime()}`}
                            assessmentId={a.id}
                            itemId={item.id}
                            allowNotApplicable={item.allowNotApplicable}
                            answer={(x?.answer as Answer) ?? null}
                            comment={x?.comment ?? null}
                            canEdit={a.canEdit}
                          />
                          <ReviewComment
                            key={x?.reviewComment ?? ""}
                            assessmentId={a.id}
                            itemId={item.id}
                            text={x?.reviewComment ?? null}
                            canReview={a.canReview}
                          />
                          <ImprovementPlans
                            assessmentId={a.id}
                            itemId={item.id}
                            plans={plansByItem.get(item.id) ?? []}
                            canEdit={a.canEdit}
                            shortfall={(PLAN_ANSWERS as readonly (string | null | undefined)[]).includes(x?.answer)}
                            now={now}
                          />
                          <div className="evidence">
                            <span>{t("checklist.evidence")}：</span>
                            {files.map((f) => (
                              <span key={f.id} className="file">
                                <a href={`/api/checklist/evidence/${f.id}`}>{f.fileName}</a> <span className="small mono">sha256 {f.sha256.slice(0, 12)}…</span>
                                {a.canEdit && (
                                  <form action={removeEvidenceAction} className="inline">
                                    <input type="hidden" name="assessmentId" value={a.id} />
                                    <input type="hidden" name="evidenceId" value={f.id} />
                                    <button type="submit" className="link">
                                      {t("checklist.remove")}
                                    </button>
                                  </form>
                                )}
                              </span>
                            ))}
                            {a.canEdit && (
                              <form
                                method="post"
                                action={`/api/checklist/assessments/${a.id}/evidence`}
                                encType="multipart/form-data"
                                className="inline upload"
                              >
                                <input type="hidden" name="itemId" value={item.id} />
                                <input
                                  type="file"
                                  name="file"
                                  aria-label={`${item.id} ${t("checklist.evidence")}`}
                                  accept=".pdf,.png,.jpg,.jpeg,.xlsx,.docx,.csv,.txt"
                                  required
                                />
                                <button type="submit">{t("checklist.upload")}</button>
                                <span className="small">{t("checklist.evidenceLimits")}</span>
                              </form>
                            )}
                          </div>
                        </article>
                      </ItemFrame>
                    );
                  })}
                </section>
              </SectionFrame>
            ))}
          </div>
        </div>
      </ChecklistProvider>
      <section>
        <details>
          <summary>{t("checklist.history")}</summary>
          <table>
            <thead>
              <tr>
                <th>{t("checklist.history.at")}</th>
                <th>{t("checklist.history.who")}</th>
                <th>{t("checklist.history.action")}</th>
                <th>{t("checklist.history.item")}</th>
                <th>{t("checklist.history.change")}</th>
              </tr>
            </thead>
            <tbody>
              {a.history.map((h) => (
                <tr key={h.id}>
                  <td>{formatJst(h.at)}</td>
                  <td>{h.actorLogin}</td>
                  <td>{t(`checklist.action.${h.action}` as MessageKey)}</td>
                  <td className="mono">{h.itemId}</td>
                  <td>
                    {h.before ?? "—"} → {h.after ?? "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </section>
    </>
  );
}

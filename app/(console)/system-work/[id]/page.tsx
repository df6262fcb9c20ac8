import Link from "@/components/Link";
import { notFound, redirect } from "next/navigation";
import { confirmReleaseAction, releaseLinkControlAction, setLinkControlAction, updateSystemWorkAction } from "@/app/_actions/system-work";
import { Flash } from "@/components/incidents/Flash";
import { getSystemWork } from "@/domain/systemwork/records";
import { PURPOSES, releaseBlockers, slippage } from "@/domain/systemwork/slippage";
import { recordAudit } from "@/lib/audit/trail";
import { AuthError } from "@/lib/auth/principal";
import { requireUser } from "@/lib/auth/pages";
import { JST_OFFSET_MS } from "@/lib/calendar";
import { db } from "@/lib/db";
import { formatJst, t, type MessageKey } from "@/lib/i18n";

export const dynamic = "force-dynamic";

/** A `datetime-local` value (JST wall clock) of an instant. */
const local = (v: string | Date | null) => (v ? new Date(new Date(v).getTime() + JST_OFFSET_MS).toISOString().slice(0, 16) : "");

function slipText(s: { daysLate: number | null; overdue: boolean; plannedAt: string | null }): string {
  if (s.daysLate === null) return "—";
  if (s.overdue) return t("systemWork.overdue").replace("{n}", String(s.daysLate));
  if (s.daysLate > 0) return t("systemWork.daysLate").replace("{n}", String(s.daysLate));
  if (s.daysLate < 0) return t("systemWork.daysEarly").replace("{n}", String(-s.daysLate));
  return t("systemWork.onTime");
}

/** One system-work record: schedule with slippage, link control set/released, the two confirmations release requires. */
export default async function SystemWorkPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser(["admin", "monitor", "municipal_officer"]);
  const { id } = await params;
  const sp = await searchParams;
  let w: Awaited<ReturnType<typeof getSystemWork>>;
  try {
    w = await getSystemWork(user, id);
  } catch (e) {
    if (e instanceof AuthError && e.status === 404) notFound();
    if (e instanceof AuthError) redirect("/forbidden");
    throw e;
  }
  await recordAudit({ actorId: user.id, actorLogin: user.login, action: "system_work_view", target: id, organizationId: w.organizationId });
  const org = await db().organization.findUnique({ where: { id: w.organizationId }, select: { name: true } });
  const steps = slippage(w.stepList, new Date());
  const blockers = releaseBlockers(w);
  const state = w.linkControlReleasedAt ? "released" : w.linkControlSetAt ? "set" : "planned";
  const editable = w.canEdit;
  const open = editable && state === "set";
  const confirmation = (label: MessageKey, at: Date | null, by: string | null, kind: string) => (
    <tr data-testid={`confirm-${kind}`}>
      <th>{t(label)}</th>
      <td>{at && by ? t("systemWork.confirmedBy").replace("{name}", by).replace("{at}", formatJst(at)) : <strong>{t("systemWork.notConfirmed")}</strong>}</td>
      <td>
        {open && !at && (
          <form action={confirmReleaseAction} className="inline">
            <input type="hidden" name="id" value={w.id} />
            <input type="hidden" name="kind" value={kind} />
            <input name="by" required maxLength={200} aria-label={`${t(label)} ${t("systemWork.by")}`} placeholder={t("systemWork.by")} />
            <input type="datetime-local" name="at" aria-label={`${t(label)} ${t("systemWork.at")}`} />
            <button type="submit">{t(kind === "tests_ended" ? "systemWork.doConfirmTests" : "systemWork.doConfirmData")}</button>
          </form>
        )}
      </td>
    </tr>
  );
  return (
    <>
      <div className="pagehead">
        <h1>
          {t("systemWork.detail")}：{w.title}
        </h1>
        <span className={`pill state-${state}`} data-testid="link-control-state">
          {t(`systemWork.state.${state}` as MessageKey)}
        </span>
        <Link href="/system-work">{t("systemWork.title")}</Link>
      </div>
      <Flash ok={sp.ok ? t("systemWork.saved") : undefined} error={sp.error} />
      <table className="kv">
        <tbody>
          <tr>
            <th>{t("systemWork.organization")}</th>
            <td>{org?.name ?? w.organizationId}</td>
            <th>{t("systemWork.vendor")}</th>
            <td>{w.vendor}</td>
          </tr>
          <tr>
            <th>{t("systemWork.purpose")}</th>
            <td>{t(`systemWork.purpose.${w.purpose}` as MessageKey)}</td>
            <th>{t("systemWork.createdAt")}</th>
            <td>{formatJst(w.createdAt)}</td>
          </tr>
          <tr>
            <th>{t("systemWork.setAt")}</th>
            <td>{w.linkControlSetAt ? `${formatJst(w.linkControlSetAt)}（${w.linkControlSetBy}）` : "—"}</td>
            <th>{t("systemWork.releasedAt")}</th>
            <td>{w.linkControlReleasedAt ? `${formatJst(w.linkControlReleasedAt)}（${w.linkControlReleasedBy}）` : "—"}</td>
          </tr>
        </tbody>
      </table>

      <section>
        <h2>{t("systemWork.steps")}</h2>
        <table data-testid="system-work-steps">
          <thead>
            <tr>
              <th>{t("systemWork.step")}</th>
              <th>{t("systemWork.planned")}</th>
              <th>{t("systemWork.actual")}</th>
              <th>{t("systemWork.slip")}</th>
            </tr>
          </thead>
          <tbody>
            {steps.map((s) => (
              <tr key={s.step} className={s.late ? "warn" : undefined} data-step={s.step} data-late={s.late ? (s.daysLate ?? 0) : 0}>
                <td>{t(`systemWork.step.${s.step}` as MessageKey)}</td>
                <td>{s.plannedAt ? formatJst(s.plannedAt) : "—"}</td>
                <td>{s.actualAt ? formatJst(s.actualAt) : "—"}</td>
                <td>{s.late ? <strong>{slipText(s)}</strong> : slipText(s)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section>
        <h2>{t("systemWork.confirmations")}</h2>
        <p className="small">{t("systemWork.releaseNote")}</p>
        <table>
          <tbody>
            {confirmation("systemWork.testsEnded", w.testsEndedAt, w.testsEndedBy, "tests_ended")}
            {confirmation("systemWork.testDataDeleted", w.testDataDeletedAt, w.testDataDeletedBy, "test_data_deleted")}
          </tbody>
        </table>
        {editable && state === "planned" && (
          <form action={setLinkControlAction} className="inline">
            <input type="hidden" name="id" value={w.id} />
            <input name="by" required maxLength={200} aria-label={`${t("systemWork.doSet")} ${t("systemWork.by")}`} placeholder={t("systemWork.by")} />
            <input type="datetime-local" name="at" aria-label={`${t("systemWork.doSet")} ${t("systemWork.at")}`} />
            <button type="submit">{t("systemWork.doSet")}</button>
          </form>
        )}
        {open && (
          // The release form is shown even with confirmations missing: the server refuses it and says which are missing.
          <form action={releaseLinkControlAction} className="inline" data-testid="release-form" data-blocked={blockers.length ? "yes" : "no"}>
            <input type="hidden" name="id" value={w.id} />
            <input name="by" required maxLength={200} aria-label={`${t("systemWork.doRelease")} ${t("systemWork.by")}`} placeholder={t("systemWork.by")} />
            <input type="datetime-local" name="at" aria-label={`${t("systemWork.doRelease")} ${t("systemWork.at")}`} />
            <button type="submit">{t("systemWork.doRelease")}</button>
          </form>
        )}
      </section>

      {editable && (
        <section>
          <details>
            <summary>
              {t("systemWork.steps")}・{t("systemWork.vendor")}（{t("systemWork.save")}）
            </summary>
            <form action={updateSystemWorkAction} className="stack">
              <input type="hidden" name="id" value={w.id} />
              <label>
                {t("systemWork.workTitle")} <input name="title" defaultValue={w.title} required maxLength={200} />
              </label>
              <label>
                {t("systemWork.vendor")} <input name="vendor" defaultValue={w.vendor} required maxLength={200} />
              </label>
              <label>
                {t("systemWork.purpose")}
                <select name="purpose" defaultValue={w.purpose}>
                  {PURPOSES.map((p) => (
                    <option key={p} value={p}>
                      {t(`systemWork.purpose.${p}` as MessageKey)}
                    </option>
                  ))}
                </select>
              </label>
              <table>
                <thead>
                  <tr>
                    <th>{t("systemWork.step")}</th>
                    <th>{t("systemWork.planned")}</th>
                    <th>{t("systemWork.actual")}</th>
                  </tr>
                </thead>
                <tbody>
                  {w.stepList.map((s) => (
                    <tr key={s.step}>
                      <td>{t(`systemWork.step.${s.step}` as MessageKey)}</td>
                      <td>
                        <input
                          type="datetime-local"
                          name={`${s.step}.planned`}
                          defaultValue={local(s.plannedAt)}
                          aria-label={`${s.step} ${t("systemWork.planned")}`}
                        />
                      </td>
                      <td>
                        <input
                          type="datetime-local"
                          name={`${s.step}.actual`}
                          defaultValue={local(s.actualAt)}
                          aria-label={`${s.step} ${t("systemWork.actual")}`}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <label>
                {t("systemWork.note")} <textarea name="note" defaultValue={w.note ?? ""} maxLength={200} />
              </label>
              <button type="submit">{t("systemWork.save")}</button>
            </form>
          </details>
        </section>
      )}
    </>
  );
}

import Link from "@/components/Link";
import { notFound } from "next/navigation";
import { Flash } from "@/components/incidents/Flash";
import { getInvestigation, IncidentError, legitimateName } from "@/domain/incidents";
import { recordAudit } from "@/lib/audit/trail";
import { requireUser } from "@/lib/auth/pages";
import { db } from "@/lib/db";
import { formatJst, t } from "@/lib/i18n";

export const dynamic = "force-dynamic";

/** One investigation request: what was asked, and the answer or (for the requested municipality) the answer form. */
export default async function InvestigationPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser(["admin", "monitor", "municipal_officer"]);
  const { id: raw } = await params;
  const sp = await searchParams;
  let r;
  try {
    r = await getInvestigation(user, /^\d{1,9}$/.test(raw) ? Number(raw) : 0);
  } catch (e) {
    if (e instanceof IncidentError && e.code === "not_found") notFound();
    throw e;
  }
  await recordAudit({ actorId: user.id, actorLogin: user.login, action: "investigation_view", target: String(r.id), organizationId: r.organizationId });
  const org = await db().organization.findUnique({ where: { id: r.organizationId }, select: { name: true } });
  return (
    <>
      <div className="pagehead">
        <h1>{t("investigation.title")}</h1>
        <span className="pill" data-testid="investigation-state">
          {r.answeredAt ? t("investigation.state.answered") : t("investigation.state.open")}
        </span>
      </div>
      <Flash ok={sp.ok} error={sp.error} />
      <dl className="facts">
        <dt>{t("investigation.organization")}</dt>
        <dd title={r.organizationId}>{org?.name ?? r.organizationId}</dd>
        <dt>{t("investigation.requestedAt")}</dt>
        <dd>
          {formatJst(r.requestedAt)}（{r.requestedBy}）
        </dd>
        <dt>{t("investigation.due")}</dt>
        <dd>{formatJst(r.dueAt)}</dd>
        {r.alertId && (
          <>
            <dt>{t("investigation.alert")}</dt>
            <dd>
              <Link href={`/alerts/${r.alertId}`}>{r.alertId}</Link>
            </dd>
          </>
        )}
        {r.incident && (
          <>
            <dt>{t("investigation.incident")}</dt>
            <dd>
              <Link href={`/incidents/${r.incident.id}`}>{r.incident.title}</Link>
            </dd>
          </>
        )}
        <dt>{t("investigation.question")}</dt>
        <dd>{r.question}</dd>
      </dl>
      {r.answeredAt && (
        <section>
          <h2>{t("investigation.answer")}</h2>
          <dl className="facts" data-testid="investigation-answer">
            <dt>{t("investigation.answeredAt")}</dt>
            <dd>
              {formatJst(r.answeredAt)}（{r.answeredBy}）
            </dd>
            <dt>{t("investigation.findings")}</dt>
            <dd>{r.findings}</dd>
            <dt>{t("investigation.cause")}</dt>
            <dd>{r.cause || "—"}</dd>
            <dt>{t("investigation.legitimate")}</dt>
            <dd>{legitimateName(r.legitimate)}</dd>
            <dt>{t("investigation.measures")}</dt>
            <dd>{r.measures || "—"}</dd>
            <dt>{t("investigation.attachments")}</dt>
            <dd>
              {r.attachments.length
                ? r.attachments.map((a) => (
                    <a key={a.id} href={`/api/investigations/attachments/${a.id}`} download>
                      {a.fileName}{" "}
                    </a>
                  ))
                : "—"}
            </dd>
          </dl>
        </section>
      )}
      {r.canAnswer && (
        <form method="post" action={`/api/investigations/${r.id}/answer`} encType="multipart/form-data" className="card" aria-label={t("investigation.answer")}>
          <p>
            <label>
              {t("investigation.findings")}
              <textarea name="findings" rows={4} cols={60} maxLength={4000} required />
            </label>
          </p>
          <p>
            <label>
              {t("investigation.cause")}
              <textarea name="cause" rows={2} cols={60} maxLength={4000} />
            </label>
          </p>
          <fieldset>
            <legend>{t("investigation.legitimate")}</legend>
            {(["yes", "no", "unknown"] as const).map((v) => (
              <label key={v}>
                <input type="radio" name="legitimate" value={v} required defaultChecked={v === "unknown"} /> {t(`investigation.legitimate.${v}`)}{" "}
              </label>
            ))}
          </fieldset>
          <p>
            <label>
              {t("investigation.measures")}
              <textarea name="measures" rows={2} cols={60} maxLength={4000} />
            </label>
          </p>
          <p>
            <label>
              {t("investigation.attach")}
              <input type="file" name="file" />
            </label>
          </p>
          <button type="submit">{t("investigation.answer")}</button>
        </form>
      )}
    </>
  );
}

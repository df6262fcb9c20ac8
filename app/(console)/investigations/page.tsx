import Link from "@/components/Link";
import { Flash } from "@/components/incidents/Flash";
import { listInvestigations } from "@/domain/incidents";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { db } from "@/lib/db";
import { formatJst, t } from "@/lib/i18n";

export const dynamic = "force-dynamic";

/** Investigation requests in scope: unanswered first by due date (overdue marked), then answered. */
export default async function InvestigationsPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser(["admin", "monitor", "municipal_officer"]);
  const sp = await searchParams;
  await pageScope(user);
  const rows = await listInvestigations(user);
  const names = new Map(
    (await db().organization.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.organizationId))] } }, select: { id: true, name: true } })).map(
      (o) => [o.id, o.name],
    ),
  );
  const now = Date.now();
  return (
    <>
      <div className="pagehead">
        <h1>{t("investigation.list")}</h1>
        <Link className="pill" href="/incidents">
          {t("incident.list")}
        </Link>
      </div>
      <Flash ok={sp.ok} error={sp.error} />
      {rows.length === 0 ? (
        <p>{t("investigation.none")}</p>
      ) : (
        <table data-testid="investigation-list">
          <thead>
            <tr>
              <th>{t("investigation.title")}</th>
              <th>{t("investigation.organization")}</th>
              <th>{t("investigation.requestedAt")}</th>
              <th>{t("investigation.due")}</th>
              <th>{t("incident.status")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const overdue = !r.answeredAt && r.dueAt.getTime() < now;
              return (
                <tr key={r.id} className={overdue ? "warn" : undefined}>
                  <td>
                    <Link href={`/investigations/${r.id}`}>{r.question.length > 40 ? `${r.question.slice(0, 40)}…` : r.question}</Link>
                  </td>
                  <td title={r.organizationId}>{names.get(r.organizationId) ?? r.organizationId}</td>
                  <td>{formatJst(r.requestedAt)}</td>
                  <td>
                    {formatJst(r.dueAt)}
                    {overdue && <strong> {t("investigation.overdue")}</strong>}
                  </td>
                  <td>{r.answeredAt ? t("investigation.state.answered") : t("investigation.state.open")}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}

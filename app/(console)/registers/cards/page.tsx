import Link from "@/components/Link";
import { Flash } from "@/components/incidents/Flash";
import { listCards } from "@/domain/registers/cards";
import { recordAudit } from "@/lib/audit/trail";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { db } from "@/lib/db";
import { formatDateOnly, formatJst, t, type MessageKey } from "@/lib/i18n";

export const dynamic = "force-dynamic";

/** The IC card register (管理簿) of the caller's scope: every registered operator card, its status, current lending and expiry. */
export default async function CardsPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser();
  const sp = await searchParams;
  const organization = sp.organization || undefined;
  const scope = await pageScope(user, organization);
  const cards = await listCards(scope, organization);
  const orgs = await db().organization.findMany({ where: scope.where("id"), select: { id: true, name: true } });
  const name = new Map(orgs.map((o) => [o.id, o.name]));
  await recordAudit({ actorId: user.id, actorLogin: user.login, action: "card_register_view", scope: scope.recorded, organizationId: organization ?? null });
  return (
    <>
      <div className="pagehead">
        <h1>{t("registers.cards.title")}</h1>
      </div>
      <Flash ok={sp.ok} error={sp.error} />
      {cards.length === 0 ? (
        <p>{t("registers.cards.none")}</p>
      ) : (
        <table data-testid="card-list">
          <thead>
            <tr>
              <th>{t("registers.cards.col.organization")}</th>
              <th>{t("registers.cards.col.card")}</th>
              <th>{t("registers.cards.owner")}</th>
              <th>{t("registers.cards.col.status")}</th>
              <th>{t("registers.cards.current")}</th>
              <th>{t("registers.cards.col.expiresOn")}</th>
            </tr>
          </thead>
          <tbody>
            {cards.map((c) => {
              const open = c.record?.loans.find((l) => !l.returnedAt);
              return (
                <tr key={c.cardId} className={c.record && c.record.status !== "active" ? "warn" : undefined}>
                  <td>{name.get(c.organizationId) ?? c.organizationId}</td>
                  <td>
                    <Link href={`/registers/cards/${encodeURIComponent(c.cardId)}`}>{c.cardId}</Link>
                  </td>
                  <td>{c.owner}</td>
                  <td>{t(`registers.cards.status.${c.record?.status ?? "none"}` as MessageKey)}</td>
                  <td>
                    {open ? `${t("registers.cards.lentTo").replace("{operator}", open.operatorId)}（${formatJst(open.lentAt)}）` : t("registers.cards.notLent")}
                  </td>
                  <td>{c.record?.expiresOn ? formatDateOnly(c.record.expiresOn) : "—"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}

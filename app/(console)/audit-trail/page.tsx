import { verifyAuditChain } from "@/lib/audit/trail";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { formatJst, t } from "@/lib/i18n";

export const dynamic = "force-dynamic";

/** The console's own audit trail with the chain's state (admins and monitors). */
export default async function AuditTrailPage({ searchParams }: { searchParams: Promise<{ before?: string }> }) {
  await requireUser(["admin", "monitor"]);
  const { before } = await searchParams;
  const rows = await db().consoleAuditEvent.findMany({
    where: before ? { seq: { lt: Number(before) } } : undefined,
    orderBy: { seq: "desc" },
    take: 100,
  });
  const chain = await verifyAuditChain();
  return (
    <>
      <div className="pagehead">
        <h1>{t("auditTrail.title")}</h1>
        <span className={chain.ok ? "ok" : "error"} data-testid="chain-state">
          {chain.ok ? t("auditTrail.intact") : `${t("auditTrail.broken")} (#${chain.brokenAt})`}
        </span>
      </div>
      <table>
        <thead><tr><th>#</th><th>{t("col.time")}</th><th>{t("col.actor")}</th><th>{t("col.action")}</th><th>{t("col.target")}</th><th>{t("col.organization")}</th><th>{t("col.details")}</th></tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.seq}>
              <td>{r.seq}</td><td>{formatJst(r.at)}</td><td>{r.actorLogin ?? r.actorId ?? ""}</td><td>{r.action}</td><td>{r.target ?? ""}</td><td>{r.organizationId ?? ""}</td><td className="mono small">{r.details ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 100 && <p><a href={`/audit-trail?before=${rows[rows.length - 1].seq}`}>{t("events.next")}</a></p>}
    </>
  );
}

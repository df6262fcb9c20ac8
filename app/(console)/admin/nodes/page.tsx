import { issueTokenAction, revokeTokenAction } from "@/lib/actions/admin";
import { pageScope, requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { formatJst, t } from "@/lib/i18n";

export const dynamic = "force-dynamic";

/** Registered nodes and their ingest tokens (issue: shown once; revoke). */
export default async function NodesPage({ searchParams }: { searchParams: Promise<{ issued?: string; node?: string }> }) {
  const admin = await requireUser(["admin"]);
  const scope = await pageScope(admin);
  const { issued, node } = await searchParams;
  const nodes = await db().node.findMany({ where: { organizationId: { in: scope } }, include: { tokens: { orderBy: { createdAt: "desc" } } }, orderBy: { id: "asc" } });
  return (
    <>
      <div className="pagehead"><h1>{t("admin.nodes")}</h1></div>
      {issued && (
        <p role="status" className="ok">
          {t("admin.tokenIssued")} {node}: <code data-testid="issued-token">{issued}</code>
        </p>
      )}
      <table>
        <thead><tr><th>{t("col.node")}</th><th>{t("col.type")}</th><th>{t("col.organization")}</th><th>{t("admin.tokens")}</th><th /></tr></thead>
        <tbody>{nodes.map((n) => (
          <tr key={n.id}>
            <td>{n.id}</td><td>{n.type}</td><td>{n.organizationId}</td>
            <td>
              <ul>{n.tokens.map((tk) => (
                <li key={tk.id}>
                  {tk.id} {formatJst(tk.createdAt)} {tk.revokedAt ? `（${t("admin.revoked")} ${formatJst(tk.revokedAt)}）` : tk.lastUsedAt ? `（${t("col.lastEvent")} ${formatJst(tk.lastUsedAt)}）` : ""}
                  {!tk.revokedAt && (
                    <form action={revokeTokenAction} style={{ display: "inline" }}><input type="hidden" name="tokenId" value={tk.id} /> <button>{t("admin.revoke")}</button></form>
                  )}
                </li>
              ))}</ul>
            </td>
            <td><form action={issueTokenAction}><input type="hidden" name="nodeId" value={n.id} /><button>{t("admin.issueToken")}</button></form></td>
          </tr>
        ))}</tbody>
      </table>
    </>
  );
}

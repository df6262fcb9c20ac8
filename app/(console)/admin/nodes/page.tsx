import { revokeTokenAction } from "@/app/_actions/admin";
import { ConfirmButton } from "@/components/ConfirmButton";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { formatJst, t } from "@/lib/i18n";
import { listNodes } from "@/domain/registry/tokens";
import { IssueTokenForm } from "./IssueTokenForm";

export const dynamic = "force-dynamic";

/** The nodes of the organisations in scope and their ingest tokens (issue: shown once; revoke). */
export default async function NodesPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const admin = await requireUser(["admin"]);
  const scope = await pageScope(admin);
  const { error } = await searchParams;
  const nodes = await listNodes(scope);
  return (
    <>
      <div className="pagehead">
        <h1>{t("admin.nodes")}</h1>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th>{t("col.node")}</th>
            <th>{t("col.type")}</th>
            <th>{t("col.organization")}</th>
            <th>{t("admin.tokens")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {nodes.map((n) => (
            <tr key={n.id}>
              <td>{n.id}</td>
              <td>{n.type}</td>
              <td>{n.organizationId}</td>
              <td>
                <ul>
                  {n.tokens.map((tk) => (
                    <li key={tk.id}>
                      {tk.id} {formatJst(tk.createdAt)}{" "}
                      {tk.revokedAt
                        ? `（${t("admin.revoked")} ${formatJst(tk.revokedAt)}）`
                        : tk.lastUsedAt
                          ? `（${t("col.lastEvent")} ${formatJst(tk.lastUsedAt)}）`
                          : ""}
                      {!tk.revokedAt && (
                        <form action={revokeTokenAction} style={{ display: "inline" }}>
                          <input type="hidden" name="tokenId" value={tk.id} />{" "}
                          <ConfirmButton message={`${tk.id}: ${t("admin.confirmRevoke")}`}>{t("admin.revoke")}</ConfirmButton>
                        </form>
                      )}
                    </li>
                  ))}
                </ul>
              </td>
              <td>
                <IssueTokenForm nodeId={n.id} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

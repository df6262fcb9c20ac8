import Link from "@/components/Link";
import { disableEndpointAction, retryDeliveryAction } from "@/app/_actions/notifications";
import { ConfirmButton } from "@/components/ConfirmButton";
import { requireAdmin } from "@/lib/auth/pages";
import { db } from "@/lib/db";
import { formatJst, t, type MessageKey } from "@/lib/i18n";
import { listDeliveries, listEndpoints } from "@/domain/notifications/endpoints";
import { typeLabel } from "@/domain/notifications/text";
import { EndpointForm } from "./EndpointForm";

export const dynamic = "force-dynamic";

/** Webhook endpoints of the organisations in the admin's scope, and the delivery log (failures first on request, retry). */
export default async function NotificationAdminPage({ searchParams }: { searchParams: Promise<{ problems?: string; ok?: string; error?: string }> }) {
  const { scope } = await requireAdmin();
  const sp = await searchParams;
  const problems = sp.problems === "1";
  const [endpoints, deliveries, orgs] = await Promise.all([
    listEndpoints(scope),
    listDeliveries(scope, { problems }),
    db().organization.findMany({ where: scope.where("id"), orderBy: { id: "asc" }, select: { id: true, name: true } }),
  ]);
  const orgName = (id: string) => orgs.find((o) => o.id === id)?.name ?? id;
  const status = (d: (typeof deliveries)[number]) =>
    t(`notify.status.${d.status === "pending" && d.attempts > 0 ? "retrying" : d.status}` as MessageKey) ?? d.status;
  return (
    <>
      <div className="pagehead">
        <h1>{t("notify.admin.title")}</h1>
      </div>
      {sp.ok === "retried" && (
        <p role="status" className="ok">
          {t("notify.admin.retried")}
        </p>
      )}
      {sp.error && (
        <p role="alert" className="error">
          {sp.error}
        </p>
      )}
      <h2>{t("notify.admin.endpoints")}</h2>
      <p>{t("notify.admin.endpointsHelp")}</p>
      {endpoints.length === 0 ? (
        <p>{t("notify.admin.noEndpoints")}</p>
      ) : (
        <table data-testid="webhook-endpoints">
          <thead>
            <tr>
              <th>{t("notify.admin.name")}</th>
              <th>{t("notify.admin.organization")}</th>
              <th>{t("notify.admin.url")}</th>
              <th>{t("notify.admin.types")}</th>
              <th>{t("notify.admin.minSeverity")}</th>
              <th>{t("notify.admin.status")}</th>
              <th>
                <span className="sr-only">{t("notify.admin.disable")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {endpoints.map((e) => (
              <tr key={e.id}>
                <td>{e.name}</td>
                <td title={e.organizationId}>{orgName(e.organizationId)}</td>
                <td>{e.url}</td>
                <td>{e.types ? e.types.map(typeLabel).join("、") : t("notify.all")}</td>
                <td>{t(`severity.${e.minSeverity}` as MessageKey)}</td>
                <td>{e.disabledAt ? `${t("notify.admin.disabled")}（${formatJst(e.disabledAt)}）` : t("notify.admin.active")}</td>
                <td>
                  {!e.disabledAt && (
                    <form action={disableEndpointAction}>
                      <input type="hidden" name="id" value={e.id} />
                      <ConfirmButton message={`${e.name}: ${t("notify.admin.confirmDisable")}`}>{t("notify.admin.disable")}</ConfirmButton>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <EndpointForm orgs={orgs} />

      <h2>{t("notify.admin.deliveries")}</h2>
      <nav className="filters" aria-label={t("notify.admin.deliveries")}>
        {problems ? <Link href="/admin/notifications">{t("notify.all")}</Link> : <strong>{t("notify.all")}</strong>}
        {problems ? <strong>{t("notify.admin.failuresOnly")}</strong> : <Link href="/admin/notifications?problems=1">{t("notify.admin.failuresOnly")}</Link>}
      </nav>
      {deliveries.length === 0 ? (
        <p>{t("notify.admin.noDeliveries")}</p>
      ) : (
        <table data-testid="delivery-log">
          <thead>
            <tr>
              <th>{t("notify.colAt")}</th>
              <th>{t("notify.admin.channel")}</th>
              <th>{t("notify.admin.recipient")}</th>
              <th>{t("notify.colOrganization")}</th>
              <th>{t("notify.colTitle")}</th>
              <th>{t("notify.admin.status")}</th>
              <th>{t("notify.admin.attempts")}</th>
              <th>{t("notify.admin.log")}</th>
              <th>
                <span className="sr-only">{t("notify.admin.retry")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((d) => (
              <tr key={d.id}>
                <td>{formatJst(d.createdAt)}</td>
                <td>{t(`notify.channel.${d.channel}` as MessageKey) ?? d.channel}</td>
                <td>{d.recipient}</td>
                <td title={d.organizationId}>{orgName(d.organizationId)}</td>
                <td>
                  {typeLabel(d.type)}：{d.title}
                </td>
                <td>
                  {status(d)}
                  {d.status === "pending" && d.attempts > 0 && (
                    <div className="small">
                      {t("notify.admin.nextAttempt")} {formatJst(d.nextAttemptAt)}
                    </div>
                  )}
                  {d.deliveredAt && <div className="small">{formatJst(d.deliveredAt)}</div>}
                </td>
                <td className="num">{d.attempts}</td>
                <td>
                  <ul className="small">
                    {d.log.map((l, i) => (
                      <li key={i}>
                        {formatJst(l.at)} {l.ok ? t("notify.status.delivered") : `${t("notify.admin.lastError")}: ${l.error ?? ""}`}
                      </li>
                    ))}
                  </ul>
                </td>
                <td>
                  {d.status !== "delivered" && (
                    <form action={retryDeliveryAction}>
                      <input type="hidden" name="id" value={d.id} />
                      <button type="submit">{t("notify.admin.retry")}</button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

import Link from "@/components/Link";
import { notFound } from "next/navigation";
import { RangePicker } from "@/components/RangePicker";
import { recordAudit } from "@/lib/audit/trail";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { ENTITY_TYPES, entitySummary, type EntityType } from "@/domain/entities";
import { OrgName } from "@/components/OrgName";
import { eventActionLabel, evidenceLabel, formatDateKey, formatJst, nodeTypeLabel, t, type MessageKey } from "@/lib/i18n";
import { parseRange, rangeQuery } from "@/lib/range";
import { nodeRejections } from "@/domain/ingest/rejections";
import { listNodeCertificates } from "@/domain/registry/node-certs";

export const dynamic = "force-dynamic";

export default async function EntityPage({
  params,
  searchParams,
}: {
  params: Promise<{ type: string; id: string }>;
  searchParams: Promise<Record<string, string>>;
}) {
  const user = await requireUser();
  const { type, id: rawId } = await params;
  const id = decodeURIComponent(rawId);
  if (!ENTITY_TYPES.includes(type as EntityType)) notFound();
  const range = parseRange(await searchParams);
  const scope = await pageScope(user);
  const e = await entitySummary(type as EntityType, id, range, scope);
  if (!e) notFound();
  await recordAudit({
    actorId: user.id,
    actorLogin: user.login,
    action: "entity_view",
    target: `${type}:${id}`,
    organizationId: e.organizationId,
    scope: scope.recorded,
  });
  const q = rangeQuery(range);
  const explorerField = type === "operator" ? "operator" : type === "terminal" ? "terminal" : "organization";
  const explorerValue = type === "node" ? e.organizationId : id;
  const max = Math.max(1, ...e.perDay.map((d) => d.count));
  // The ingest gateway's refusals and the node's certificates (INTERFACE.md §6), nodes only.
  const rejections = type === "node" ? await nodeRejections(id, scope) : undefined;
  const certificates = type === "node" ? await listNodeCertificates(id, scope) : [];
  return (
    <>
      <div className="pagehead">
        <h1>
          {t(`entity.${type}` as MessageKey)}: {id}
        </h1>
        <RangePicker current={range.key} />
      </div>
      <dl className="facts">
        <dt>{t("col.organization")}</dt>
        <dd>
          <OrgName code={e.organizationId} />
        </dd>
        {"type" in e.registry && typeof e.registry.type === "string" && (
          <>
            <dt>{t("col.type")}</dt>
            <dd>{nodeTypeLabel(e.registry.type)}</dd>
          </>
        )}
        {"department" in e.registry && (
          <>
            <dt>{t("entity.department")}</dt>
            <dd>{e.registry.department ?? "—"}</dd>
          </>
        )}
        {"cards" in e.registry && (
          <>
            <dt>{t("entity.cards")}</dt>
            <dd>{e.registry.cards.map((c) => c.id).join(", ") || "—"}</dd>
          </>
        )}
        {"ip" in e.registry && (
          <>
            <dt>IP</dt>
            <dd>{e.registry.ip ?? "—"}</dd>
          </>
        )}
        {"expectedIntervalMinutes" in e.registry && (
          <>
            <dt>{t("entity.expectedInterval")}</dt>
            <dd>
              {e.registry.expectedIntervalMinutes} {t("entity.minutes")}
            </dd>
          </>
        )}
        <dt>{t("col.lastEvent")}</dt>
        <dd>{e.lastEvent ? formatJst(e.lastEvent) : t("dashboard.never")}</dd>
        <dt>{t("col.events")}</dt>
        <dd>
          {e.total.toLocaleString("ja-JP")}（{t("entity.afterHours")}: {e.afterHours.toLocaleString("ja-JP")}）
        </dd>
      </dl>
      <p>
        <Link href={`/events?${explorerField}=${encodeURIComponent(explorerValue)}&${q}`}>{t("alert.openInExplorer")}</Link>
      </p>
      <div className="grid">
        <section>
          <h2>{t("entity.perDay")}</h2>
          <table>
            <tbody>
              {e.perDay.map((d) => (
                <tr key={d.day}>
                  <td>{formatDateKey(d.day.slice(0, 10))}</td>
                  <td className="num">{d.count.toLocaleString("ja-JP")}</td>
                  <td className="barcell">
                    <span className="bar" style={{ width: `${(100 * d.count) / max}%` }} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section>
          <h2>{t("col.action")}</h2>
          <table>
            <tbody>
              {e.actions.map((a) => (
                <tr key={a.key}>
                  <td title={a.key}>{eventActionLabel(a.key)}</td>
                  <td className="num">{a.count.toLocaleString("ja-JP")}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{type === "operator" ? t("col.terminal") : t("col.operator")}</h2>
          <table>
            <tbody>
              {(type === "operator" ? e.terminals : e.operators).map((a) => (
                <tr key={a.key}>
                  <td>
                    <Link href={`/entities/${type === "operator" ? "terminal" : "operator"}/${encodeURIComponent(a.key)}?${q}`}>{a.key}</Link>
                  </td>
                  <td className="num">{a.count.toLocaleString("ja-JP")}</td>
                </tr>
              ))}
              {type !== "operator" && e.systemEvents > 0 && (
                <tr>
                  <td className="system">{t("operator.system")}</td>
                  <td className="num">{e.systemEvents.toLocaleString("ja-JP")}</td>
                </tr>
              )}
            </tbody>
          </table>
        </section>
        {type === "node" && (
          <section>
            <h2>{t("entity.rejected")}</h2>
            {rejections?.count ? (
              <>
                <p>
                  {t("entity.rejectedCount")}: <strong>{rejections.count.toLocaleString("ja-JP")}</strong>
                </p>
                <table>
                  <caption>{t("entity.rejectedLast")}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("col.time")}</th>
                      <th scope="col">{t("entity.rejectedTransport")}</th>
                      <th scope="col">{t("entity.rejectedReason")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rejections.lastReasons.map((r, i) => (
                      <tr key={i}>
                        <td>{formatJst(r.at)}</td>
                        <td>{r.transport}</td>
                        <td className="small">{r.reason}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            ) : (
              <p>{t("entity.rejectedNone")}</p>
            )}
            {certificates.length > 0 && (
              <table>
                <caption>{t("entity.certificates")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("entity.certificateSerial")}</th>
                    <th scope="col">{t("entity.certificateNotAfter")}</th>
                    <th scope="col">{t("col.status")}</th>
                  </tr>
                </thead>
                <tbody>
                  {certificates.map((c) => (
                    <tr key={c.serial}>
                      <td className="small">{c.serial}</td>
                      <td>{formatJst(c.notAfter)}</td>
                      <td>{c.revokedAt ? `${t("entity.certificateRevoked")}（${formatJst(c.revokedAt)}）` : t("entity.certificateActive")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        )}
        <section>
          <h2>{t("nav.alerts")}</h2>
          {e.alerts.length ? (
            <table>
              <tbody>
                {e.alerts.map((a) => (
                  <tr key={a.id}>
                    <td>
                      <span className={`sev sev-${a.severity}`}>{t(`severity.${a.severity}` as MessageKey)}</span>
                    </td>
                    <td>
                      <Link href={`/alerts/${a.id}`}>{a.rule.name}</Link>
                    </td>
                    <td>{formatJst(a.window.start)}</td>
                    <td>{t(`status.${a.status}` as MessageKey)}</td>
                    <td className="small">{evidenceSummary(a.evidence?.counts as Record<string, number> | undefined)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>{t("alert.none")}</p>
          )}
        </section>
      </div>
    </>
  );
}

/** The first counts of an alert's evidence, labelled: 照会対象者数 52・照会件数 60. */
function evidenceSummary(counts: Record<string, number> | undefined): string {
  return Object.entries(counts ?? {})
    .slice(0, 3)
    .map(([k, v]) => `${evidenceLabel(k)} ${typeof v === "number" ? v.toLocaleString("ja-JP") : v}`)
    .join("・");
}

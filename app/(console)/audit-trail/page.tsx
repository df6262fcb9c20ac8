import { listAuditTrail, seesUnownedAuditRecords, verifyAuditChainIncremental } from "@/lib/audit/trail";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { OrgName } from "@/components/OrgName";
import { formatJst, formatRecordedValue, messages, t, trailActionLabel } from "@/lib/i18n";

/** The audit-trail actions the catalogue names, for the filter (codes in the URL, Japanese in the list). */
const KNOWN_ACTIONS = Object.keys(messages)
  .filter((k) => k.startsWith("trailAction."))
  .map((k) => k.slice("trailAction.".length));

export const dynamic = "force-dynamic";

/**
 * The console's own audit trail (admins and monitors): only records of
 * organisations in the viewer's scope (or, without an organisation, whose
 * actor is in it; anonymous ones only for admins of the top organisation),
 * with the chain's state, verified incrementally from the last verified record.
 */
export default async function AuditTrailPage({ searchParams }: { searchParams: Promise<{ before?: string; action?: string }> }) {
  const user = await requireUser(["admin", "monitor"]);
  const scope = await pageScope(user);
  const { before, action: actionParam } = await searchParams;
  const action = actionParam && /^[a-z_]{1,64}$/.test(actionParam) ? actionParam : undefined;
  const beforeSeq = Number(before);
  const rows = await listAuditTrail(scope, {
    before: Number.isInteger(beforeSeq) && beforeSeq > 0 ? beforeSeq : undefined,
    take: 100,
    unowned: await seesUnownedAuditRecords(user),
    action,
  });
  const chain = await verifyAuditChainIncremental();
  return (
    <>
      <div className="pagehead">
        <h1>{t("auditTrail.title")}</h1>
        <span className={chain.ok ? "ok" : "error"} data-testid="chain-state">
          {chain.ok ? t("auditTrail.intact") : `${t("auditTrail.broken")} (#${chain.brokenAt})`}
        </span>
      </div>
      <form className="filters" method="get">
        <label>
          {t("col.action")}
          <select name="action" defaultValue={action ?? ""}>
            <option value="">{t("auditTrail.allActions")}</option>
            {[...KNOWN_ACTIONS, ...(action && !KNOWN_ACTIONS.includes(action) ? [action] : [])].map((a) => (
              <option key={a} value={a}>
                {trailActionLabel(a)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t("events.search")}</button>
      </form>
      <table>
        <thead>
          <tr>
            <th>#</th>
            <th>{t("col.time")}</th>
            <th>{t("col.actor")}</th>
            <th>{t("col.action")}</th>
            <th>{t("col.target")}</th>
            <th>{t("col.organization")}</th>
            <th>{t("col.details")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.seq}>
              <td>{r.seq}</td>
              <td>{formatJst(r.at)}</td>
              <td>{r.actorName ? `${r.actorName}（${r.actor}）` : r.actor}</td>
              <td data-action={r.action} title={r.action}>
                {trailActionLabel(r.action)}
              </td>
              <td>{r.target ?? ""}</td>
              <td>
                <OrgName code={r.organizationId} />
              </td>
              <td className="mono small">{readableDetails(r.details)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 100 && (
        <p>
          <a href={`/audit-trail?${new URLSearchParams({ before: String(rows[rows.length - 1].seq), ...(action ? { action } : {}) })}`}>{t("events.next")}</a>
        </p>
      )}
    </>
  );
}

/** A record's details with its instants in JST (dates entered as dates as dates); the stored text when it is not JSON. */
function readableDetails(details: string | null): string {
  if (!details) return "";
  try {
    return JSON.stringify(JSON.parse(details), (_k, v: unknown) => (typeof v === "string" ? formatRecordedValue(v) : v));
  } catch {
    return details;
  }
}

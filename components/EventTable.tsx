import Link from "@/components/Link";
import type { EventRow } from "@/domain/events/explorer";
import { isSystemActivity } from "@/domain/events/system";
import { eventActionLabel, formatJst, outcomeLabel, scheduleLabel, t } from "@/lib/i18n";
import { OrgName } from "./OrgName";

/** Access-log events as users read them: JST times, actions and outcomes in Japanese, organisations by name (code on hover). */
export function EventTable({ rows }: { rows: EventRow[] }) {
  if (!rows.length) return <p>{t("events.none")}</p>;
  return (
    <table className="events">
      <thead>
        <tr>
          <th>{t("col.time")}</th>
          <th>{t("col.action")}</th>
          <th>{t("col.outcome")}</th>
          <th>{t("col.organization")}</th>
          <th>{t("col.operator")}</th>
          <th>{t("col.terminal")}</th>
          <th>{t("col.purpose")}</th>
          <th>{t("col.recipient")}</th>
          <th className="num">{t("col.records")}</th>
          <th>{t("col.subject")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((e) => (
          <tr key={`${e.node}${e.id}`}>
            <td>{formatJst(e.timestamp)}</td>
            <td title={e.action}>{eventActionLabel(e.action)}</td>
            <td>{outcomeLabel(e.outcome)}</td>
            <td>
              <OrgName code={e.organization} />
            </td>
            <td>
              {e.operator ? (
                <Link href={`/entities/operator/${encodeURIComponent(e.operator)}`}>{e.operator}</Link>
              ) : isSystemActivity(e) ? (
                <span className="system">{t("operator.system")}</span>
              ) : (
                ""
              )}
            </td>
            <td>{e.terminal ? <Link href={`/entities/terminal/${encodeURIComponent(e.terminal)}`}>{e.terminal}</Link> : ""}</td>
            <td>{e.schedule ? `${scheduleLabel(e.schedule)} / ${e.item}` : ""}</td>
            <td title={e.recipient}>{e.recipientName ?? e.recipient ?? ""}</td>
            <td className="num">{e.records ?? ""}</td>
            <td className="mono">{e.subject?.slice(0, 10) ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

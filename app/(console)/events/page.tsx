import Link from "@/components/Link";
import { ArchiveBanner } from "@/components/ArchiveBanner";
import { AuditPeriodNotice } from "@/components/AuditPeriodNotice";
import { EventTable } from "@/components/EventTable";
import { RangePicker } from "@/components/RangePicker";
import { recordAudit } from "@/lib/audit/trail";
import { searchEventsAction } from "@/app/_actions/events";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { filterFromParams, hasClearSubject, resolveFilterOrganization, searchEvents, type EventFilter } from "@/domain/events/explorer";
import { EVENT_ACTIONS } from "@/domain/ingest/event";
import { organizationsInScope } from "@/domain/registry/organizations";
import { eventActionLabel, t } from "@/lib/i18n";
import { parseRange } from "@/lib/range";

export const dynamic = "force-dynamic";

export default async function EventExplorer({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser();
  const params = await searchParams;
  const range = parseRange(params);
  // A clear 住民票コード in the URL is refused: the form posts it and turns it into its reference first.
  const clearSubject = hasClearSubject(params);
  // An organisation may be named (下関市) as well as coded; a name that matches none is said, never ignored.
  const { filter, unknownOrganization } = await resolveFilterOrganization<EventFilter>({ ...filterFromParams(params), from: range.from, to: range.to });
  if (clearSubject) delete filter.subject;
  const scope = await pageScope(user, filter.organization);
  const page = unknownOrganization ? { events: [], total: 0, next: undefined } : await searchEvents(filter, scope, 50, params.after);
  const organizations = await organizationsInScope(scope);
  // The audit trail records the filter, with the subject reduced to "given".
  await recordAudit({
    actorId: user.id,
    actorLogin: user.login,
    action: "event_search",
    scope: scope.recorded,
    details: { ...filter, subject: filter.subject ? "given" : undefined },
  });
  const fields = Object.entries(filter).filter(([k]) => k !== "from" && k !== "to");
  const keep = new URLSearchParams(
    [...Object.entries({ range: params.range, from: params.from, to: params.to }), ...fields].filter(([, v]) => v) as [string, string][],
  );
  const exportQuery = new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as [string, string][]);
  return (
    <>
      <div className="pagehead">
        <h1>{t("events.title")}</h1>
        <span>
          {page.total.toLocaleString("ja-JP")} {t("alert.total")}
        </span>
        <RangePicker current={range.key} />
      </div>
      {clearSubject && (
        <p className="error" role="alert">
          {t("events.subjectInUrl")}
        </p>
      )}
      <AuditPeriodNotice scope={scope} organization={filter.organization} from={range.from} to={range.to} />
      <ArchiveBanner stream="events" from={range.from} to={range.to} user={user} />
      {unknownOrganization && (
        <p className="error" role="alert">
          {t("events.unknownOrganization").replace("{name}", unknownOrganization)}
        </p>
      )}
      <form className="filters" action={searchEventsAction}>
        <input type="hidden" name={range.key === "custom" ? "from" : "range"} value={range.key === "custom" ? range.from : range.key} />
        {range.key === "custom" && <input type="hidden" name="to" value={range.to} />}
        <label>
          {t("col.organization")}
          <select name="organization" defaultValue={filter.organization ?? ""}>
            <option value="">{t("events.allOrganizations")}</option>
            {organizations.map((o) => (
              <option key={o.id} value={o.id} title={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("col.operator")}
          <input name="operator" defaultValue={filter.operator} size={14} />
        </label>
        <label>
          {t("col.terminal")}
          <input name="terminal" defaultValue={filter.terminal} size={14} />
        </label>
        <label>
          {t("col.action")}
          <select name="action" defaultValue={filter.action ?? ""}>
            <option value="">{t("events.allActions")}</option>
            {EVENT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {eventActionLabel(a)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("col.purpose")}
          <input name="schedule" defaultValue={filter.schedule} size={8} placeholder="5 / jukiho" />
        </label>
        <label>
          {t("col.item")}
          <input name="item" defaultValue={filter.item} size={8} />
        </label>
        <label>
          {t("col.recipient")}
          <input name="recipient" defaultValue={filter.recipient} size={12} />
        </label>
        <label>
          {t("col.subject")}
          <input name="subject" defaultValue={filter.subject} size={16} placeholder={t("events.subjectHint")} autoComplete="off" />
        </label>
        <button type="submit">{t("events.search")}</button>
        <a className="button" href={`/api/events/export?${exportQuery.toString()}`}>
          {t("events.export")}
        </a>
      </form>
      <EventTable rows={page.events} />
      <p className="pager">
        {params.after && <Link href={`/events?${keep.toString()}`}>{t("events.first")}</Link>}{" "}
        {page.next && <Link href={`/events?${keep.toString()}&after=${page.next}`}>{t("events.next")}</Link>}
      </p>
    </>
  );
}

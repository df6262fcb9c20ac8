import Link from "@/components/Link";
import { ArchiveBanner } from "@/components/ArchiveBanner";
import { RangePicker } from "@/components/RangePicker";
import type { TriageButton } from "@/components/TriageControls";
import {
  ageMs,
  assigneesFor,
  dueAt,
  formatDuration,
  groupIncidents,
  listViews,
  parseQueueParams,
  queueAlerts,
  PAGE_SIZES,
  type SortKey,
} from "@/domain/alerts";
import { recordAudit } from "@/lib/audit/trail";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { formatJst, t, type MessageKey } from "@/lib/i18n";
import { rangeQuery } from "@/lib/range";
import { QueueFilters } from "./QueueFilters";
import { QueueTable, type QueueRow, type SortHeader } from "./QueueTable";
import { SavedViews } from "./SavedViews";

export const dynamic = "force-dynamic";

const COLUMNS: [SortKey | "", MessageKey][] = [
  ["time", "alert.time"],
  ["severity", "col.severity"],
  ["rule", "col.rule"],
  ["organization", "col.organization"],
  ["", "col.entity"],
  ["", "col.summary"],
  ["status", "col.status"],
  ["", "col.assignee"],
  ["age", "alert.age"],
  ["", "alert.due"],
];

/** Bulk actions valid for every alert the status filter can show. */
const BULK: Record<string, TriageButton[]> = {
  open: ["acknowledge", "assignMe", "assign", "close", "note"],
  acknowledged: ["assignMe", "assign", "close", "note"],
  closed: ["reopen", "note"],
  "": ["acknowledge", "assignMe", "assign", "close", "note"],
};

export default async function AlertQueue({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser();
  const params = await searchParams;
  const scope = await pageScope(user, /^\d{6}$/.test(params.organization ?? "") ? params.organization : undefined);
  const parsed = await parseQueueParams(params, scope, user.login);
  const { query, range } = parsed;
  const canTriage = user.role === "admin" || user.role === "monitor";
  const [result, views, assignees] = await Promise.all([
    parsed.unknownOrganization ? { alerts: [], total: 0, page: 1, size: query.size ?? 50 } : queueAlerts(query, scope),
    listViews(user.id),
    canTriage ? assigneesFor(query.organization ? [query.organization] : [], scope) : [],
  ]);
  await recordAudit({
    actorId: user.id,
    actorLogin: user.login,
    action: "alert_list_view",
    scope: scope.recorded,
    details: {
      from: range.from,
      to: range.to,
      status: query.status,
      severity: query.severity,
      organization: query.organization,
      rule: params.rule,
      page: result.page,
    },
  });
  const names = new Map(parsed.organizations.map((o) => [o.id, o.name]));
  const now = Date.now();
  const detailQuery = rangeQuery(range);
  const rows = result.alerts.map((a): QueueRow => {
    const due = dueAt(a.severity, a.raisedAt);
    return {
      id: a.id,
      href: `/alerts/${a.id}?${detailQuery}`,
      severity: a.severity,
      ruleName: a.rule.name,
      organizationName: names.get(a.organization.id) ?? a.organization.id,
      organizationId: a.organization.id,
      entity: a.entity.id,
      time: formatJst(a.window.start),
      summary: a.summary,
      status: a.status,
      assignee: a.assignee ?? "",
      age: formatDuration(ageMs(a.raisedAt, now)),
      due: a.status === "closed" ? "—" : formatJst(due),
      overdue: a.status !== "closed" && due.getTime() < now,
    };
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const groups = groupIncidents(result.alerts).map((g) => ({ head: byId.get(g.head.id)!, members: g.members.map((a) => byId.get(a.id)!) }));
  const current = new URLSearchParams(Object.entries(params).filter(([, v]) => typeof v === "string" && v !== "") as [string, string][]);
  const link = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(current);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined) next.delete(k);
      else next.set(k, v);
    }
    return `/alerts?${next.toString()}`;
  };
  const headers: SortHeader[] = COLUMNS.map(([key, label]) => {
    const active = key !== "" && query.sort === key;
    return {
      key: key || label,
      label: t(label),
      href: key ? link({ sort: key, dir: active && query.dir === "desc" ? "asc" : "desc", page: undefined }) : "",
      sort: active ? (query.dir === "asc" ? "ascending" : "descending") : undefined,
    };
  });
  const pages = Math.max(1, Math.ceil(result.total / result.size));
  const first = (result.page - 1) * result.size;
  const around = [...new Set([1, result.page - 2, result.page - 1, result.page, result.page + 1, result.page + 2, pages])].filter((p) => p >= 1 && p <= pages);
  const filterQuery = (() => {
    const f = new URLSearchParams(current);
    f.delete("page");
    return f.toString();
  })();
  return (
    <>
      <div className="pagehead">
        <h1>{t("alert.listTitle")}</h1>
        <span data-testid="alert-total">
          {result.total.toLocaleString("ja-JP")} {t("alert.total")}
        </span>
        <RangePicker current={range.key} />
      </div>
      <ArchiveBanner stream="alerts" from={range.from} to={range.to} user={user} />
      <QueueFilters parsed={parsed} params={params} sizes={[...PAGE_SIZES]} />
      {parsed.unknownOrganization && (
        <p className="error" role="alert">
          {t("alert.unknownOrganization")}
        </p>
      )}
      <SavedViews views={views} query={filterQuery} />
      {rows.length === 0 ? (
        <p>{t("alert.none")}</p>
      ) : (
        <QueueTable
          groups={groups}
          headers={headers}
          total={result.total}
          filter={filterQuery}
          canTriage={canTriage}
          buttons={BULK[query.status ?? ""]}
          assignees={assignees.map((u) => ({ login: u.login, name: `${u.name}・${names.get(u.organizationId) ?? u.organizationId}` }))}
          me={user.login}
        />
      )}
      <nav className="pager" aria-label={t("alert.pages")}>
        <span>
          {result.total.toLocaleString("ja-JP")}
          {t("alert.rangeOf")} {result.total ? (first + 1).toLocaleString("ja-JP") : 0}–{Math.min(first + result.size, result.total).toLocaleString("ja-JP")}
        </span>
        {result.page > 1 && <Link href={link({ page: String(result.page - 1) })}>{t("alert.prev")}</Link>}
        {around.map((p) =>
          p === result.page ? (
            <strong key={p} aria-current="page">
              {p}
            </strong>
          ) : (
            <Link key={p} href={link({ page: String(p) })} aria-label={`${p} ${t("alert.page")}`}>
              {p}
            </Link>
          ),
        )}
        {result.page < pages && <Link href={link({ page: String(result.page + 1) })}>{t("alert.next")}</Link>}
      </nav>
      <p className="small">
        {t("alert.keys")} {t("alert.groupNote")} {t("alert.dueRule")}
      </p>
    </>
  );
}

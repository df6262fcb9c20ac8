import Link from "@/components/Link";
import { markReadAction } from "@/app/_actions/notifications";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { db } from "@/lib/db";
import { formatJst, t, type MessageKey } from "@/lib/i18n";
import { listNotifications, PAGE_SIZE } from "@/domain/notifications/inbox";
import { typeLabel } from "@/domain/notifications/text";

export const dynamic = "force-dynamic";

/** The signed-in user's notifications, newest first: unread ones marked, each linking to its object in the console. */
export default async function NotificationsPage({ searchParams }: { searchParams: Promise<{ unread?: string; page?: string }> }) {
  const user = await requireUser();
  const scope = await pageScope(user);
  const sp = await searchParams;
  const unreadOnly = sp.unread === "1";
  const page = Math.max(0, Math.min(10_000, Number.parseInt(sp.page ?? "0", 10) || 0));
  const { items, total } = await listNotifications(user.id, scope, { unreadOnly, page });
  const orgs = new Map(
    (await db().organization.findMany({ where: { id: { in: [...new Set(items.map((i) => i.organizationId))] } }, select: { id: true, name: true } })).map(
      (o) => [o.id, o.name],
    ),
  );
  const here = `/notifications${unreadOnly || page ? `?${new URLSearchParams({ ...(unreadOnly ? { unread: "1" } : {}), ...(page ? { page: String(page) } : {}) })}` : ""}`;
  const link = (p: number) => `/notifications?${new URLSearchParams({ ...(unreadOnly ? { unread: "1" } : {}), page: String(p) })}`;
  return (
    <>
      <div className="pagehead">
        <h1>{t("notify.title")}</h1>
        <Link href="/notifications/preferences">{t("notify.navPreferences")}</Link>
      </div>
      <nav className="filters" aria-label={t("notify.filter")}>
        {unreadOnly ? <Link href="/notifications">{t("notify.all")}</Link> : <strong>{t("notify.all")}</strong>}
        {unreadOnly ? <strong>{t("notify.onlyUnread")}</strong> : <Link href="/notifications?unread=1">{t("notify.onlyUnread")}</Link>}
        <form action={markReadAction} className="inline">
          <input type="hidden" name="all" value="1" />
          <input type="hidden" name="back" value={here} />
          <button type="submit">{t("notify.markAllRead")}</button>
        </form>
      </nav>
      {items.length === 0 ? (
        <p>{t("notify.none")}</p>
      ) : (
        <form action={markReadAction}>
          <input type="hidden" name="back" value={here} />
          <table data-testid="notification-list">
            <thead>
              <tr>
                <th>
                  <span className="sr-only">{t("notify.markRead")}</span>
                </th>
                <th>{t("notify.colAt")}</th>
                <th>{t("notify.colSeverity")}</th>
                <th>{t("notify.colType")}</th>
                <th>{t("notify.colOrganization")}</th>
                <th>{t("notify.colTitle")}</th>
                <th>{t("notify.colState")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((n) => (
                <tr key={n.id} className={n.read ? undefined : "unread"}>
                  <td>{!n.read && <input type="checkbox" name="id" value={n.id} aria-label={`${t("notify.markRead")}: ${n.title}`} />}</td>
                  <td>{formatJst(n.at)}</td>
                  <td>
                    <span className={`sev sev-${n.severity}`}>{t(`severity.${n.severity}` as MessageKey) ?? n.severity}</span>
                  </td>
                  <td>{typeLabel(n.type)}</td>
                  <td title={n.organizationId}>{orgs.get(n.organizationId) ?? n.organizationId}</td>
                  <td>
                    <Link href={n.path}>{n.title}</Link>
                    {n.lines.length > 0 && <div className="small">{n.lines.join(" ／ ")}</div>}
                  </td>
                  <td>{n.read ? t("notify.read") : t("notify.unread")}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="submit">{t("notify.markRead")}</button>
        </form>
      )}
      {total > PAGE_SIZE && (
        <nav className="pager" aria-label={t("notify.pages")}>
          {page > 0 && <Link href={link(page - 1)}>{t("notify.previous")}</Link>}
          <span>
            {page * PAGE_SIZE + 1}–{Math.min(total, (page + 1) * PAGE_SIZE)} / {total}
          </span>
          {(page + 1) * PAGE_SIZE < total && <Link href={link(page + 1)}>{t("notify.next")}</Link>}
        </nav>
      )}
    </>
  );
}

/**
 * The console's frame (header with the navigation of the user's role, then the page), shared by the
 * console layout and the pages that also render outside it: the forbidden page and the 404 of an
 * unknown address, which keep the header for a signed-in user.
 */
import Link from "@/components/Link";
import { NavLink } from "@/components/NavLink";
import type { ReactNode } from "react";
import { SignOutButton } from "@/components/SignOutButton";
import type { SessionUser } from "@/lib/auth/principal";
import { db } from "@/lib/db";
import { t, type MessageKey } from "@/lib/i18n";
import { scopeOf } from "@/lib/auth/scope";
import { unreadCount } from "@/domain/notifications/inbox";
import "@/app/console.css";

export async function ConsoleShell({ user, children }: { user: SessionUser; children: ReactNode }) {
  const org = await db().organization.findUnique({ where: { id: user.organizationId }, select: { name: true, kind: true } });
  // The unread count of the user's own notifications, in scope (an auditor outside an engagement's access period has none).
  const unread = await scopeOf(user).then(
    (scope) => unreadCount(user.id, scope),
    () => 0,
  );
  const admin = user.role === "admin";
  const staff = admin || user.role === "monitor";
  const centre = org?.kind === "prefecture" || org?.kind === "national";
  /** The navigation in groups by the work they serve; each link shown to the roles that may open its page. */
  const nav: [MessageKey, [string, MessageKey, boolean][]][] = [
    [
      "nav.group.monitoring",
      [
        ["/dashboard", "nav.dashboard", true],
        ["/alerts", "nav.alerts", true],
        ["/incidents", "nav.incidents", user.role !== "auditor"],
        ["/events", "nav.events", true],
      ],
    ],
    [
      "nav.group.inspection",
      [
        ["/checklist", "nav.checklist", true],
        ["/reviews", "reviews.nav", true],
        ["/system-work", "systemWork.nav", user.role !== "auditor"],
        ["/audits", "nav.audits", true],
      ],
    ],
    [
      "nav.group.reports",
      [
        ["/reports/usage", "stats.nav.usage", true],
        ["/reports/provisions", "stats.nav.provisions", true],
        ["/reports/annual", "annual.nav", staff && org?.kind === "prefecture"],
        ["/disclosure", "disclosure.nav", user.role !== "auditor"],
      ],
    ],
    [
      "nav.group.registers",
      [
        ["/registers/equipment", "registers.equipment.nav", true],
        ["/registers/cards", "registers.cards.nav", true],
        ["/registers/training", "registers.nav.training", user.role !== "auditor"],
      ],
    ],
    [
      "nav.group.admin",
      [
        ["/audit-trail", "nav.auditTrail", staff],
        ["/admin/users", "nav.admin", admin],
        ["/admin/detection", "nav.adminDetection", admin],
        ["/admin/nodes", "nav.adminNodes", admin],
        ["/admin/registry", "nav.adminRegistry", admin],
        ["/admin/permits", "nav.adminPermits", admin],
        ["/admin/contacts", "nav.adminContacts", admin],
        ["/admin/notifications", "notify.navAdmin", admin],
        // The archive (domain/archive): admins of a prefecture or of the national centre.
        ["/admin/archive", "archive.nav", admin && centre],
      ],
    ],
  ];
  return (
    <div className="console">
      <header>
        <span className="brand">{t("app.name")}</span>
        <nav aria-label={t("nav.label")}>
          {nav.map(([group, links]) => {
            const shown = links.filter(([, , show]) => show);
            return shown.length ? (
              <div key={group} className="navgroup" role="group" aria-label={t(group)}>
                <span className="navgroup-label" aria-hidden="true">
                  {t(group)}
                </span>
                {shown.map(([href, key]) => (
                  <NavLink key={href} href={href}>
                    {t(key)}
                  </NavLink>
                ))}
              </div>
            ) : null;
          })}
        </nav>
        <Link href="/notifications" className="inbox" data-testid="unread-notifications" data-unread={unread}>
          {t("notify.nav")}
          {unread > 0 && (
            <span className="badge">
              <span className="sr-only">{t("notify.unreadCount")}</span>
              {unread > 99 ? "99+" : unread}
            </span>
          )}
        </Link>
        <span className="who">
          {user.name}（{org?.name} / {t(`role.${user.role}` as MessageKey)}）
        </span>
        <SignOutButton />
      </header>
      <main>{children}</main>
    </div>
  );
}

/** A message page (404, 403) with a heading, a text and a way back. */
export function MessagePage({ title, body, testId }: { title: string; body: string; testId: string }) {
  return (
    <section className="errorpage" data-testid={testId}>
      <h1>{title}</h1>
      <p>{body}</p>
      <Link href="/dashboard">{t("dashboard.toDashboard")}</Link>
    </section>
  );
}

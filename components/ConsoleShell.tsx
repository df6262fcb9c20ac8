/**
 * The console's frame (header with the navigation of the user's role, then the page), shared by the
 * console layout and the pages that also render outside it: the forbidden page and the 404 of an
 * unknown address, which keep the header for a signed-in user.
 */
import Link from "@/components/Link";
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
  const nav: [string, MessageKey, boolean][] = [
    ["/dashboard", "nav.dashboard", true],
    ["/alerts", "nav.alerts", true],
    ["/incidents", "nav.incidents", user.role !== "auditor"],
    ["/events", "nav.events", true],
    ["/checklist", "nav.checklist", true],
    ["/reviews", "reviews.nav", true],
    ["/system-work", "systemWork.nav", user.role !== "auditor"],
    ["/audits", "nav.audits", true],
    ["/reports/usage", "stats.nav.usage", true],
    ["/reports/provisions", "stats.nav.provisions", true],
    ["/reports/annual", "annual.nav", (user.role === "admin" || user.role === "monitor") && org?.kind === "prefecture"],
    // 台帳 (issue 17): the registers.
    ["/registers/equipment", "registers.equipment.nav", true],
    ["/registers/cards", "registers.cards.nav", true],
    ["/registers/training", "registers.nav.training", user.role !== "auditor"],
    ["/disclosure", "disclosure.nav", user.role !== "auditor"],
    ["/audit-trail", "nav.auditTrail", user.role === "admin" || user.role === "monitor"],
    ["/admin/users", "nav.admin", user.role === "admin"],
    ["/admin/detection", "nav.adminDetection", user.role === "admin"],
    ["/admin/nodes", "nav.adminNodes", user.role === "admin"],
    ["/admin/registry", "nav.adminRegistry", user.role === "admin"],
    ["/admin/permits", "nav.adminPermits", user.role === "admin"],
    ["/admin/contacts", "nav.adminContacts", user.role === "admin"],
    ["/admin/notifications", "notify.navAdmin", user.role === "admin"],
    // The archive (domain/archive): admins of a prefecture or of the national centre.
    ["/admin/archive", "archive.nav", user.role === "admin" && (org?.kind === "prefecture" || org?.kind === "national")],
  ];
  return (
    <div className="console">
      <header>
        <span className="brand">{t("app.name")}</span>
        <nav aria-label="main">
          {nav
            .filter(([, , show]) => show)
            .map(([href, key]) => (
              <Link key={href} href={href}>
                {t(key)}
              </Link>
            ))}
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

/** The dashboard's headline tiles and the banner shown when no data arrives at all. */
import Link from "@/components/Link";
import type { dashboardData } from "@/domain/dashboard";
import { formatJst, t, type MessageKey } from "@/lib/i18n";

type Dashboard = Awaited<ReturnType<typeof dashboardData>>;

export function IntakeBanner({ intake }: { intake: Dashboard["intake"] }) {
  if (!intake.stalled) return null;
  return (
    <div className="banner" role="alert" data-testid="intake-banner">
      <strong>{t("dashboard.intakeStalled")}</strong>
      <p>
        {intake.lastArrival
          ? t("dashboard.intakeStalledDetail").replace("{t}", String(intake.shortestThresholdMinutes)).replace("{at}", formatJst(intake.lastArrival))
          : t("dashboard.intakeNever")}
      </p>
    </div>
  );
}

/** Open alerts by severity, silent nodes and overdue self-inspections; each tile opens the filtered list. */
export function DashboardTiles({
  d,
  rangeQuery,
  admin,
  incidents,
  reviews,
}: {
  d: Dashboard;
  rangeQuery: string;
  admin: boolean;
  /** Open incidents (drills apart) and overdue upward reports in scope; absent for auditors. */
  incidents?: { open: number; overdue: number };
  /** Log reviews past their due date and not done, in scope (domain/reviews). */
  reviews?: { overdue: number };
}) {
  const tiles: { key: string; label: string; value: number; href: string; alert: boolean }[] = [
    ...d.openBySeverity.map((s) => ({
      key: `open-${s.severity}`,
      label: t("dashboard.tile.openAlerts").replace("{s}", t(`severity.${s.severity}` as MessageKey)),
      value: s.count,
      href: `/alerts?status=open&severity=${s.severity}&${rangeQuery}`,
      alert: s.count > 0 && (s.severity === "critical" || s.severity === "high"),
    })),
    {
      key: "silent-nodes",
      label: t("dashboard.tile.silentNodes"),
      value: d.silentNodes,
      // Admins manage the nodes; everyone else sees the node table below.
      href: admin ? "/admin/nodes" : "#nodes",
      alert: d.silentNodes > 0,
    },
    { key: "overdue-checklists", label: t("dashboard.tile.overdueChecklists"), value: d.overdueChecklists, href: "/checklist", alert: d.overdueChecklists > 0 },
    ...(incidents
      ? [
          { key: "open-incidents", label: t("incident.openTile"), value: incidents.open, href: "/incidents?status=open", alert: false },
          {
            key: "overdue-incidents",
            label: t("incident.overdueTile"),
            value: incidents.overdue,
            href: "/incidents?status=open",
            alert: incidents.overdue > 0,
          },
        ]
      : []),
    ...(reviews
      ? [{ key: "overdue-reviews", label: t("reviews.overdueTile"), value: reviews.overdue, href: "/reviews?overdue=1", alert: reviews.overdue > 0 }]
      : []),
  ];
  return (
    <section className="tiles" aria-label={t("dashboard.tiles")}>
      {tiles.map((x) => (
        <Link key={x.key} href={x.href} className={x.alert ? "tile alert" : "tile"} data-testid={`tile-${x.key}`}>
          <span className="tile-label">{x.label}</span>
          <span className="tile-value">{x.value.toLocaleString("ja-JP")}</span>
        </Link>
      ))}
      <span className="muted tile-note">{t("dashboard.tile.rangeNote")}</span>
    </section>
  );
}

import Link from "@/components/Link";
import { saveEquipmentAction } from "@/app/_actions/registers";
import { Flash } from "@/components/incidents/Flash";
import { EquipmentImport } from "@/components/registers/EquipmentImport";
import {
  EQUIPMENT_COLUMNS,
  EQUIPMENT_KINDS,
  EQUIPMENT_STATUSES,
  fiscalYearRange,
  KIND_NAMES,
  listEquipment,
  STATUS_NAMES,
  withRenewal,
} from "@/domain/registers/equipment";
import { recordAudit } from "@/lib/audit/trail";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { fiscalYear } from "@/lib/calendar";
import { db } from "@/lib/db";
import { formatDateOnly, t, type MessageKey } from "@/lib/i18n";

export const dynamic = "force-dynamic";

const VIEWS = ["past_maintenance", "renewal_due"] as const;
const PROBLEMS = [
  "required",
  "too_long",
  "bad_kind",
  "bad_status",
  "bad_date",
  "bad_organization",
  "outside_scope",
  "unknown_node",
  "unknown_terminal",
  "disposal_incomplete",
  "duplicate",
  "formula",
] as const;

/** The equipment register of the caller's scope (one organisation, a status or a view when asked), the import, the export and the form to add a device. */
export default async function EquipmentPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser();
  const sp = await searchParams;
  const organization = sp.organization || undefined;
  const scope = await pageScope(user, organization);
  const status = (EQUIPMENT_STATUSES as readonly string[]).includes(sp.status) ? sp.status : undefined;
  const view = (VIEWS as readonly string[]).includes(sp.view) ? (sp.view as (typeof VIEWS)[number]) : undefined;
  const now = new Date();
  const fy = fiscalYearRange(fiscalYear(now));
  let rows = await withRenewal(await listEquipment(scope, { organizationId: organization, status }));
  if (view === "past_maintenance") rows = rows.filter((e) => e.status === "in_service" && e.maintenanceEnd && e.maintenanceEnd < now);
  if (view === "renewal_due") rows = rows.filter((e) => e.status !== "retired" && e.renewal && e.renewal >= fy.from && e.renewal < fy.to);
  const orgs = await db().organization.findMany({ where: scope.where("id"), select: { id: true, name: true }, orderBy: { id: "asc" } });
  const name = new Map(orgs.map((o) => [o.id, o.name]));
  await recordAudit({
    actorId: user.id,
    actorLogin: user.login,
    action: "equipment_view",
    scope: scope.recorded,
    organizationId: organization ?? null,
    details: { status, view },
  });
  const keeper = user.role === "admin" || user.role === "municipal_officer";
  const q = (extra: Record<string, string | undefined>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ organization, ...extra })) if (v) p.set(k, v);
    return `/registers/equipment${p.size ? `?${p}` : ""}`;
  };
  return (
    <>
      <div className="pagehead">
        <h1>{t("registers.equipment.title")}</h1>
        <a className="pill" href={`/api/registers/equipment/export${organization ? `?organization=${organization}` : ""}`} data-testid="equipment-export">
          {t("registers.equipment.export")}
        </a>
      </div>
      <Flash ok={sp.ok} error={sp.error} />
      <nav aria-label={t("registers.equipment.col.status")} className="range">
        <Link href={q({})} aria-current={!status && !view ? "page" : undefined}>
          {t("registers.equipment.filterAll")}
        </Link>
        {EQUIPMENT_STATUSES.map((s) => (
          <Link key={s} href={q({ status: s })} aria-current={s === status ? "page" : undefined}>
            {STATUS_NAMES[s]}
          </Link>
        ))}
        {VIEWS.map((v) => (
          <Link key={v} href={q({ view: v })} aria-current={v === view ? "page" : undefined}>
            {t(`registers.equipment.view.${v}`)}
          </Link>
        ))}
      </nav>
      {rows.length === 0 ? (
        <p>{t("registers.equipment.none")}</p>
      ) : (
        <table data-testid="equipment-list">
          <thead>
            <tr>
              <th>{t("registers.equipment.col.organization")}</th>
              <th>{t("registers.equipment.col.assetNo")}</th>
              <th>{t("registers.equipment.col.kind")}</th>
              <th>{t("registers.equipment.col.name")}</th>
              <th>{t("registers.equipment.col.location")}</th>
              <th>{t("registers.equipment.col.installedOn")}</th>
              <th>{t("registers.equipment.col.maintenanceEnd")}</th>
              <th>{t("registers.equipment.col.plannedRenewal")}</th>
              <th>{t("registers.equipment.col.status")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => {
              const past = e.status === "in_service" && e.maintenanceEnd && e.maintenanceEnd < now;
              return (
                <tr key={e.id} className={past ? "warn" : undefined}>
                  <td>{name.get(e.organizationId) ?? e.organizationId}</td>
                  <td>
                    <Link href={`/registers/equipment/${e.id}`}>{e.assetNo}</Link>
                  </td>
                  <td>{KIND_NAMES[e.kind as keyof typeof KIND_NAMES] ?? e.kind}</td>
                  <td>{e.name}</td>
                  <td>{e.location ?? "—"}</td>
                  <td>{e.installedOn ? formatDateOnly(e.installedOn) : "—"}</td>
                  <td>
                    {e.maintenanceEnd ? formatDateOnly(e.maintenanceEnd) : "—"}
                    {past && <strong> {t("registers.equipment.pastMaintenance")}</strong>}
                  </td>
                  <td>{e.renewal ? formatDateOnly(e.renewal) : "—"}</td>
                  <td>{STATUS_NAMES[e.status as keyof typeof STATUS_NAMES] ?? e.status}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {keeper && (
        <>
          <EquipmentImport
            labels={{
              heading: t("registers.equipment.import"),
              help: t("registers.equipment.importHelp"),
              file: t("registers.equipment.file"),
              dryRun: t("registers.equipment.dryRun"),
              button: t("registers.equipment.importButton"),
              problems: t("registers.equipment.problems"),
              row: t("registers.equipment.row"),
              column: t("registers.equipment.column"),
              result: t("registers.equipment.importResult"),
              stored: t("registers.equipment.importStored"),
              checked: t("registers.equipment.importChecked"),
              problemNames: Object.fromEntries(PROBLEMS.map((p) => [p, t(`registers.equipment.problem.${p}` as MessageKey)])),
            }}
          />
          <form action={saveEquipmentAction} className="card" aria-label={t("registers.equipment.new")} data-testid="equipment-form">
            <h2>{t("registers.equipment.new")}</h2>
            <label>
              {EQUIPMENT_COLUMNS.organizationId}
              <select name="organizationId" defaultValue={organization ?? user.organizationId}>
                {orgs.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}（{o.id}）
                  </option>
                ))}
              </select>
            </label>
            <label>
              {EQUIPMENT_COLUMNS.assetNo}
              <input name="assetNo" required maxLength={200} />
            </label>
            <label>
              {EQUIPMENT_COLUMNS.kind}
              <select name="kind">
                {EQUIPMENT_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {KIND_NAMES[k]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {EQUIPMENT_COLUMNS.name}
              <input name="name" required maxLength={200} />
            </label>
            {(["location", "nodeId", "terminalId"] as const).map((f) => (
              <label key={f}>
                {EQUIPMENT_COLUMNS[f]}
                <input name={f} maxLength={200} />
              </label>
            ))}
            {(["installedOn", "maintenanceEnd", "plannedRenewal"] as const).map((f) => (
              <label key={f}>
                {EQUIPMENT_COLUMNS[f]}
                <input type="date" name={f} />
              </label>
            ))}
            <label>
              {EQUIPMENT_COLUMNS.status}
              <select name="status">
                {EQUIPMENT_STATUSES.filter((s) => s !== "retired").map((s) => (
                  <option key={s} value={s}>
                    {STATUS_NAMES[s]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {EQUIPMENT_COLUMNS.note}
              <input name="note" maxLength={200} />
            </label>
            <button type="submit">{t("registers.equipment.save")}</button>
          </form>
        </>
      )}
    </>
  );
}

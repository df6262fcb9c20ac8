import Link from "@/components/Link";
import { notFound, redirect } from "next/navigation";
import { retireEquipmentAction } from "@/app/_actions/registers";
import { Flash } from "@/components/incidents/Flash";
import { EQUIPMENT_COLUMNS, getEquipment, KIND_NAMES, STATUS_NAMES, withRenewal } from "@/domain/registers/equipment";
import { recordAudit } from "@/lib/audit/trail";
import { AuthError } from "@/lib/auth/principal";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { db } from "@/lib/db";
import { formatDateOnly, t } from "@/lib/i18n";

export const dynamic = "force-dynamic";

/** One device of the equipment register: its record, renewal and disposal; the disposal form for its keepers. */
export default async function EquipmentDetailPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string>>;
}) {
  const user = await requireUser();
  const { id: raw } = await params;
  const sp = await searchParams;
  const scope = await pageScope(user);
  let row;
  try {
    row = await getEquipment(scope, /^\d{1,9}$/.test(raw) ? Number(raw) : 0);
  } catch (e) {
    if (e instanceof AuthError && e.status === 404) notFound();
    if (e instanceof AuthError) redirect("/forbidden");
    throw e;
  }
  const [e] = await withRenewal([row]);
  const org = await db().organization.findFirst({ where: { id: e.organizationId, ...scope.where("id") }, select: { name: true } });
  await recordAudit({
    actorId: user.id,
    actorLogin: user.login,
    action: "equipment_view",
    target: String(e.id),
    organizationId: e.organizationId,
    scope: scope.recorded,
  });
  const date = (d: Date | null) => (d ? formatDateOnly(d) : "—");
  const fields: [string, string][] = [
    [t("registers.equipment.col.organization"), `${org?.name ?? ""}（${e.organizationId}）`],
    [EQUIPMENT_COLUMNS.assetNo, e.assetNo],
    [EQUIPMENT_COLUMNS.kind, KIND_NAMES[e.kind as keyof typeof KIND_NAMES] ?? e.kind],
    [EQUIPMENT_COLUMNS.name, e.name],
    [EQUIPMENT_COLUMNS.location, e.location ?? "—"],
    [EQUIPMENT_COLUMNS.nodeId, e.nodeId ?? "—"],
    [EQUIPMENT_COLUMNS.terminalId, e.terminalId ?? "—"],
    [EQUIPMENT_COLUMNS.installedOn, date(e.installedOn)],
    [EQUIPMENT_COLUMNS.maintenanceEnd, date(e.maintenanceEnd)],
    [EQUIPMENT_COLUMNS.plannedRenewal, date(e.renewal)],
    [EQUIPMENT_COLUMNS.status, STATUS_NAMES[e.status as keyof typeof STATUS_NAMES] ?? e.status],
    [EQUIPMENT_COLUMNS.disposedOn, date(e.disposedOn)],
    [EQUIPMENT_COLUMNS.wipeMethod, e.wipeMethod ?? "—"],
    [EQUIPMENT_COLUMNS.wipedBy, e.wipedBy ?? "—"],
    [EQUIPMENT_COLUMNS.note, e.note ?? "—"],
  ];
  const keeper = (user.role === "admin" || user.role === "municipal_officer") && e.status !== "retired";
  return (
    <>
      <div className="pagehead">
        <h1>
          {t("registers.equipment.detail")}：{e.name}
        </h1>
        <Link className="pill" href="/registers/equipment">
          {t("registers.equipment.back")}
        </Link>
      </div>
      <Flash ok={sp.ok} error={sp.error} />
      <dl data-testid="equipment-detail">
        {fields.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {keeper && (
        <form action={retireEquipmentAction} className="card" aria-label={t("registers.equipment.retire")}>
          <h2>{t("registers.equipment.retire")}</h2>
          <input type="hidden" name="id" value={e.id} />
          <label>
            {EQUIPMENT_COLUMNS.disposedOn}
            <input type="date" name="disposedOn" required />
          </label>
          <label>
            {EQUIPMENT_COLUMNS.wipeMethod}
            <input name="wipeMethod" required maxLength={200} />
          </label>
          <label>
            {EQUIPMENT_COLUMNS.wipedBy}
            <input name="wipedBy" required maxLength={200} />
          </label>
          <button type="submit">{t("registers.equipment.retire")}</button>
        </form>
      )}
    </>
  );
}

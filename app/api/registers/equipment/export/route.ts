import { exportEquipment } from "@/domain/registers/equipment";
import { recordAudit } from "@/lib/audit/trail";
import { principalOf, withScope } from "@/lib/auth/route";

export const runtime = "nodejs";

/** GET ?organization= — the equipment register of the scope (or of one organisation in it: 403 otherwise) as XLSX, in the import's columns. */
export const GET = withScope(async (req, scope) => {
  const organization = new URL(req.url).searchParams.get("organization") || undefined;
  const body = await exportEquipment(scope, organization);
  const actor = principalOf(scope);
  await recordAudit({ actorId: actor.id, actorLogin: actor.login, action: "equipment_exported", organizationId: organization ?? null, scope: scope.recorded });
  return new Response(new Uint8Array(body), {
    headers: {
      "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "content-disposition": `attachment; filename="equipment-${organization ?? "all"}.xlsx"`,
      "cache-control": "no-store",
    },
  });
});

import { EquipmentError, importEquipment } from "@/domain/registers/equipment";
import { recordAudit } from "@/lib/audit/trail";
import { AuthError } from "@/lib/auth/principal";
import { principalOf, withScope } from "@/lib/auth/route";
import { config } from "@/lib/config";
import { readUpload, UploadError, uploadStatus } from "@/lib/upload";

export const runtime = "nodejs";

/**
 * POST multipart (file: .xlsx or .csv, dryRun: "1" for a check only) — imports an equipment register file
 * (admins and municipal officers, rows of organisations in their scope). 200 with
 * `{ dryRun, rows, stored, created, updated, problems: [{ row, column, problem, detail }] }`: the good rows are
 * stored, each bad row is named; 400 for a file that cannot be read or has a heading that is not a column.
 */
export const POST = withScope(async (req, scope) => {
  const actor = principalOf(scope);
  if (actor.role !== "admin" && actor.role !== "municipal_officer") throw new AuthError(403, "only administrators and municipal officers keep the register");
  let upload;
  try {
    upload = await readUpload(req, config().EVIDENCE_MAX_BYTES);
  } catch (e) {
    if (e instanceof UploadError) return Response.json({ error: e.message, code: e.code }, { status: uploadStatus(e.code) });
    throw e;
  }
  const dryRun = upload.fields.dryRun === "1";
  try {
    const result = await importEquipment(scope, upload.file!, { dryRun });
    await recordAudit({
      actorId: actor.id,
      actorLogin: actor.login,
      action: dryRun ? "equipment_import_checked" : "equipment_imported",
      target: upload.file!.name.slice(0, 200),
      scope: scope.recorded,
      details: { rows: result.rows, stored: result.stored, created: result.created, updated: result.updated, problems: result.problems.length },
    });
    return Response.json(result);
  } catch (e) {
    if (e instanceof EquipmentError) return Response.json({ error: e.message, code: e.code }, { status: 400 });
    throw e;
  }
});

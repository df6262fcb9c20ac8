/**
 * Maintenance windows (連携制御 expected on; updates inside are alerted by
 * `maintenance-window-update`) edited and deleted in the console by the
 * organisation's admin, inside the admin's scope. Windows are added through
 * the registry import (one entry), like a registry file's.
 */
import { z } from "zod";
import { AuthError } from "../../lib/auth/principal";
import { deleteInScope, type Scope } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { t } from "../../lib/i18n";

/** A `datetime-local` value (JST wall-clock) or an ISO date-time with offset, as ISO with offset. */
export const jstInstant = (v: string): string => (v && !/[zZ]|[+-]\d{2}:?\d{2}$/.test(v) ? `${v}${v.length === 16 ? ":00" : ""}+09:00` : v);

export const windowInput = z
  .object({
    organization: z
      .string()
      .trim()
      .regex(/^\d{6}$/, t("admin.err.organization")),
    start: z.string().trim().transform(jstInstant),
    end: z.string().trim().transform(jstInstant),
    note: z
      .string()
      .trim()
      .max(500)
      .transform((v) => v || null),
  })
  .refine((w) => !Number.isNaN(Date.parse(w.start)) && !Number.isNaN(Date.parse(w.end)) && Date.parse(w.start) < Date.parse(w.end), {
    message: t("admin.err.window"),
  });

/** Changes a window of an organisation in scope (to an organisation in scope); 403 outside, 404 when there is none. */
export async function updateMaintenanceWindow(id: number, input: z.infer<typeof windowInput>, scope: Scope) {
  const row = await db().maintenanceWindow.findUnique({ where: { id } });
  if (row && !scope.includes(row.organizationId)) throw new AuthError(403, t("admin.err.outside"));
  scope.require(input.organization);
  const data = { organizationId: input.organization, start: new Date(input.start), end: new Date(input.end), note: input.note };
  const clash = await db().maintenanceWindow.findUnique({
    where: { organizationId_start_end: { organizationId: data.organizationId, start: data.start, end: data.end } },
  });
  if (clash && clash.id !== id) throw new AuthError(403, t("admin.err.window"));
  const res = await db().maintenanceWindow.updateMany({ where: { id, ...scope.where() }, data });
  if (!row || !res.count) throw new AuthError(404, t("admin.err.notFound"));
  return { before: row, after: { id, ...data } };
}

/** Deletes a window of an organisation in scope; returns what was removed. */
export async function removeMaintenanceWindow(id: number, scope: Scope) {
  return deleteInScope(scope, "maintenance window", id, {
    find: (id) => db().maintenanceWindow.findUnique({ where: { id } }),
    deleteMany: (where) => db().maintenanceWindow.deleteMany({ where }),
  });
}

/** The windows of the organisations in scope, newest first. */
export async function listMaintenanceWindows(scope: Scope) {
  return db().maintenanceWindow.findMany({ where: scope.where(), orderBy: [{ start: "desc" }, { id: "desc" }], take: 200 });
}

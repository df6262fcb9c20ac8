/**
 * After-hours permits (時間外使用の承認, INTERFACE.md §5 `after_hours_permits`):
 * approved use of terminals outside business hours by some operators of an
 * organisation (none named = every operator of it) between two instants.
 * Work inside a permit is not `after-hours-access`.
 *
 * Permits come from registry files (domain/registry/import.ts) or are added and
 * removed in the console by the organisation's admin (app/_actions/permits.ts).
 * Both go through a Scope: a permit's organisation must be in it.
 */
import { z } from "zod";
import { deleteInScope, type Scope } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { t } from "../../lib/i18n";
import type { Prisma } from "../../lib/generated/prisma/client";

/** The stored form of the operator list: sorted, distinct, JSON (`[]` = every operator of the organisation). */
export const operatorsKey = (ids: readonly string[] | null | undefined): string => JSON.stringify([...new Set(ids ?? [])].sort());
export const operatorsOf = (stored: string): string[] => JSON.parse(stored) as string[];

export interface PermitEntry {
  organization: string;
  operators?: string[] | null;
  start: string | Date;
  end: string | Date;
  reason?: string | null;
}

/** Inserts or updates (reason) a permit; the key is organisation, start, end and operator set. */
export async function upsertPermit(tx: Prisma.TransactionClient, p: PermitEntry, createdBy: string) {
  const key = { organizationId: p.organization, start: new Date(p.start), end: new Date(p.end), operators: operatorsKey(p.operators) };
  return tx.afterHoursPermit.upsert({
    where: { organizationId_start_end_operators: key },
    create: { ...key, reason: p.reason ?? null, createdBy },
    update: { reason: p.reason ?? null },
  });
}

/** JST wall-clock `datetime-local` values ("2026-05-29T17:15") or ISO with offset. */
const instant = z
  .string()
  .trim()
  .transform((v) => (v && !/[zZ]|[+-]\d{2}:?\d{2}$/.test(v) ? `${v}${v.length === 16 ? ":00" : ""}+09:00` : v))
  .refine((v) => !Number.isNaN(Date.parse(v)), { message: t("admin.err.permitTime") });

/** A permit as the console form sends it: operators as a comma/space separated list (empty = all). */
export const permitInput = z
  .object({
    organization: z
      .string()
      .trim()
      .regex(/^\d{6}$/, t("admin.err.organization")),
    operators: z
      .string()
      .optional()
      .transform((v) =>
        (v ?? "")
          .split(/[\s,、]+/)
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    start: instant,
    end: instant,
    reason: z.string().trim().min(3, t("admin.err.reason")).max(500, t("admin.err.reason")),
  })
  .refine((p) => Date.parse(p.start) < Date.parse(p.end), { message: t("admin.err.permitTime"), path: ["end"] });

export type PermitInput = z.infer<typeof permitInput>;

/** Adds a permit for an organisation in scope (403 otherwise); named operators must belong to that organisation. */
export async function addPermit(input: PermitInput, createdBy: string, scope: Scope) {
  scope.require(input.organization);
  const org = await db().organization.findUnique({ where: { id: input.organization }, select: { id: true } });
  if (!org) throw new Error(t("admin.err.organization"));
  if (input.operators.length) {
    const found = await db().operator.findMany({ where: { id: { in: input.operators } }, select: { id: true, organizationId: true } });
    const orgOf = new Map(found.map((o) => [o.id, o.organizationId]));
    const wrong = input.operators.filter((id) => orgOf.get(id) !== input.organization);
    if (wrong.length) throw new Error(`${t("admin.err.permitOperators")}: ${wrong.join("、")}`);
  }
  return upsertPermit(db(), input, createdBy);
}

/** Removes a permit of an organisation in scope (403 for another organisation's); returns what was removed. */
export async function removePermit(id: number, scope: Scope) {
  return deleteInScope(scope, "permit", id, {
    find: (id) => db().afterHoursPermit.findUnique({ where: { id } }),
    deleteMany: (where) => db().afterHoursPermit.deleteMany({ where }),
  });
}

/** The permits of the organisations in scope, newest first. */
export async function listPermits(scope: Scope) {
  const rows = await db().afterHoursPermit.findMany({ where: scope.where(), orderBy: [{ start: "desc" }, { id: "desc" }] });
  return rows.map((r) => ({ ...r, operatorIds: operatorsOf(r.operators) }));
}

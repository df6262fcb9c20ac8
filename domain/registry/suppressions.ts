/**
 * Suppressions (mute a rule for an entity until a date) and standing
 * exceptions, with who did it and why.
 *
 * Each belongs to an organisation: the entity's own organisation where the
 * registry knows the entity (operator, terminal, host, node, card,
 * organization), else the one the admin chose (recipients, subjects,
 * unregistered hosts), else the admin's own organisation. It can only be
 * added or removed by a caller whose scope contains that organisation, and
 * the detection engine applies it only to alerts of that organisation and its
 * subtree (detectors/engine.ts) — one municipality's suppression never hides
 * another municipality's alert.
 */
import { z } from "zod";
import { AuthError } from "../../lib/auth/principal";
import { deleteInScope, type Scope } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { t } from "../../lib/i18n";
import { RULE_IDS } from "../alerts/rule-ids";

export const ENTITY_TYPES = ["operator", "terminal", "card", "node", "recipient", "subject", "host", "organization"] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export { RULE_IDS, type RuleId } from "../alerts/rule-ids";

const DAY_MS = 86_400_000;

/**
 * The instant a suppression ends (exclusive). A date entered as a date
 * ("2026-12-31") means through the end of that day in JST, so the end is the
 * next day's 00:00 JST; a date-time without an offset is JST wall-clock time.
 * Undefined when the value is no date.
 */
export function suppressionUntil(value: string | Date): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  const v = value.trim();
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (day) {
    const start = Date.parse(`${v}T00:00:00+09:00`);
    const d = new Date(start);
    // Refuse 2026-02-31 and the like (Date.parse rolls them over).
    if (Number.isNaN(start) || new Date(start + 9 * 3_600_000).toISOString().slice(0, 10) !== v) return undefined;
    return new Date(d.getTime() + DAY_MS);
  }
  const withZone = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v) ? `${v}${v.length === 16 ? ":00" : ""}+09:00` : v;
  const t = Date.parse(withZone);
  return v && !Number.isNaN(t) ? new Date(t) : undefined;
}

/** Does a suppression cover an alert whose window starts at `windowStart` (ms), as of `now`? It must exist by then and end after the window starts. */
export function suppressionCovers(s: { until: Date; createdAt: Date }, windowStart: number, now = Date.now()): boolean {
  return s.until.getTime() > windowStart && s.createdAt.getTime() <= now;
}

const entityFields = {
  entityType: z.enum(ENTITY_TYPES, { error: () => t("admin.err.entity") }),
  entityId: z.string().trim().min(1, t("admin.err.entity")).max(128, t("admin.err.entity")),
  /** Used only when the registry cannot tell the entity's organisation. */
  organizationId: z
    .string()
    .trim()
    .regex(/^\d{6}$/, t("admin.err.organization"))
    .optional()
    .or(z.literal("").transform(() => undefined)),
  reason: z.string().trim().min(3, t("admin.err.reason")).max(500, t("admin.err.reason")),
};

export const suppressionInput = z.object({
  ruleId: z.enum(RULE_IDS, { error: () => t("admin.err.rule") }),
  ...entityFields,
  until: z
    .union([z.date(), z.string()])
    .transform((v, ctx) => suppressionUntil(v) ?? (ctx.addIssue({ code: "custom", message: t("admin.err.until") }), z.NEVER)),
});

export const exceptionInput = z.object({ ruleId: z.enum(["*", ...RULE_IDS], { error: () => t("admin.err.rule") }), ...entityFields });

/** The first problem of a refused form, in Japanese. */
export const inputProblem = (e: z.ZodError): string => e.issues[0]?.message ?? t("admin.err.rule");

/** A refused suppression or exception, with the Japanese message the page shows. */
export class SettingError extends Error {}

/** The organisation the registry assigns the entity to, if it knows the entity. */
export async function entityOrganization(entityType: EntityType, entityId: string): Promise<string | undefined> {
  switch (entityType) {
    case "operator":
      return (await db().operator.findUnique({ where: { id: entityId }, select: { organizationId: true } }))?.organizationId;
    case "terminal":
      return (await db().terminal.findUnique({ where: { id: entityId }, select: { organizationId: true } }))?.organizationId;
    case "host":
      return (
        (await db().terminal.findUnique({ where: { id: entityId }, select: { organizationId: true } })) ??
        (await db().terminal.findFirst({ where: { ip: entityId }, select: { organizationId: true }, orderBy: { id: "asc" } }))
      )?.organizationId;
    case "node":
      return (await db().node.findUnique({ where: { id: entityId }, select: { organizationId: true } }))?.organizationId;
    case "card":
      return (await db().icCard.findUnique({ where: { id: entityId }, select: { operator: { select: { organizationId: true } } } }))?.operator.organizationId;
    case "organization":
      return (await db().organization.findUnique({ where: { id: entityId }, select: { id: true } }))?.id;
    default:
      return undefined;
  }
}

/** The owning organisation of a new suppression or exception; 403 when outside the scope. */
async function owningOrganization(input: { entityType: EntityType; entityId: string; organizationId?: string }, scope: Scope): Promise<string> {
  const org = (await entityOrganization(input.entityType, input.entityId)) ?? input.organizationId ?? scope.principal?.organizationId;
  if (!org) throw new SettingError(t("admin.err.entityOrg"));
  if (!scope.includes(org)) throw new AuthError(403, `${t("admin.err.outside")}（${org}）`);
  return org;
}

export async function addSuppression(input: z.infer<typeof suppressionInput>, createdBy: string, scope: Scope, now = Date.now()) {
  if (input.until.getTime() <= now) throw new SettingError(t("admin.err.untilPast"));
  const organizationId = await owningOrganization(input, scope);
  const { ruleId, entityType, entityId, until, reason } = input;
  return db().suppression.create({ data: { ruleId, entityType, entityId, until, reason, organizationId, createdBy } });
}

export async function addException(input: z.infer<typeof exceptionInput>, createdBy: string, scope: Scope) {
  const organizationId = await owningOrganization(input, scope);
  const key = { ruleId: input.ruleId, entityType: input.entityType, entityId: input.entityId, organizationId };
  return db().ruleException.upsert({
    where: { ruleId_entityType_entityId_organizationId: key },
    create: { ...key, reason: input.reason, createdBy },
    update: { reason: input.reason, createdBy },
  });
}

/** Removes a suppression of an organisation in scope (403 for another organisation's); returns what was removed. */
export async function removeSuppression(id: number, scope: Scope) {
  return deleteInScope(scope, "suppression", id, {
    find: (id) => db().suppression.findUnique({ where: { id } }),
    deleteMany: (where) => db().suppression.deleteMany({ where }),
  });
}

/** Removes an exception of an organisation in scope (403 for another organisation's); returns what was removed. */
export async function removeException(id: number, scope: Scope) {
  return deleteInScope(scope, "exception", id, {
    find: (id) => db().ruleException.findUnique({ where: { id } }),
    deleteMany: (where) => db().ruleException.deleteMany({ where }),
  });
}

export async function listSuppressions(scope: Scope) {
  return db().suppression.findMany({ where: scope.where(), orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
}

export async function listExceptions(scope: Scope) {
  return db().ruleException.findMany({ where: scope.where(), orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
}

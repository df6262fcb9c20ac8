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

export const ENTITY_TYPES = ["operator", "terminal", "card", "node", "recipient", "subject", "host", "organization"] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export const suppressionInput = z.object({
  ruleId: z.string().regex(/^[a-z-]{3,64}$/, "a rule id"),
  entityType: z.enum(ENTITY_TYPES),
  entityId: z.string().trim().min(1).max(128),
  /** Used only when the registry cannot tell the entity's organisation. */
  organizationId: z
    .string()
    .trim()
    .regex(/^\d{6}$/, "a 6-digit organisation code")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  until: z.coerce.date(),
  reason: z.string().trim().min(3, "a reason is required").max(500),
});

export const exceptionInput = suppressionInput.omit({ until: true }).extend({ ruleId: z.string().regex(/^(\*|[a-z-]{3,64})$/) });

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
  if (!org) throw new Error(`the organisation of ${input.entityType} "${input.entityId}" is not in the registry: name one`);
  if (!scope.includes(org)) throw new AuthError(403, `${input.entityType} "${input.entityId}" belongs to organisation ${org}, outside your scope`);
  return org;
}

export async function addSuppression(input: z.infer<typeof suppressionInput>, createdBy: string, scope: Scope) {
  if (input.until.getTime() <= Date.now()) throw new Error("the end date must be in the future");
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

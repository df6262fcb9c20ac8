/** Suppressions (mute a rule for an entity until a date) and standing exceptions, with who did it and why. */
import { z } from "zod";
import { db } from "../db";

export const suppressionInput = z.object({
  ruleId: z.string().regex(/^[a-z-]{3,64}$/, "a rule id"),
  entityType: z.enum(["operator", "terminal", "card", "node", "recipient", "subject", "host", "organization"]),
  entityId: z.string().trim().min(1).max(128),
  until: z.coerce.date(),
  reason: z.string().trim().min(3, "a reason is required").max(500),
});

export const exceptionInput = suppressionInput.omit({ until: true }).extend({ ruleId: z.string().regex(/^(\*|[a-z-]{3,64})$/) });

export async function addSuppression(input: z.infer<typeof suppressionInput>, createdBy: string) {
  if (input.until.getTime() <= Date.now()) throw new Error("the end date must be in the future");
  return db().suppression.create({ data: { ...input, createdBy } });
}

export async function addException(input: z.infer<typeof exceptionInput>, createdBy: string) {
  return db().ruleException.upsert({
    where: { ruleId_entityType_entityId: { ruleId: input.ruleId, entityType: input.entityType, entityId: input.entityId } },
    create: { ...input, createdBy },
    update: { reason: input.reason, createdBy },
  });
}

export async function removeSuppression(id: number) {
  await db().suppression.delete({ where: { id } });
}

export async function removeException(id: number) {
  await db().ruleException.delete({ where: { id } });
}

"use server";
/** Server actions of the alert queue and detail: the same domain function as the API, scoped and audited. */
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { triageAlerts } from "../../domain/alerts";
import { recordAudit } from "../../lib/audit/trail";
import { pageScope, requireUser } from "../../lib/auth/pages";

const schema = z.object({
  ids: z
    .array(z.string().regex(/^[0-9a-f]{24}$/))
    .min(1)
    .max(500),
  action: z.enum(["acknowledge", "assign", "close", "reopen", "note"]),
  disposition: z.enum(["true_positive", "false_positive", "benign"]).optional(),
  note: z.string().max(2000).optional(),
});

export async function triageAction(form: FormData): Promise<void> {
  const user = await requireUser(["admin", "monitor"]);
  const parsed = schema.parse({
    ids: form.getAll("ids").map(String),
    action: form.get("action"),
    disposition: form.get("disposition") || undefined,
    note: form.get("note") || undefined,
  });
  const scope = await pageScope(user);
  const changed = await triageAlerts(parsed.ids, { ...parsed, assignee: parsed.action === "assign" ? user.login : undefined }, user.login, scope);
  await recordAudit({
    actorId: user.id,
    actorLogin: user.login,
    action: "alert_triage",
    target: changed.join(","),
    scope: scope.recorded,
    details: { action: parsed.action, disposition: parsed.disposition, note: parsed.note },
  });
  revalidatePath("/alerts");
  for (const id of changed) revalidatePath(`/alerts/${id}`);
}

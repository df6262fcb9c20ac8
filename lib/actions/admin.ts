"use server";
/** Admin server actions: suppressions and exceptions, node tokens. Audited. */
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { recordAudit } from "../audit/trail";
import { requireUser } from "../auth/session";
import { addException, addSuppression, exceptionInput, removeException, removeSuppression, suppressionInput } from "../registry/suppressions";
import { issueNodeToken, revokeNodeToken } from "../registry/tokens";

const fields = (form: FormData) => Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)]));

export async function addSuppressionAction(form: FormData): Promise<void> {
  const admin = await requireUser(["admin"]);
  const parsed = suppressionInput.safeParse(fields(form));
  if (!parsed.success) redirect(`/admin/detection?error=${encodeURIComponent(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "))}`);
  try {
    const s = await addSuppression(parsed.data, admin.loginId);
    await recordAudit({ actorId: admin.id, actorLogin: admin.loginId, action: "suppression_added", target: `${s.ruleId} ${s.entityType}:${s.entityId}`, details: { until: s.until.toISOString(), reason: s.reason } });
  } catch (e) {
    redirect(`/admin/detection?error=${encodeURIComponent((e as Error).message)}`);
  }
  revalidatePath("/admin/detection");
}

export async function addExceptionAction(form: FormData): Promise<void> {
  const admin = await requireUser(["admin"]);
  const parsed = exceptionInput.safeParse(fields(form));
  if (!parsed.success) redirect(`/admin/detection?error=${encodeURIComponent(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "))}`);
  const x = await addException(parsed.data, admin.loginId);
  await recordAudit({ actorId: admin.id, actorLogin: admin.loginId, action: "exception_added", target: `${x.ruleId} ${x.entityType}:${x.entityId}`, details: { reason: x.reason } });
  revalidatePath("/admin/detection");
}

export async function removeDetectionSettingAction(form: FormData): Promise<void> {
  const admin = await requireUser(["admin"]);
  const id = Number(form.get("id"));
  if (form.get("kind") === "suppression") await removeSuppression(id);
  else await removeException(id);
  await recordAudit({ actorId: admin.id, actorLogin: admin.loginId, action: `${form.get("kind")}_removed`, target: String(id) });
  revalidatePath("/admin/detection");
}

export async function issueTokenAction(form: FormData): Promise<void> {
  const admin = await requireUser(["admin"]);
  const t = await issueNodeToken(String(form.get("nodeId")));
  await recordAudit({ actorId: admin.id, actorLogin: admin.loginId, action: "node_token_issued", target: `${t.nodeId} ${t.id}` });
  // Shown once on the next page; never stored in clear.
  redirect(`/admin/nodes?issued=${encodeURIComponent(t.token)}&node=${encodeURIComponent(t.nodeId)}`);
}

export async function revokeTokenAction(form: FormData): Promise<void> {
  const admin = await requireUser(["admin"]);
  const id = String(form.get("tokenId"));
  await revokeNodeToken(id);
  await recordAudit({ actorId: admin.id, actorLogin: admin.loginId, action: "node_token_revoked", target: id });
  revalidatePath("/admin/nodes");
}

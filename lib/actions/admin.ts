"use server";
/** Admin server actions: suppressions and exceptions, node tokens. Audited. */
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { recordAudit } from "../audit/trail";
import { requireUser } from "../auth/session";
import { addException, addSuppression, exceptionInput, removeException, removeSuppression, suppressionInput } from "../registry/suppressions";
import { importRegistry, RegistryImportError } from "../registry/import";
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

/** Registry import from the admin page: the same validation and upsert as `npm run registry:import`. */
export async function importRegistryAction(form: FormData): Promise<void> {
  const admin = await requireUser(["admin"]);
  const file = form.get("file");
  let message: string;
  try {
    if (!(file instanceof File) || file.size === 0) throw new Error("choose a registry JSON file");
    if (file.size > 20 * 1024 * 1024) throw new Error("the file is over 20 MB");
    let input: unknown;
    try {
      input = JSON.parse(await file.text());
    } catch (e) {
      throw new RegistryImportError([`${file.name}: ${(e as Error).message}`]);
    }
    const summary = await importRegistry(input);
    await recordAudit({ actorId: admin.id, actorLogin: admin.loginId, action: "registry_imported", target: file.name, details: { ...summary } });
    message = `ok=${encodeURIComponent(JSON.stringify(summary))}`;
  } catch (e) {
    message = `error=${encodeURIComponent(e instanceof RegistryImportError ? e.problems.join("\n") : (e as Error).message)}`;
  }
  redirect(`/admin/registry?${message}`);
}

/** Declares a maintenance window (連携制御 expected on; updates inside are alerted). */
export async function addMaintenanceWindowAction(form: FormData): Promise<void> {
  const admin = await requireUser(["admin"]);
  const f = fields(form);
  // datetime-local values are JST wall-clock times.
  const jst = (v: string) => (v && !/[zZ]|[+-]\d{2}:\d{2}$/.test(v) ? `${v}:00+09:00` : v);
  const entry = { organization: f.organization, start: jst(f.start), end: jst(f.end), note: f.note || undefined };
  try {
    await importRegistry({ maintenance_windows: [entry] });
    await recordAudit({ actorId: admin.id, actorLogin: admin.loginId, action: "maintenance_window_added", target: entry.organization, details: entry });
  } catch (e) {
    redirect(`/admin/registry?error=${encodeURIComponent(e instanceof RegistryImportError ? e.problems.join("\n") : (e as Error).message)}`);
  }
  revalidatePath("/admin/registry");
  redirect("/admin/registry");
}

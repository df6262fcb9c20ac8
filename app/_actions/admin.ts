"use server";
/**
 * Admin server actions: suppressions and exceptions, node tokens, registry
 * import and maintenance windows. Each works inside the admin's scope (its
 * organisation's subtree, `adminScopeOf`) and is recorded in the audit trail.
 */
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { recordAudit } from "../../lib/audit/trail";
import { requireAdmin } from "../../lib/auth/pages";
import { auditActor, formFields } from "./form";
import { addException, addSuppression, exceptionInput, removeException, removeSuppression, suppressionInput } from "../../domain/registry/suppressions";
import { importRegistry, RegistryImportError } from "../../domain/registry/import";
import { issueNodeToken, revokeNodeToken } from "../../domain/registry/tokens";

export async function addSuppressionAction(form: FormData): Promise<void> {
  const { admin: a, scope } = await requireAdmin();
  const parsed = suppressionInput.safeParse(formFields(form));
  if (!parsed.success) redirect(`/admin/detection?error=${encodeURIComponent(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "))}`);
  try {
    const s = await addSuppression(parsed.data, a.login, scope);
    await recordAudit({
      ...auditActor(a, scope),
      action: "suppression_added",
      target: `${s.ruleId} ${s.entityType}:${s.entityId}`,
      organizationId: s.organizationId,
      details: { id: s.id, until: s.until.toISOString(), reason: s.reason },
    });
  } catch (e) {
    redirect(`/admin/detection?error=${encodeURIComponent((e as Error).message)}`);
  }
  revalidatePath("/admin/detection");
}

export async function addExceptionAction(form: FormData): Promise<void> {
  const { admin: a, scope } = await requireAdmin();
  const parsed = exceptionInput.safeParse(formFields(form));
  if (!parsed.success) redirect(`/admin/detection?error=${encodeURIComponent(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "))}`);
  try {
    const x = await addException(parsed.data, a.login, scope);
    await recordAudit({
      ...auditActor(a, scope),
      action: "exception_added",
      target: `${x.ruleId} ${x.entityType}:${x.entityId}`,
      organizationId: x.organizationId,
      details: { id: x.id, reason: x.reason },
    });
  } catch (e) {
    redirect(`/admin/detection?error=${encodeURIComponent((e as Error).message)}`);
  }
  revalidatePath("/admin/detection");
}

export async function removeDetectionSettingAction(form: FormData): Promise<void> {
  const { admin: a, scope } = await requireAdmin();
  const id = Number(form.get("id"));
  const kind = form.get("kind") === "suppression" ? "suppression" : "exception";
  try {
    const row = kind === "suppression" ? await removeSuppression(id, scope) : await removeException(id, scope);
    await recordAudit({
      ...auditActor(a, scope),
      action: `${kind}_removed`,
      target: `${row.ruleId} ${row.entityType}:${row.entityId}`,
      organizationId: row.organizationId,
      details: { id },
    });
  } catch (e) {
    redirect(`/admin/detection?error=${encodeURIComponent((e as Error).message)}`);
  }
  revalidatePath("/admin/detection");
}

/** What the issue-token form shows: the new token once (it travels only in this action's response, never in a URL). */
export type IssueTokenState = { nodeId?: string; token?: string; error?: string };

export async function issueTokenAction(_prev: IssueTokenState, form: FormData): Promise<IssueTokenState> {
  const { admin: a, scope } = await requireAdmin();
  const nodeId = String(form.get("nodeId"));
  try {
    const t = await issueNodeToken(nodeId, scope);
    await recordAudit({ ...auditActor(a, scope), action: "node_token_issued", target: `${t.nodeId} ${t.id}` });
    revalidatePath("/admin/nodes");
    return { nodeId: t.nodeId, token: t.token };
  } catch (e) {
    return { nodeId, error: (e as Error).message };
  }
}

export async function revokeTokenAction(form: FormData): Promise<void> {
  const { admin: a, scope } = await requireAdmin();
  const id = String(form.get("tokenId"));
  try {
    const { nodeId } = await revokeNodeToken(id, scope);
    await recordAudit({ ...auditActor(a, scope), action: "node_token_revoked", target: `${nodeId} ${id}` });
  } catch (e) {
    redirect(`/admin/nodes?error=${encodeURIComponent((e as Error).message)}`);
  }
  revalidatePath("/admin/nodes");
}

/** Registry import from the admin page: the same validation and upsert as `npm run registry:import`, inside the admin's scope. */
export async function importRegistryAction(form: FormData): Promise<void> {
  const { admin: a, scope } = await requireAdmin();
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
    const summary = await importRegistry(input, scope);
    await recordAudit({ ...auditActor(a, scope), action: "registry_imported", target: file.name, details: { ...summary } });
    message = `ok=${encodeURIComponent(JSON.stringify(summary))}`;
  } catch (e) {
    message = `error=${encodeURIComponent(e instanceof RegistryImportError ? e.problems.join("\n") : (e as Error).message)}`;
  }
  redirect(`/admin/registry?${message}`);
}

/** Declares a maintenance window (連携制御 expected on; updates inside are alerted) for an organisation in scope. */
export async function addMaintenanceWindowAction(form: FormData): Promise<void> {
  const { admin: a, scope } = await requireAdmin();
  const f = formFields(form);
  // datetime-local values are JST wall-clock times.
  const jst = (v: string) => (v && !/[zZ]|[+-]\d{2}:\d{2}$/.test(v) ? `${v}:00+09:00` : v);
  const entry = { organization: f.organization, start: jst(f.start), end: jst(f.end), note: f.note || undefined };
  try {
    await importRegistry({ maintenance_windows: [entry] }, scope);
    await recordAudit({
      ...auditActor(a, scope),
      action: "maintenance_window_added",
      target: entry.organization,
      organizationId: entry.organization,
      details: entry,
    });
  } catch (e) {
    redirect(`/admin/registry?error=${encodeURIComponent(e instanceof RegistryImportError ? e.problems.join("\n") : (e as Error).message)}`);
  }
  revalidatePath("/admin/registry");
  redirect("/admin/registry");
}

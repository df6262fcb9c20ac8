"use server";
/**
 * Admin server actions: suppressions and exceptions, node tokens, registry
 * import (with a dry run) and maintenance windows. Each works inside the
 * admin's scope (its organisation's subtree, `adminScopeOf`), is recorded in
 * the audit trail and answers bad input with a Japanese message on the page.
 */
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { recordAudit } from "../../lib/audit/trail";
import { AuthError } from "../../lib/auth/principal";
import { requireAdmin } from "../../lib/auth/pages";
import { t } from "../../lib/i18n";
import { auditActor, formFields } from "./form";
import {
  addException,
  addSuppression,
  exceptionInput,
  inputProblem,
  removeException,
  removeSuppression,
  SettingError,
  suppressionInput,
} from "../../domain/registry/suppressions";
import { importRegistryChanges, RegistryImportError } from "../../domain/registry/import";
import { describeProblem, type RegistryChanges } from "../../domain/registry/import-changes";
import { issueNodeToken, revokeNodeToken } from "../../domain/registry/tokens";
import { jstInstant, removeMaintenanceWindow, updateMaintenanceWindow, windowInput } from "../../domain/registry/windows";

/** The Japanese message of a refusal (an unexpected error is rethrown: the error page). */
function refusal(e: unknown): string {
  if (e instanceof SettingError) return e.message;
  if (e instanceof RegistryImportError) return e.problems.map((p) => describeProblem(p)).join("\n");
  if (e instanceof AuthError)
    return e.status === 404 ? t("admin.err.notFound") : /[\u3040-\u30ff\u4e00-\u9fff]/.test(e.message) ? e.message : t("admin.err.outside");
  throw e;
}

const back = (page: string, e: unknown): never => redirect(`${page}?error=${encodeURIComponent(refusal(e))}`);

export async function addSuppressionAction(form: FormData): Promise<void> {
  const { admin: a, scope } = await requireAdmin();
  const parsed = suppressionInput.safeParse(formFields(form));
  if (!parsed.success) redirect(`/admin/detection?error=${encodeURIComponent(inputProblem(parsed.error))}`);
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
    back("/admin/detection", e);
  }
  revalidatePath("/admin/detection");
  redirect("/admin/detection");
}

export async function addExceptionAction(form: FormData): Promise<void> {
  const { admin: a, scope } = await requireAdmin();
  const parsed = exceptionInput.safeParse(formFields(form));
  if (!parsed.success) redirect(`/admin/detection?error=${encodeURIComponent(inputProblem(parsed.error))}`);
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
    back("/admin/detection", e);
  }
  revalidatePath("/admin/detection");
  redirect("/admin/detection");
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
    back("/admin/detection", e);
  }
  revalidatePath("/admin/detection");
  redirect("/admin/detection");
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
    return { nodeId, error: e instanceof AuthError ? refusal(e) : t("admin.err.notFound") };
  }
}

export async function revokeTokenAction(form: FormData): Promise<void> {
  const { admin: a, scope } = await requireAdmin();
  const id = String(form.get("tokenId"));
  try {
    const { nodeId } = await revokeNodeToken(id, scope);
    await recordAudit({ ...auditActor(a, scope), action: "node_token_revoked", target: `${nodeId} ${id}` });
  } catch (e) {
    redirect(`/admin/nodes?error=${encodeURIComponent(e instanceof AuthError ? refusal(e) : t("admin.err.notFound"))}`);
  }
  revalidatePath("/admin/nodes");
}

/** What the registry import form shows: the changes of a dry run or an import, or the problems of a refused file (Japanese). */
export type ImportState = { mode?: "dryRun" | "applied"; fileName?: string; changes?: RegistryChanges; problems?: string[] };

/** Registry import from the admin page: the same validation and upsert as `npm run registry:import`, inside the admin's scope; `dryRun=1` rolls it back and shows what would change. */
export async function importRegistryAction(_prev: ImportState, form: FormData): Promise<ImportState> {
  const { admin: a, scope } = await requireAdmin();
  const file = form.get("file");
  const dryRun = form.get("dryRun") === "1";
  if (!(file instanceof File) || file.size === 0) return { problems: [t("admin.err.file")] };
  if (file.size > 20 * 1024 * 1024) return { problems: [t("admin.err.fileSize")] };
  let input: unknown;
  try {
    input = JSON.parse(await file.text());
  } catch (e) {
    return { fileName: file.name, problems: [`${t("admin.err.json")}: ${(e as Error).message}`] };
  }
  try {
    const { summary, changes } = await importRegistryChanges(input, scope, { dryRun });
    if (!dryRun) {
      await recordAudit({ ...auditActor(a, scope), action: "registry_imported", target: file.name, details: { ...summary, changes } });
      revalidatePath("/admin/registry");
    }
    return { mode: dryRun ? "dryRun" : "applied", fileName: file.name, changes };
  } catch (e) {
    if (e instanceof RegistryImportError) return { fileName: file.name, problems: e.problems.map((p) => describeProblem(p, input)) };
    return { fileName: file.name, problems: [refusal(e)] };
  }
}

const WINDOWS = "/admin/registry";

/** Declares a maintenance window (連携制御 expected on; updates inside are alerted) for an organisation in scope. */
export async function addMaintenanceWindowAction(form: FormData): Promise<void> {
  const { admin: a, scope } = await requireAdmin();
  const f = formFields(form);
  const entry = { organization: f.organization, start: jstInstant(f.start ?? ""), end: jstInstant(f.end ?? ""), note: f.note || undefined };
  try {
    await importRegistryChanges({ maintenance_windows: [entry] }, scope);
    await recordAudit({
      ...auditActor(a, scope),
      action: "maintenance_window_added",
      target: entry.organization,
      organizationId: entry.organization,
      details: entry,
    });
  } catch (e) {
    back(WINDOWS, e);
  }
  revalidatePath(WINDOWS);
  redirect(`${WINDOWS}?ok=windowSaved`);
}

/** Changes a maintenance window's organisation, times or note. */
export async function updateMaintenanceWindowAction(form: FormData): Promise<void> {
  const { admin: a, scope } = await requireAdmin();
  const parsed = windowInput.safeParse(formFields(form));
  if (!parsed.success) redirect(`${WINDOWS}?error=${encodeURIComponent(parsed.error.issues[0]?.message ?? t("admin.err.window"))}`);
  try {
    const { before, after } = await updateMaintenanceWindow(Number(form.get("id")), parsed.data, scope);
    await recordAudit({
      ...auditActor(a, scope),
      action: "maintenance_window_changed",
      target: `${after.organizationId} window ${after.id}`,
      organizationId: after.organizationId,
      details: {
        before: { ...before, start: before.start.toISOString(), end: before.end.toISOString() },
        after: { ...after, start: after.start.toISOString(), end: after.end.toISOString() },
      },
    });
  } catch (e) {
    back(WINDOWS, e);
  }
  revalidatePath(WINDOWS);
  redirect(`${WINDOWS}?ok=windowSaved`);
}

export async function removeMaintenanceWindowAction(form: FormData): Promise<void> {
  const { admin: a, scope } = await requireAdmin();
  try {
    const w = await removeMaintenanceWindow(Number(form.get("id")), scope);
    await recordAudit({
      ...auditActor(a, scope),
      action: "maintenance_window_removed",
      target: `${w.organizationId} window ${w.id}`,
      organizationId: w.organizationId,
      details: { start: w.start.toISOString(), end: w.end.toISOString(), note: w.note },
    });
  } catch (e) {
    back(WINDOWS, e);
  }
  revalidatePath(WINDOWS);
  redirect(`${WINDOWS}?ok=windowRemoved`);
}

"use server";
/**
 * Server actions of notifications: a user's own list (mark read) and
 * preferences, and the admin's webhook endpoints (the secret comes back once
 * in the action's state, never in a URL) and delivery retries, inside the
 * admin's scope. Preference and endpoint changes and retries are recorded in
 * the audit trail.
 */
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { recordAudit } from "../../lib/audit/trail";
import { AuthError } from "../../lib/auth/principal";
import { pageScope, requireAdmin, requireUser } from "../../lib/auth/pages";
import { t, type MessageKey } from "../../lib/i18n";
import { auditActor } from "./form";
import { markRead } from "../../domain/notifications/inbox";
import { preferencesInput, savePreferences } from "../../domain/notifications/preferences";
import { createEndpoint, disableEndpoint, endpointInput, retryDelivery } from "../../domain/notifications/endpoints";

export type FormState = { ok?: boolean; message?: string };

/** The form field a refusal names (the first problem's), as the form labels it. */
const FIELD_LABELS: Record<string, MessageKey> = {
  email: "notify.prefs.email",
  types: "notify.prefs.types",
  minSeverity: "notify.prefs.minSeverity",
  quietStart: "notify.prefs.quiet",
  quietEnd: "notify.prefs.quiet",
  organizationId: "notify.admin.organization",
  name: "notify.admin.name",
  url: "notify.admin.url",
};
const fieldOf = (issues: { path: PropertyKey[] }[]): string => {
  const key = FIELD_LABELS[String(issues[0]?.path[0] ?? "")];
  return key ? `：${t(key)}` : "";
};

/** Marks the signed-in user's own notifications read: the ids posted, or every one (`all=1`). */
export async function markReadAction(form: FormData): Promise<void> {
  const user = await requireUser();
  const scope = await pageScope(user);
  const ids = form
    .getAll("id")
    .map((v) => Number(v))
    .filter((n) => Number.isSafeInteger(n) && n > 0)
    .slice(0, 500);
  await markRead(user.id, scope, form.get("all") === "1" ? "all" : ids);
  revalidatePath("/notifications");
  const back = String(form.get("back") ?? "");
  redirect(/^\/notifications(\?[\w=&%-]*)?$/.test(back) ? back : "/notifications");
}

/** Saves the signed-in user's own preferences (never another user's: the id is the session's). */
export async function savePreferencesAction(_prev: FormState, form: FormData): Promise<FormState> {
  const user = await requireUser();
  await pageScope(user);
  const text = (k: string) => String(form.get(k) ?? "").trim() || null;
  const parsed = preferencesInput.safeParse({
    email: text("email"),
    types: form.getAll("types").map(String),
    mail: form.get("mail") === "1",
    console: form.get("console") === "1",
    minSeverity: form.get("minSeverity"),
    quietStart: text("quietStart"),
    quietEnd: text("quietEnd"),
  });
  if (!parsed.success) return { ok: false, message: `${t("notify.prefs.error")}${fieldOf(parsed.error.issues)}` };
  const p = await savePreferences(user.id, parsed.data);
  await recordAudit({
    actorId: user.id,
    actorLogin: user.login,
    action: "notification_preferences_saved",
    target: user.login,
    organizationId: user.organizationId,
    // Whether a mail address is set, not the address itself.
    details: {
      mail: p.mail && !!p.email,
      console: p.console,
      types: p.types,
      minSeverity: p.minSeverity,
      quiet: p.quietStart ? `${p.quietStart}-${p.quietEnd}` : null,
    },
  });
  revalidatePath("/notifications/preferences");
  return { ok: true, message: t("notify.prefs.saved") };
}

export type EndpointState = { secret?: string; name?: string; error?: string };

/** Registers a webhook endpoint for an organisation in the admin's scope; the secret is answered once. */
export async function createEndpointAction(_prev: EndpointState, form: FormData): Promise<EndpointState> {
  const { admin, scope } = await requireAdmin();
  const parsed = endpointInput.safeParse({
    organizationId: String(form.get("organizationId") ?? ""),
    name: String(form.get("name") ?? ""),
    url: String(form.get("url") ?? ""),
    types: form.getAll("types").map(String),
    minSeverity: String(form.get("minSeverity") ?? "low"),
  });
  if (!parsed.success) return { error: `${t("notify.admin.err.input")}${fieldOf(parsed.error.issues)}` };
  try {
    const ep = await createEndpoint(scope, parsed.data, admin.login);
    await recordAudit({
      ...auditActor(admin, scope),
      action: "webhook_endpoint_created",
      target: `${parsed.data.organizationId} webhook ${ep.id}`,
      organizationId: parsed.data.organizationId,
      // The URL's origin only (a path may carry the receiver's own token); never the secret.
      details: { id: ep.id, name: parsed.data.name, origin: new URL(parsed.data.url).origin, types: parsed.data.types, minSeverity: parsed.data.minSeverity },
    });
    revalidatePath("/admin/notifications");
    return { secret: ep.secret, name: parsed.data.name };
  } catch (e) {
    if (e instanceof AuthError) return { error: t("admin.err.outside") };
    throw e;
  }
}

const failed = (e: unknown): never => {
  if (e instanceof AuthError)
    redirect(`/admin/notifications?error=${encodeURIComponent(t(e.status === 404 ? "notify.admin.err.notFound" : "admin.err.outside"))}`);
  throw e;
};

export async function disableEndpointAction(form: FormData): Promise<void> {
  const { admin, scope } = await requireAdmin();
  const id = String(form.get("id") ?? "");
  try {
    const ep = await disableEndpoint(scope, id);
    await recordAudit({
      ...auditActor(admin, scope),
      action: "webhook_endpoint_disabled",
      target: `${ep.organizationId} webhook ${id}`,
      organizationId: ep.organizationId,
    });
  } catch (e) {
    failed(e);
  }
  revalidatePath("/admin/notifications");
  redirect("/admin/notifications");
}

export async function retryDeliveryAction(form: FormData): Promise<void> {
  const { admin, scope } = await requireAdmin();
  const id = String(form.get("id") ?? "");
  try {
    const d = await retryDelivery(scope, id);
    await recordAudit({ ...auditActor(admin, scope), action: "notification_delivery_retried", target: `delivery ${id}`, organizationId: d.organizationId });
  } catch (e) {
    failed(e);
  }
  revalidatePath("/admin/notifications");
  redirect("/admin/notifications?ok=retried");
}

/** Shared by the server-action modules; itself a plain module (no server-action directive): it exports helpers. */
import type { SessionUser } from "../../lib/auth/principal";
import type { Scope } from "../../lib/auth/scope";

/** A form's fields as strings. */
export const formFields = (form: FormData): Record<string, string> => Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)]));

/** Who acted, within which scope: the common part of an admin action's audit-trail record. */
export const auditActor = (a: SessionUser, scope: Scope) => ({ actorId: a.id, actorLogin: a.login, scope: scope.recorded });

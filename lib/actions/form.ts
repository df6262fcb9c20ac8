/** Shared by the server-action modules; itself a plain module (no server-action directive): it exports helpers. */
import type { SessionUser } from "../auth/accounts";
import type { Scope } from "../auth/scope";

/** A form's fields as strings. */
export const formFields = (form: FormData): Record<string, string> => Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)]));

/** Who acted, within which scope: the common part of an admin action's audit-trail record. */
export const auditActor = (a: SessionUser, scope: Scope) => ({ actorId: a.id, actorLogin: a.loginId, scope: scope.recorded });

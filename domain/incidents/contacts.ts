/**
 * The contact chain (緊急連絡網) as data: per organisation its contacts, and
 * per threat level the ordered escalation path (which contacts are told, in
 * which order). An incident follows the path of its main organisation, or of
 * the nearest ancestor that has one for the level. Admins edit the chain of
 * the organisations in their scope.
 */
import { AuthError, type Principal } from "../../lib/auth/principal";
import { adminScopeOf, type Scope } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { IncidentError } from "./access";
import { LEVELS } from "./levels";

export const CONTACT_ROLES = ["security_head", "security_officer", "system_admin", "monitoring_centre", "national_centre", "vendor", "other"] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

export interface ContactInput {
  organizationId: string;
  role: string;
  name: string;
  email?: string;
  phone?: string;
  hours?: string;
}

const MAIL = /^[^\s@<>()"',;]+@[^\s@<>()"',;]+\.[^\s@<>()"',;]+$/;

/** Checks a contact's fields, naming the first bad one. */
export function checkContact(c: ContactInput): { role: ContactRole; name: string; email: string; phone: string; hours: string } {
  const role = c.role as ContactRole;
  if (!CONTACT_ROLES.includes(role)) throw new IncidentError("bad_contact", `role: unknown role "${c.role}"`);
  const name = c.name.trim();
  if (!name || name.length > 100) throw new IncidentError("bad_contact", "name: 1–100 characters");
  const email = (c.email ?? "").trim();
  if (email && (email.length > 200 || !MAIL.test(email))) throw new IncidentError("bad_contact", `email: "${email}" is not a mail address`);
  const phone = (c.phone ?? "").trim();
  if (phone.length > 50 || /[^0-9+\-() 　内線ext.]/.test(phone)) throw new IncidentError("bad_contact", "phone: digits, spaces, + - ( ) only, up to 50");
  const hours = (c.hours ?? "").trim();
  if (hours.length > 100) throw new IncidentError("bad_contact", "hours: up to 100 characters");
  return { role, name, email, phone, hours };
}

async function editorScope(actor: Principal, organizationId: string): Promise<Scope> {
  const scope = await adminScopeOf(actor);
  if (!scope.includes(organizationId)) throw new AuthError(403, `organisation ${organizationId} is outside your scope`);
  return scope;
}

/** The contacts and escalation paths of the organisations in a scope (one organisation when asked). */
export async function contactChain(scope: Scope, organizationId?: string) {
  scope.require(organizationId);
  const where = organizationId ? { organizationId } : scope.where("organizationId");
  const [contacts, steps] = await Promise.all([
    db().contact.findMany({ where, orderBy: [{ organizationId: "asc" }, { id: "asc" }] }),
    db().escalationStep.findMany({ where, orderBy: [{ organizationId: "asc" }, { level: "asc" }, { position: "asc" }], include: { contact: true } }),
  ]);
  return { contacts, steps };
}

export async function addContact(actor: Principal, input: ContactInput): Promise<number> {
  await editorScope(actor, input.organizationId);
  const c = checkContact(input);
  return (await db().contact.create({ data: { organizationId: input.organizationId, ...c } })).id;
}

export async function removeContact(actor: Principal, id: number): Promise<{ organizationId: string }> {
  const row = await db().contact.findUnique({ where: { id } });
  if (!row) throw new AuthError(404, `no contact ${id}`);
  await editorScope(actor, row.organizationId);
  await db().contact.delete({ where: { id } });
  return { organizationId: row.organizationId };
}

/**
 * Appends a contact to an organisation's path for a level. The contact may
 * belong to the organisation or to one of its ancestors (a municipality's
 * path goes up to the prefecture and J-LIS).
 */
export async function addEscalationStep(actor: Principal, organizationId: string, level: number, contactId: number): Promise<void> {
  await editorScope(actor, organizationId);
  if (!LEVELS.includes(level as (typeof LEVELS)[number])) throw new IncidentError("bad_input", `level: ${level} is not 1–4`);
  const contact = await db().contact.findUnique({ where: { id: contactId } });
  const chain = await ancestry(organizationId);
  if (!contact || !chain.includes(contact.organizationId))
    throw new IncidentError("bad_contact", `contact ${contactId} is not of ${organizationId} or an ancestor`);
  const last = await db().escalationStep.findFirst({ where: { organizationId, level }, orderBy: { position: "desc" } });
  await db().escalationStep.create({ data: { organizationId, level, position: (last?.position ?? 0) + 1, contactId } });
}

export async function removeEscalationStep(actor: Principal, id: number): Promise<{ organizationId: string }> {
  const row = await db().escalationStep.findUnique({ where: { id } });
  if (!row) throw new AuthError(404, `no escalation step ${id}`);
  await editorScope(actor, row.organizationId);
  await db().escalationStep.delete({ where: { id } });
  return { organizationId: row.organizationId };
}

/** An organisation and its ancestors, nearest first. */
export async function ancestry(organizationId: string): Promise<string[]> {
  const out: string[] = [];
  let id: string | null = organizationId;
  while (id && out.length < 10 && !out.includes(id)) {
    out.push(id);
    const org: { parentId: string | null } | null = await db().organization.findUnique({ where: { id }, select: { parentId: true } });
    id = org?.parentId ?? null;
  }
  return out;
}

/** The escalation path for an incident of an organisation at a level: its own, else the nearest ancestor's; contacts in order. */
export async function escalationPath(organizationId: string, level: number) {
  for (const org of await ancestry(organizationId)) {
    const steps = await db().escalationStep.findMany({ where: { organizationId: org, level }, orderBy: { position: "asc" }, include: { contact: true } });
    if (steps.length) return steps.map((s) => s.contact);
  }
  return [];
}

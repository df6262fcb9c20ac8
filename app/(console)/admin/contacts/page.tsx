import { contactChainAction } from "@/app/_actions/incidents";
import { ConfirmButton } from "@/components/ConfirmButton";
import { Flash } from "@/components/incidents/Flash";
import { ancestry, CONTACT_ROLES, contactChain, contactRoleName, levelName } from "@/domain/incidents";
import { requireAdmin } from "@/lib/auth/pages";
import { db } from "@/lib/db";
import { t } from "@/lib/i18n";
import { OrgSelect } from "../OrgSelect";

export const dynamic = "force-dynamic";

/** The contact chain editor: one organisation in the admin's scope at a time, its contacts and its escalation path per threat level. */
export default async function ContactsPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const { admin, scope } = await requireAdmin();
  const sp = await searchParams;
  const orgs = await db().organization.findMany({ where: scope.where("id"), select: { id: true, name: true }, orderBy: { id: "asc" } });
  const org = orgs.find((o) => o.id === sp.organization)?.id ?? (orgs.find((o) => o.id === admin.organizationId) ?? orgs[0])?.id;
  if (!org) return <p>{t("contacts.none")}</p>;
  const { contacts, steps } = await contactChain(scope, org);
  // Contacts that may be on this organisation's path: its own and its ancestors' (those the admin can see).
  const upward = (await ancestry(org)).filter((o) => o !== org);
  const ancestorContacts = await db().contact.findMany({ where: { organizationId: { in: upward } }, orderBy: { id: "asc" } });
  const choices = [...contacts, ...ancestorContacts];
  const orgName = (id: string) => orgs.find((o) => o.id === id)?.name ?? id;
  return (
    <>
      <div className="pagehead">
        <h1>{t("contacts.title")}</h1>
      </div>
      <Flash ok={sp.ok} error={sp.error} />
      <p>{t("contacts.intro")}</p>
      <form className="filters" aria-label={t("contacts.organization")}>
        <OrgSelect orgs={orgs} name="organization" value={org} />
        <button type="submit">{t("incident.filter.apply")}</button>
      </form>
      <section>
        <h2>
          {orgName(org)} — {t("contacts.title")}
        </h2>
        {contacts.length === 0 ? (
          <p>{t("contacts.none")}</p>
        ) : (
          <table data-testid="contact-list">
            <thead>
              <tr>
                <th>{t("contacts.role")}</th>
                <th>{t("contacts.name")}</th>
                <th>{t("contacts.email")}</th>
                <th>{t("contacts.phone")}</th>
                <th>{t("contacts.hours")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {contacts.map((c) => (
                <tr key={c.id}>
                  <td>{contactRoleName(c.role)}</td>
                  <td>{c.name}</td>
                  <td>{c.email}</td>
                  <td>{c.phone}</td>
                  <td>{c.hours}</td>
                  <td>
                    <form action={contactChainAction}>
                      <input type="hidden" name="op" value="remove_contact" />
                      <input type="hidden" name="id" value={c.id} />
                      <ConfirmButton message={`${c.name}: ${t("contacts.removeConfirm")}`}>{t("contacts.remove")}</ConfirmButton>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <form action={contactChainAction} className="card" aria-label={t("contacts.add")}>
          <input type="hidden" name="op" value="add_contact" />
          <input type="hidden" name="organization" value={org} />
          <label>
            {t("contacts.role")}
            <select name="role">
              {CONTACT_ROLES.map((r) => (
                <option key={r} value={r}>
                  {contactRoleName(r)}
                </option>
              ))}
            </select>
          </label>{" "}
          <label>
            {t("contacts.name")}
            <input name="name" required maxLength={100} size={20} />
          </label>{" "}
          <label>
            {t("contacts.email")}
            <input name="email" type="email" maxLength={200} size={24} />
          </label>{" "}
          <label>
            {t("contacts.phone")}
            <input name="phone" maxLength={50} size={14} />
          </label>{" "}
          <label>
            {t("contacts.hours")}
            <input name="hours" maxLength={100} size={14} />
          </label>{" "}
          <button type="submit">{t("contacts.add")}</button>
        </form>
      </section>
      <section>
        <h2>{t("contacts.escalation")}</h2>
        {[1, 2, 3, 4].map((level) => (
          <div key={level}>
            <h3>{levelName(level)}</h3>
            <ol data-testid={`escalation-${level}`}>
              {steps
                .filter((s) => s.level === level)
                .map((s) => (
                  <li key={s.id}>
                    {orgName(s.contact.organizationId)} {contactRoleName(s.contact.role)} {s.contact.name}{" "}
                    <form action={contactChainAction} className="inline">
                      <input type="hidden" name="op" value="remove_step" />
                      <input type="hidden" name="id" value={s.id} />
                      <button type="submit" className="link">
                        {t("contacts.removeStep")}
                      </button>
                    </form>
                  </li>
                ))}
            </ol>
            {choices.length > 0 && (
              <form action={contactChainAction} className="inline" aria-label={`${levelName(level)} ${t("contacts.addStep")}`}>
                <input type="hidden" name="op" value="add_step" />
                <input type="hidden" name="organization" value={org} />
                <input type="hidden" name="level" value={level} />
                <label>
                  {t("contacts.name")}
                  <select name="contactId">
                    {choices.map((c) => (
                      <option key={c.id} value={c.id}>
                        {orgName(c.organizationId)} {contactRoleName(c.role)} {c.name}
                      </option>
                    ))}
                  </select>
                </label>{" "}
                <button type="submit">{t("contacts.addStep")}</button>
              </form>
            )}
          </div>
        ))}
      </section>
    </>
  );
}

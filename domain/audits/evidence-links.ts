/**
 * External audits: what a finding may cite as evidence besides files — the
 * audited municipality's alerts and the log-explorer searches the auditors
 * saved for it. Both are chosen from lists, never typed as URLs: alert ids
 * must name an alert of that municipality in the caller's scope, searches the
 * id of a saved search of the same engagement and municipality. The stored
 * format of a finding's evidence is unchanged ({ alerts: id[], searches:
 * console link[] }); a link stored earlier stays valid on the finding that
 * already cites it.
 */
import { type Principal } from "../../lib/auth/principal";
import { type Scope } from "../../lib/auth/scope";
import { jstDayEnd, jstMidnight, parseDateKey } from "../../lib/calendar";
import { db } from "../../lib/db";
import { getAlert, searchAlerts } from "../alerts";
import { AuditError, asAuditor, engagementAccess } from "./access";

export interface EvidenceChoices {
  alerts: { id: string; start: string; rule: string; entity: string }[];
  searches: { id: string; name: string; query: string }[];
}

/** The alerts (newest 200 overlapping the audit period) and saved searches a finding at this municipality may cite. */
export async function evidenceChoices(actor: Principal, engagementId: string, organizationId: string): Promise<EvidenceChoices> {
  const { engagement, scope } = await engagementAccess(actor, engagementId, organizationId);
  const [alerts, searches] = await Promise.all([
    searchAlerts(
      { organization: organizationId, from: engagement.auditFrom?.toISOString(), to: engagement.auditTo?.toISOString(), size: 200 },
      scope.narrow(organizationId),
    )
      .then((r) => r.alerts.map((a) => ({ id: a.id, start: a.window.start, rule: a.rule.name, entity: a.entity.id })))
      // Without Elasticsearch the finding can still be written; it just cannot cite alerts now.
      .catch(() => []),
    savedSearches(engagementId, organizationId),
  ]);
  return { alerts, searches };
}

const savedSearches = (engagementId: string, organizationId: string) =>
  db().auditSavedSearch.findMany({ where: { engagementId, organizationId }, orderBy: { createdAt: "asc" }, select: { id: true, name: true, query: true } });

/**
 * Turns the chosen evidence into the stored form: alert ids checked against
 * the scope and the municipality, saved-search ids into their links. A value
 * that is already cited by the finding (`existing`) is kept as it is.
 */
export async function resolveEvidence(
  scope: Scope,
  engagementId: string,
  organizationId: string,
  input: { alerts?: string[]; searches?: string[] },
  existing: { alerts?: string[]; searches?: string[] } = {},
): Promise<{ alerts: string[]; searches: string[] }> {
  const alerts = [...new Set(input.alerts ?? [])];
  for (const id of alerts) {
    if (existing.alerts?.includes(id)) continue;
    const a = /^[0-9a-f]{24}$/.test(id) ? await getAlert(id, scope) : undefined;
    if (a?.organization.id !== organizationId) throw new AuditError("unknown_evidence", `no alert ${id} of ${organizationId} in scope`, id);
  }
  const saved = new Map((await savedSearches(engagementId, organizationId)).map((s) => [s.id, s.query]));
  const searches: string[] = [];
  for (const value of new Set(input.searches ?? [])) {
    const link = saved.get(value) ?? (existing.searches?.includes(value) ? value : undefined);
    if (!link) throw new AuditError("unknown_evidence", `no saved search ${value} of ${organizationId}`, value);
    if (!searches.includes(link)) searches.push(link);
  }
  return { alerts, searches };
}

export interface SavedSearchInput {
  name: string;
  /** JST calendar dates (YYYY-MM-DD), inclusive. */
  from: string;
  to: string;
  operator?: string;
  terminal?: string;
}

/**
 * Saves a log-explorer search of the audited municipality for citing: the
 * link is built here from the fields (never typed), and the range must lie in
 * the audit period (the explorer would clamp it silently otherwise).
 */
export async function saveSearch(actor: Principal, engagementId: string, organizationId: string, input: SavedSearchInput) {
  const { engagement } = await asAuditor(actor, engagementId, organizationId);
  const name = input.name.trim();
  if (!name || name.length > 200) throw new AuditError("bad_input", "a name of 1–200 characters is required");
  const fromKey = parseDateKey(input.from);
  const toKey = parseDateKey(input.to);
  if (!fromKey || !toKey) throw new AuditError("bad_input", "from and to are calendar dates");
  const from = jstMidnight(fromKey);
  const to = jstDayEnd(toKey);
  if (!(from < to)) throw new AuditError("bad_input", "from must not be after to");
  if ((engagement.auditFrom && from < engagement.auditFrom) || (engagement.auditTo && to > engagement.auditTo))
    throw new AuditError("bad_input", "the range must lie inside the audit period");
  const q = new URLSearchParams({ organization: organizationId, from: from.toISOString(), to: to.toISOString() });
  for (const k of ["operator", "terminal"] as const) {
    const v = input[k]?.trim();
    if (v && !/^[\w.:-]{1,64}$/.test(v)) throw new AuditError("bad_input", `${k} is an id of letters, digits and - _ . :`);
    if (v) q.set(k, v);
  }
  return db().auditSavedSearch.create({ data: { engagementId, organizationId, name, query: `/events?${q}`, createdById: actor.id } });
}

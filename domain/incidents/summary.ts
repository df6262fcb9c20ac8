/**
 * The annual summary of incidents and drills per organisation for a fiscal
 * year (April–March JST): real incidents by kind and highest level, drills
 * apart (they never count as incidents). Used by the checklist's drill and
 * emergency-plan items and available to the audit report.
 */
import type { Scope } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { fiscalYearPeriod } from "../statistics/period";
import { KINDS, type IncidentKind } from "./incidents";

export interface OrganizationYear {
  organizationId: string;
  incidents: number;
  byKind: Record<IncidentKind, number>;
  byLevel: Record<1 | 2 | 3 | 4, number>;
  exercises: number;
  /** Real incidents whose network link was cut at some point. */
  disconnections: number;
}

/** Per organisation in scope (or the one asked for), the incidents and drills opened in the fiscal year. */
export async function annualIncidentSummary(scope: Scope, fiscalYear: number, organizationId?: string): Promise<OrganizationYear[]> {
  scope.require(organizationId);
  const { from, to } = fiscalYearPeriod(fiscalYear);
  const orgFilter = organizationId ? { organizationId } : scope.where("organizationId");
  const links = await db().incidentOrganization.findMany({
    where: { ...orgFilter, incident: { openedAt: { gte: from, lt: to } } },
    include: { incident: { select: { kind: true, level: true, exercise: true, timeline: { where: { kind: "decision" }, select: { detail: true } } } } },
  });
  const out = new Map<string, OrganizationYear>();
  for (const l of links) {
    const row =
      out.get(l.organizationId) ??
      ({
        organizationId: l.organizationId,
        incidents: 0,
        byKind: Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<IncidentKind, number>,
        byLevel: { 1: 0, 2: 0, 3: 0, 4: 0 },
        exercises: 0,
        disconnections: 0,
      } satisfies OrganizationYear);
    out.set(l.organizationId, row);
    const i = l.incident;
    if (i.exercise) {
      row.exercises++;
      continue;
    }
    row.incidents++;
    if (i.kind in row.byKind) row.byKind[i.kind as IncidentKind]++;
    if (i.level >= 1 && i.level <= 4) row.byLevel[i.level as 1 | 2 | 3 | 4]++;
    if (i.timeline.some((e) => e.detail?.includes('"decision":"disconnect"'))) row.disconnections++;
  }
  return [...out.values()].sort((a, b) => a.organizationId.localeCompare(b.organizationId));
}

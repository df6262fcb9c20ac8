/** The registry as detectors see it: one snapshot per run, loaded from Prisma. */
import type { estypes } from "@elastic/elasticsearch";
import { db } from "../lib/db";
import type { BusinessHours } from "../lib/calendar";
import { operatorsOf } from "../domain/registry/permits";

export interface RegistrySnapshot {
  organizations: Map<string, { id: string; name: string; kind: string; parentId: string | null; hours: BusinessHours }>;
  nodes: Map<string, { id: string; type: string; organizationId: string; expectedIntervalMinutes: number; createdAt: Date }>;
  terminals: Map<string, { id: string; organizationId: string; ip: string | null }>;
  /** Terminal ids by registered IP. */
  terminalByIp: Map<string, string>;
  operators: Map<string, { id: string; organizationId: string; kind: string; department: string | null; cards: string[] }>;
  /** Operator id by card id. */
  cardOwner: Map<string, string>;
  /** Permitted purposes per organisation: schedule → items ("*" = all). */
  permitted: Map<string, Map<string, Set<string>>>;
  maintenanceWindows: { organizationId: string; start: Date; end: Date; note: string | null }[];
  /** After-hours permits (§5); `operators` empty = every operator of the organisation. */
  afterHoursPermits: { id: number; organizationId: string; operators: string[]; start: Date; end: Date; reason: string | null }[];
}

export async function loadRegistry(): Promise<RegistrySnapshot> {
  const [orgs, nodes, terminals, operators, purposes, windows, permits] = await Promise.all([
    db().organization.findMany(),
    db().node.findMany(),
    db().terminal.findMany(),
    db().operator.findMany({ include: { cards: true } }),
    db().permittedPurpose.findMany(),
    db().maintenanceWindow.findMany({ orderBy: { start: "asc" } }),
    db().afterHoursPermit.findMany({ orderBy: { start: "asc" } }),
  ]);
  const permitted = new Map<string, Map<string, Set<string>>>();
  for (const p of purposes) {
    const bySchedule = permitted.get(p.organizationId) ?? permitted.set(p.organizationId, new Map()).get(p.organizationId)!;
    (bySchedule.get(p.schedule) ?? bySchedule.set(p.schedule, new Set()).get(p.schedule)!).add(p.item);
  }
  const cardOwner = new Map<string, string>();
  for (const o of operators) for (const c of o.cards) cardOwner.set(c.id, o.id);
  return {
    organizations: new Map(
      orgs.map((o) => [o.id, { id: o.id, name: o.name, kind: o.kind, parentId: o.parentId, hours: { start: o.businessStart, end: o.businessEnd } }]),
    ),
    nodes: new Map(nodes.map((n) => [n.id, n])),
    terminals: new Map(terminals.map((t) => [t.id, t])),
    terminalByIp: new Map(terminals.filter((t) => t.ip).map((t) => [t.ip!, t.id])),
    operators: new Map(
      operators.map((o) => [o.id, { id: o.id, organizationId: o.organizationId, kind: o.kind, department: o.department, cards: o.cards.map((c) => c.id) }]),
    ),
    cardOwner,
    permitted,
    maintenanceWindows: windows,
    afterHoursPermits: permits.map((p) => ({
      id: p.id,
      organizationId: p.organizationId,
      operators: operatorsOf(p.operators),
      start: p.start,
      end: p.end,
      reason: p.reason,
    })),
  };
}

/** True when the organisation may use schedule + item. */
export function isPermitted(registry: RegistrySnapshot, organizationId: string, schedule: string, item: string): boolean {
  const items = registry.permitted.get(organizationId)?.get(schedule);
  return !!items && (items.has("*") || items.has(item));
}

/** Operator ids of system (batch/interface) accounts. */
export function systemAccounts(registry: RegistrySnapshot): string[] {
  return [...registry.operators.values()].filter((o) => o.kind === "system").map((o) => o.id);
}

/**
 * Events of a person: `user.id` present (events without it are system activity, INTERFACE.md §1) and not a
 * registry account of kind `system`. Every operator-behaviour rule filters with it, also those that group by
 * `user.id` (a composite `terms` source skips missing values, but the rule must not depend on that).
 */
export function personActivity(registry: RegistrySnapshot): estypes.QueryDslQueryContainer {
  const system = systemAccounts(registry);
  return { bool: { filter: [{ exists: { field: "user.id" } }], ...(system.length ? { must_not: [{ terms: { "user.id": system } }] } : {}) } };
}

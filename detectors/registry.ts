/** The registry as detectors see it: one snapshot per run, loaded from Prisma. */
import type { estypes } from "@elastic/elasticsearch";
import { db } from "../lib/db";
import type { BusinessHours } from "../lib/calendar";
import { operatorsOf } from "../domain/registry/permits";
import { parseStoredPurposes, type PurposeSet } from "../domain/registry/registry-file";
import type { CardFacts } from "../domain/registers/cards";

export interface RegistrySnapshot {
  organizations: Map<string, { id: string; name: string; kind: string; parentId: string | null; hours: BusinessHours; requiredAuthMethod: string | null }>;
  nodes: Map<string, { id: string; type: string; organizationId: string; expectedIntervalMinutes: number; createdAt: Date }>;
  terminals: Map<string, { id: string; organizationId: string; ip: string | null }>;
  /** Terminal ids by registered IP. */
  terminalByIp: Map<string, string>;
  operators: Map<
    string,
    {
      id: string;
      organizationId: string;
      kind: string;
      department: string | null;
      cards: string[];
      /** §5 `purposes` assigned to the operator itself; null = not set (the department's, else everything permitted). */
      purposes: PurposeSet | null;
      requiredAuthMethod: string | null;
    }
  >;
  /** §5 `purposes` of departments with a set, by `${organizationId}\u0000${name}`. */
  departmentPurposes: Map<string, PurposeSet>;
  /** Operator id by card id. */
  cardOwner: Map<string, string>;
  /** Permitted purposes per organisation: schedule → items ("*" = all). */
  permitted: Map<string, Map<string, Set<string>>>;
  maintenanceWindows: { organizationId: string; start: Date; end: Date; note: string | null }[];
  /** After-hours permits (§5); `operators` empty = every operator of the organisation. */
  afterHoursPermits: { id: number; organizationId: string; operators: string[]; start: Date; end: Date; reason: string | null }[];
  /** The IC card register (issue 17) by card id: loss, revocation and loans (rule card-register-mismatch). */
  cardRegister?: Map<string, CardFacts>;
  /** System-work records with link control set (連携制御記録, domain/systemwork): read by `maintenance-window-update`. */
  linkControl?: LinkControlRecord[];
}

export interface LinkControlRecord {
  id: string;
  organizationId: string;
  title: string;
  vendor: string;
  purpose: string;
  linkControlSetAt: Date;
  linkControlReleasedAt: Date | null;
  testsEndedAt: Date | null;
  testsEndedBy: string | null;
  testDataDeletedAt: Date | null;
  testDataDeletedBy: string | null;
}

export async function loadRegistry(): Promise<RegistrySnapshot> {
  const [orgs, nodes, terminals, operators, purposes, windows, permits, departments] = await Promise.all([
    db().organization.findMany(),
    db().node.findMany(),
    db().terminal.findMany(),
    db().operator.findMany({ include: { cards: true } }),
    db().permittedPurpose.findMany(),
    db().maintenanceWindow.findMany({ orderBy: { start: "asc" } }),
    db().afterHoursPermit.findMany({ orderBy: { start: "asc" } }),
    db().department.findMany({ where: { purposes: { not: null } } }),
  ]);
  const cardRecords = await db().cardRecord.findMany({ include: { loans: { orderBy: { lentAt: "asc" } } } });
  const linkControl = await loadLinkControl();
  const permitted = new Map<string, Map<string, Set<string>>>();
  for (const p of purposes) {
    const bySchedule = permitted.get(p.organizationId) ?? permitted.set(p.organizationId, new Map()).get(p.organizationId)!;
    (bySchedule.get(p.schedule) ?? bySchedule.set(p.schedule, new Set()).get(p.schedule)!).add(p.item);
  }
  const cardOwner = new Map<string, string>();
  for (const o of operators) for (const c of o.cards) cardOwner.set(c.id, o.id);
  return {
    organizations: new Map(
      orgs.map((o) => [
        o.id,
        {
          id: o.id,
          name: o.name,
          kind: o.kind,
          parentId: o.parentId,
          hours: { start: o.businessStart, end: o.businessEnd },
          requiredAuthMethod: o.requiredAuthMethod,
        },
      ]),
    ),
    nodes: new Map(nodes.map((n) => [n.id, n])),
    terminals: new Map(terminals.map((t) => [t.id, t])),
    terminalByIp: new Map(terminals.filter((t) => t.ip).map((t) => [t.ip!, t.id])),
    operators: new Map(
      operators.map((o) => [
        o.id,
        {
          id: o.id,
          organizationId: o.organizationId,
          kind: o.kind,
          department: o.department,
          cards: o.cards.map((c) => c.id),
          purposes: parseStoredPurposes(o.purposes),
          requiredAuthMethod: o.requiredAuthMethod,
        },
      ]),
    ),
    departmentPurposes: new Map(departments.map((d) => [departmentKey(d.organizationId, d.name), parseStoredPurposes(d.purposes)!])),
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
    cardRegister: new Map(
      cardRecords.map((r) => [
        r.cardId,
        {
          cardId: r.cardId,
          organizationId: r.organizationId,
          status: r.status,
          lostAt: r.lostAt,
          revokedAt: r.revokedAt,
          loans: r.loans.map((l) => ({ operatorId: l.operatorId, lentAt: l.lentAt, returnedAt: l.returnedAt })),
        },
      ]),
    ),
    linkControl,
  };
}

/** Every record whose link control was set (the detector's system scope sees all organisations). */
async function loadLinkControl(): Promise<LinkControlRecord[]> {
  const rows = await db().systemWork.findMany({ where: { linkControlSetAt: { not: null } }, orderBy: [{ linkControlSetAt: "asc" }, { id: "asc" }] });
  return rows.map((w) => ({
    id: w.id,
    organizationId: w.organizationId,
    title: w.title,
    vendor: w.vendor,
    purpose: w.purpose,
    linkControlSetAt: w.linkControlSetAt!,
    linkControlReleasedAt: w.linkControlReleasedAt,
    testsEndedAt: w.testsEndedAt,
    testsEndedBy: w.testsEndedBy,
    testDataDeletedAt: w.testDataDeletedAt,
    testDataDeletedBy: w.testDataDeletedBy,
  }));
}

/** True when the organisation may use schedule + item. */
export function isPermitted(registry: RegistrySnapshot, organizationId: string, schedule: string, item: string): boolean {
  const items = registry.permitted.get(organizationId)?.get(schedule);
  return !!items && (items.has("*") || items.has(item));
}

const departmentKey = (organizationId: string, name: string) => `${organizationId}\u0000${name}`;

/**
 * The purposes an operator is assigned (§5): the operator's own `purposes`, else its department's, else null —
 * everything the organisation may use. `from` says where the set came from (the alert's evidence).
 */
export function assignedPurposes(registry: RegistrySnapshot, operatorId: string): { from: "operator" | "department"; purposes: PurposeSet } | null {
  const o = registry.operators.get(operatorId);
  if (!o) return null;
  if (o.purposes) return { from: "operator", purposes: o.purposes };
  const d = o.department ? registry.departmentPurposes.get(departmentKey(o.organizationId, o.department)) : undefined;
  return d ? { from: "department", purposes: d } : null;
}

/** True when the set holds schedule + item ("*" = every item of the schedule). */
export function inPurposeSet(set: PurposeSet, schedule: string, item: string): boolean {
  return set.some((p) => p.schedule === schedule && (p.items.includes("*") || p.items.includes(item)));
}

/** Strength of a login method: ic_card_password < biometric < ic_card_biometric (card and vein); unknown = 0. */
export const AUTH_STRENGTH: Record<string, number> = { ic_card_password: 1, biometric: 2, ic_card_biometric: 3 };

/**
 * The method an operator must sign in with (§5 `required_auth_method`): the stronger of the operator's and its
 * organisation's; null = nothing required.
 */
export function requiredAuthMethod(registry: RegistrySnapshot, operatorId: string, organizationId: string): string | null {
  const own = registry.operators.get(operatorId);
  const candidates = [
    own?.organizationId === organizationId ? own.requiredAuthMethod : null,
    registry.organizations.get(organizationId)?.requiredAuthMethod,
  ].filter((m): m is string => !!m);
  return candidates.sort((a, b) => (AUTH_STRENGTH[b] ?? 0) - (AUTH_STRENGTH[a] ?? 0))[0] ?? null;
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

/**
 * The demo registry: 山口県 (350001), its 19 市町, the national centre, their
 * nodes, terminals, operators with IC cards, permitted purposes,
 * maintenance windows and after-hours permits. `buildDemoWorld` sizes it for a scale; `toRegistryJson`
 * gives the exact contract shape of INTERFACE.md §5.
 */
import { DEFAULT_BUSINESS_HOURS, type BusinessHours } from "../../lib/calendar";
import type { AuthMethod, ObserverType } from "./events";
import { rngFor, WeightedPicker } from "./random";
import { findPurposeItem, recipientById } from "../../domain/registry/purposes";
import {
  ADMIN_DEPARTMENT,
  BUSINESS_DAYS_ONLY_INTERVAL,
  BUSINESS_DAYS_PER_YEAR,
  IDS_NODE,
  MUNICIPALITIES,
  NATIONAL_BATCH_ACCOUNT,
  NATIONAL_CODE,
  NATIONAL_NODE,
  PREFECTURE_BATCHES,
  PREFECTURE_CODE,
  PREFECTURE_DEPARTMENTS,
  PREFECTURE_NODE,
  PREFECTURE_ORDINANCE_PER_YEAR,
  PREFECTURE_SCHEDULE5_PER_YEAR,
  PREFECTURE_TERMINALS,
  SYSTEM_DEPARTMENT,
  type MunicipalitySpec,
} from "./prefecture";

export * from "./prefecture";

export type OrgKind = "national" | "prefecture" | "municipality" | "agency";

export interface DemoTerminal {
  id: string;
  organization: string;
  ip: string;
}

export interface DemoOperator {
  id: string;
  organization: string;
  department: string;
  /** IC card; undefined for system accounts. */
  card: string | undefined;
  /** The terminal the operator normally works at (undefined for system accounts). */
  terminal: DemoTerminal | undefined;
  authMethod: AuthMethod;
  /** Personal activity level (median 1); steady over the period. */
  intensity: number;
  role: "clerk" | "branch" | "admin" | "system";
  /** Prefectural operators: the purposes they search for, weighted by use. */
  purposes?: WeightedPicker<{ schedule: string; item: string }>;
  /** Prefectural operators: expected searches per business day at this scale. */
  dailySearches?: number;
}

export interface DemoOrganization {
  code: string;
  name: string;
  kind: OrgKind;
  parent?: string;
  hours: BusinessHours;
  nodeId: string;
  nodeType: ObserverType;
  expectedIntervalMinutes: number;
  /** Third octet of the terminals' 10.35.<n>.x network. */
  network: number;
  population: number;
  terminals: DemoTerminal[];
  /** People, in id order. */
  operators: DemoOperator[];
  /** Registry account of kind `system`, where the node's automatic work runs under one (the national centre's immediate provisions). */
  systemAccount: DemoOperator | undefined;
  /** The node sends only on business days, in business hours. */
  businessDaysOnly: boolean;
}

export interface MaintenanceWindow {
  organization: string;
  start: string;
  end: string;
  note: string;
}

/** Approved after-hours work (registry `after_hours_permits`, INTERFACE.md §5). */
export interface AfterHoursPermit {
  organization: string;
  operators: string[];
  start: string;
  end: string;
  reason: string;
}

export interface DemoWorldRegistry {
  national: DemoOrganization;
  prefecture: DemoOrganization;
  municipalities: DemoOrganization[];
  /** All organisations: national, prefecture, municipalities. */
  organizations: DemoOrganization[];
  byCode: Map<string, DemoOrganization>;
  operatorById: Map<string, DemoOperator>;
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

function systemAccount(id: string, organization: string): DemoOperator {
  return {
    id,
    organization,
    department: SYSTEM_DEPARTMENT,
    card: undefined,
    terminal: undefined,
    authMethod: "ic_card_password",
    intensity: 1,
    role: "system",
  };
}

function terminalsFor(code: string, network: number, count: number): DemoTerminal[] {
  return Array.from({ length: count }, (_, i) => ({ id: `TM-${code}-${pad(i + 1, 2)}`, organization: code, ip: `10.35.${network}.${11 + i}` }));
}

/** Operators of a municipality: 001 the system administrator (cities), then counter clerks, the last ~30% at branch offices. */
function municipalOperators(spec: MunicipalitySpec, count: number, terminals: DemoTerminal[], seed: number): DemoOperator[] {
  const rng = rngFor(seed, "registry", "operators", spec.code);
  const withAdmin = spec.operators >= 6;
  const branchCount = spec.branches.length > 0 ? Math.round(count * 0.3) : 0;
  const operators: DemoOperator[] = [];
  for (let i = 1; i <= count; i++) {
    const admin = withAdmin && i === 1;
    const branch = !admin && i > count - branchCount;
    const department = admin ? ADMIN_DEPARTMENT : branch ? spec.branches[(count - i) % spec.branches.length] : spec.department;
    operators.push({
      id: `OP-${spec.code}-${pad(i, 3)}`,
      organization: spec.code,
      department,
      card: `IC-${spec.code}-${pad(i, 3)}`,
      terminal: terminals[(i - 1) % terminals.length],
      authMethod: spec.biometric ? "ic_card_biometric" : "ic_card_password",
      intensity: admin ? 0.25 : (branch ? 0.6 : 1) * rng.lognormal(0.3),
      role: admin ? "admin" : branch ? "branch" : "clerk",
    });
  }
  return operators;
}

/** Prefectural operators, each with the purposes of their department weighted by yearly use. */
function prefectureOperators(scaleRoot: number, scale: number, terminals: DemoTerminal[], seed: number): DemoOperator[] {
  const rng = rngFor(seed, "registry", "operators", PREFECTURE_CODE);
  const schedule5Weight = (item: string) => findPurposeItem("5", item)?.annual_count ?? 150_000;
  const ordinanceWeight = () => rng.uniform(0.5, 1.5);
  const all5 = PREFECTURE_DEPARTMENTS.flatMap((d) => d.schedule5);
  const total5 = all5.reduce((s, i) => s + schedule5Weight(i), 0);
  const ordinanceWeights = new Map(PREFECTURE_DEPARTMENTS.flatMap((d) => d.ordinance).map((i) => [i, ordinanceWeight()] as const));
  const totalOrdinance = [...ordinanceWeights.values()].reduce((a, b) => a + b, 0);
  const per5 = (PREFECTURE_SCHEDULE5_PER_YEAR / BUSINESS_DAYS_PER_YEAR) * scale;
  const perOrdinance = (PREFECTURE_ORDINANCE_PER_YEAR / BUSINESS_DAYS_PER_YEAR) * scale;

  const operators: DemoOperator[] = [];
  for (const dept of PREFECTURE_DEPARTMENTS) {
    const purposes = [
      ...dept.schedule5.map((item) => ({ schedule: "5", item, daily: (schedule5Weight(item) / total5) * per5 })),
      ...dept.ordinance.map((item) => ({ schedule: "ordinance", item, daily: (ordinanceWeights.get(item)! / totalOrdinance) * perOrdinance })),
    ];
    const deptDaily = purposes.reduce((s, p) => s + p.daily, 0);
    const count = Math.max(1, Math.round(dept.operators * scaleRoot));
    for (let k = 0; k < count; k++) {
      const n = operators.length + 1;
      operators.push({
        id: `OP-${PREFECTURE_CODE}-${pad(n, 3)}`,
        organization: PREFECTURE_CODE,
        department: dept.name,
        card: `IC-${PREFECTURE_CODE}-${pad(n, 3)}`,
        terminal: terminals[(n - 1) % terminals.length],
        authMethod: "ic_card_biometric",
        intensity: 1,
        role: purposes.length === 0 ? "admin" : "clerk",
        purposes: purposes.length
          ? new WeightedPicker(
              purposes.map(({ schedule, item }) => ({ schedule, item })),
              purposes.map((p) => p.daily),
            )
          : undefined,
        dailySearches: deptDaily / count,
      });
    }
  }
  return operators;
}

/** Sizes the demo organisations for a traffic scale: √scale more operators, each √scale busier (residents grow linearly: residents.ts). */
export function buildDemoRegistry(seed: number, scale: number): DemoWorldRegistry {
  const root = Math.sqrt(scale);
  const national: DemoOrganization = {
    code: NATIONAL_CODE,
    name: "地方公共団体情報システム機構 全国センター",
    kind: "national",
    hours: DEFAULT_BUSINESS_HOURS,
    nodeId: NATIONAL_NODE,
    nodeType: "national_center",
    expectedIntervalMinutes: 30,
    network: 0,
    population: 0,
    terminals: [],
    operators: [],
    systemAccount: systemAccount(NATIONAL_BATCH_ACCOUNT, NATIONAL_CODE),
    businessDaysOnly: false,
  };
  const prefectureTerminals = terminalsFor(PREFECTURE_CODE, 100, Math.max(4, Math.min(60, Math.round(PREFECTURE_TERMINALS * root))));
  const prefecture: DemoOrganization = {
    code: PREFECTURE_CODE,
    name: "山口県",
    kind: "prefecture",
    parent: NATIONAL_CODE,
    hours: DEFAULT_BUSINESS_HOURS,
    nodeId: PREFECTURE_NODE,
    nodeType: "prefectural_server",
    expectedIntervalMinutes: 30,
    network: 100,
    population: 0,
    terminals: prefectureTerminals,
    operators: prefectureOperators(root, scale, prefectureTerminals, seed),
    systemAccount: undefined,
    businessDaysOnly: false,
  };
  const municipalities = MUNICIPALITIES.map((spec, index): DemoOrganization => {
    const operatorCount = Math.min(999, Math.max(spec.minOperators, Math.round(spec.operators * root)));
    const terminalCount = Math.min(60, operatorCount, Math.max(2, Math.round(spec.terminals * root)));
    const terminals = terminalsFor(spec.code, index + 1, terminalCount);
    return {
      code: spec.code,
      name: spec.name,
      kind: "municipality",
      parent: PREFECTURE_CODE,
      hours: spec.hours ?? DEFAULT_BUSINESS_HOURS,
      nodeId: `CS-${spec.code}`,
      nodeType: "municipal_cs",
      expectedIntervalMinutes: spec.businessDaysOnly ? BUSINESS_DAYS_ONLY_INTERVAL : 60,
      network: index + 1,
      population: spec.population,
      terminals,
      operators: municipalOperators(spec, operatorCount, terminals, seed),
      systemAccount: undefined,
      businessDaysOnly: spec.businessDaysOnly ?? false,
    };
  });
  const organizations = [national, prefecture, ...municipalities];
  const operatorById = new Map<string, DemoOperator>();
  for (const org of organizations) for (const op of [...org.operators, ...(org.systemAccount ? [org.systemAccount] : [])]) operatorById.set(op.id, op);
  return { national, prefecture, municipalities, organizations, byCode: new Map(organizations.map((o) => [o.code, o])), operatorById };
}

/** Purposes permitted per organisation (registry `permitted_purposes`). */
export function permittedPurposes(world: DemoWorldRegistry): { organization: string; schedule: string; items: string[] }[] {
  const out: { organization: string; schedule: string; items: string[] }[] = [];
  for (const m of world.municipalities) out.push({ organization: m.code, schedule: "jukiho", items: ["*"] });
  const byNumber = (a: string, b: string) => Number(a.split("-")[1]) - Number(b.split("-")[1]);
  const schedule5 = PREFECTURE_DEPARTMENTS.flatMap((d) => d.schedule5).sort(byNumber);
  const ordinance = PREFECTURE_DEPARTMENTS.flatMap((d) => d.ordinance).sort(byNumber);
  out.push({ organization: PREFECTURE_CODE, schedule: "5", items: schedule5 });
  out.push({ organization: PREFECTURE_CODE, schedule: "ordinance", items: ordinance });
  for (const schedule of ["2", "3", "4", "6"]) {
    const items = PREFECTURE_BATCHES.map((b) => b.item)
      .filter((i) => i.startsWith(`${schedule}-`))
      .sort(byNumber);
    out.push({ organization: PREFECTURE_CODE, schedule, items });
  }
  out.push({ organization: NATIONAL_CODE, schedule: "1", items: ["*"] });
  return out;
}

/**
 * §5 `required_auth_method`: the municipalities whose operators sign in with IC card + vein (山口市) must use
 * vein authentication, and the prefecture's operators (all on card + vein) must use both.
 */
function requiredAuthMethod(o: DemoOrganization): string | undefined {
  if (o.kind === "prefecture") return "ic_card_biometric";
  if (o.kind === "municipality" && o.operators.some((op) => op.authMethod === "ic_card_biometric")) return "biometric";
  return undefined;
}

/**
 * §5 `departments` with their `purposes`, by division: each prefectural department the 別表第5 and ordinance
 * 事務 it handles (税務課 5-1, 旅券センター 5-5, 障害者支援課 …; 市町課, which searches nothing, has no entry);
 * each municipality's counter department (市民課 / 町民課 / 住民課), branch offices and information-systems
 * section the 住基法 duties.
 */
export function departments(world: DemoWorldRegistry): { organization: string; name: string; purposes: { schedule: string; items: string[] }[] }[] {
  const out: { organization: string; name: string; purposes: { schedule: string; items: string[] }[] }[] = [];
  for (const d of PREFECTURE_DEPARTMENTS) {
    const purposes = [
      ...(d.schedule5.length ? [{ schedule: "5", items: [...d.schedule5] }] : []),
      ...(d.ordinance.length ? [{ schedule: "ordinance", items: [...d.ordinance] }] : []),
    ];
    if (purposes.length) out.push({ organization: PREFECTURE_CODE, name: d.name, purposes });
  }
  for (const m of world.municipalities) {
    for (const name of [...new Set(m.operators.map((op) => op.department))].sort())
      out.push({ organization: m.code, name, purposes: [{ schedule: "jukiho", items: ["*"] }] });
  }
  return out;
}

/** The registry file in the contract shape (INTERFACE.md §5). */
export function toRegistryJson(world: DemoWorldRegistry, maintenanceWindows: MaintenanceWindow[], afterHoursPermits: AfterHoursPermit[] = []) {
  const orgs = world.organizations;
  return {
    organizations: orgs.map((o) => ({
      id: o.code,
      name: o.name,
      kind: o.kind,
      ...(o.parent ? { parent: o.parent } : {}),
      business_hours: { start: o.hours.start, end: o.hours.end },
      ...(requiredAuthMethod(o) ? { required_auth_method: requiredAuthMethod(o) } : {}),
    })),
    nodes: [
      ...orgs.map((o) => ({ id: o.nodeId, type: o.nodeType, organization: o.code, expected_interval_minutes: o.expectedIntervalMinutes })),
      // An IDS sensor sends only when a signature fires (about one alert every 25 minutes here, gaps of
      // 1–2 hours are ordinary): registered with an interval that covers them, so node-silence (threshold =
      // the registered interval) speaks only when the sensor really stops.
      { id: IDS_NODE, type: "ids_sensor", organization: PREFECTURE_CODE, expected_interval_minutes: 240 },
    ],
    terminals: orgs.flatMap((o) => o.terminals.map((t) => ({ id: t.id, organization: t.organization, ip: t.ip }))),
    operators: orgs.flatMap((o) =>
      [...o.operators.map((op) => ({ op, kind: "person" })), ...(o.systemAccount ? [{ op: o.systemAccount, kind: "system" }] : [])].map(({ op, kind }) => ({
        id: op.id,
        organization: op.organization,
        department: op.department,
        cards: op.card ? [op.card] : [],
        kind,
      })),
    ),
    departments: departments(world),
    permitted_purposes: permittedPurposes(world),
    maintenance_windows: maintenanceWindows,
    after_hours_permits: afterHoursPermits,
  };
}

/** Looks up a purpose item and its recipient, failing loudly if the reference data lacks it. */
export function purposeRef(schedule: string, item: string): { schedule: string; item: string; recipientId: string; recipientName: string } {
  const found = findPurposeItem(schedule, item);
  if (!found) throw new Error(`purposes reference data has no item ${item} in schedule ${schedule}`);
  const recipient = recipientById(found.recipient);
  if (!recipient) throw new Error(`purposes reference data has no recipient ${found.recipient}`);
  return { schedule, item, recipientId: recipient.id, recipientName: recipient.name };
}

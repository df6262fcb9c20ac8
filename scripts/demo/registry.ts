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

export const NATIONAL_CODE = "000001";
export const PREFECTURE_CODE = "350001";
export const NATIONAL_NODE = "NC-000001";
export const PREFECTURE_NODE = "PS-350001";
export const IDS_NODE = "IDS-350001";
/**
 * The national centre's provision interface account (kind `system`): immediate provisions answer agencies'
 * online queries under it. It is the only system account of the demo: batches, periodic notifications and
 * the resident-records system's updates carry no `user.id` at all (system activity, INTERFACE.md §1).
 */
export const NATIONAL_BATCH_ACCOUNT = "SYS-000001-BATCH";
export const SYSTEM_DEPARTMENT = "システム";

interface MunicipalitySpec {
  code: string;
  name: string;
  population: number;
  /** Operators and terminals at scale 1, and the least number of operators at any scale. */
  operators: number;
  terminals: number;
  minOperators: number;
  /** Counter department (市民課 / 住民課) and branch offices (総合支所 …). */
  department: string;
  branches: string[];
  hours?: BusinessHours;
  /** Operators authenticate with IC card + vein instead of IC card + password. */
  biometric?: boolean;
  /** The CS sends only on business days, in business hours (registered with BUSINESS_DAYS_ONLY_INTERVAL). */
  businessDaysOnly?: boolean;
}

/**
 * Registered expected interval of a CS that sends only on business days: four days, which covers a long
 * weekend (Friday evening to Tuesday morning, about 3 d 15 h). On longer closures the CS sends a status
 * notice at noon from the fourth closed day on (see addPeriodicNotifications).
 */
export const BUSINESS_DAYS_ONLY_INTERVAL = 4 * 24 * 60;

const LONG_DAY: BusinessHours = { start: "08:30", end: "17:30" };

/** The 19 市町 of 山口県 in DOMAIN.md order (their position gives the 10.35.<n>.x terminal network). */
export const MUNICIPALITIES: readonly MunicipalitySpec[] = [
  { code: "352012", name: "下関市", population: 250000, operators: 38, terminals: 18, minOperators: 10, department: "市民課", branches: ["菊川総合支所", "豊田総合支所", "豊浦総合支所", "豊北総合支所"], hours: LONG_DAY },
  { code: "352021", name: "宇部市", population: 160000, operators: 32, terminals: 14, minOperators: 10, department: "市民課", branches: ["楠総合支所"] },
  { code: "352039", name: "山口市", population: 188000, operators: 36, terminals: 16, minOperators: 10, department: "市民課", branches: ["小郡総合支所", "秋穂総合支所", "阿知須総合支所", "徳地総合支所", "阿東総合支所"], biometric: true },
  { code: "352047", name: "萩市", population: 44000, operators: 12, terminals: 7, minOperators: 6, department: "市民課", branches: ["川上総合事務所", "田万川総合事務所", "むつみ総合事務所", "須佐総合事務所", "旭総合事務所", "福栄総合事務所"] },
  { code: "352063", name: "防府市", population: 113000, operators: 18, terminals: 10, minOperators: 8, department: "市民課", branches: [] },
  { code: "352071", name: "下松市", population: 57000, operators: 11, terminals: 5, minOperators: 6, department: "市民課", branches: [] },
  { code: "352080", name: "岩国市", population: 129000, operators: 22, terminals: 12, minOperators: 8, department: "市民課", branches: ["由宇総合支所", "玖珂総合支所", "周東総合支所", "錦総合支所", "美川総合支所", "美和総合支所", "本郷総合支所"], hours: LONG_DAY },
  { code: "352101", name: "光市", population: 50000, operators: 10, terminals: 5, minOperators: 6, department: "市民課", branches: ["大和支所"] },
  { code: "352110", name: "長門市", population: 32000, operators: 9, terminals: 5, minOperators: 5, department: "市民課", branches: ["三隅支所", "日置支所", "油谷支所"] },
  { code: "352128", name: "柳井市", population: 31000, operators: 8, terminals: 4, minOperators: 5, department: "市民課", branches: ["大畠出張所"] },
  { code: "352136", name: "美祢市", population: 22000, operators: 8, terminals: 4, minOperators: 5, department: "市民課", branches: ["美東総合支所", "秋芳総合支所"] },
  { code: "352152", name: "周南市", population: 138000, operators: 30, terminals: 14, minOperators: 10, department: "市民課", branches: ["新南陽総合支所", "熊毛総合支所", "鹿野総合支所"] },
  { code: "352161", name: "山陽小野田市", population: 60000, operators: 12, terminals: 6, minOperators: 6, department: "市民課", branches: ["山陽総合事務所"] },
  { code: "353051", name: "周防大島町", population: 14000, operators: 3, terminals: 3, minOperators: 2, department: "町民課", branches: [] },
  { code: "353213", name: "和木町", population: 6000, operators: 2, terminals: 2, minOperators: 2, department: "町民課", branches: [] },
  { code: "353418", name: "上関町", population: 2400, operators: 2, terminals: 2, minOperators: 2, department: "町民課", branches: [] },
  { code: "353434", name: "田布施町", population: 14500, operators: 3, terminals: 3, minOperators: 2, department: "町民課", branches: [] },
  { code: "353442", name: "平生町", population: 11500, operators: 2, terminals: 2, minOperators: 2, department: "町民課", branches: [] },
  { code: "355020", name: "阿武町", population: 3000, operators: 2, terminals: 2, minOperators: 2, department: "住民課", branches: [], businessDaysOnly: true },
];

/** Municipal operator 001 of a city works in the information-systems section (system administrator). */
const ADMIN_DEPARTMENT = "情報政策課";

interface PrefectureDepartment {
  name: string;
  operators: number;
  /** 別表第5 items and ordinance items the department searches for. */
  schedule5: string[];
  ordinance: string[];
}

/**
 * Prefectural departments with Juki-net terminals. Together they use 21 別表第5
 * 事務 and 17 ordinance 事務, as 山口県 reported for 令和4年度 (seed 003).
 */
export const PREFECTURE_DEPARTMENTS: readonly PrefectureDepartment[] = [
  { name: "市町課", operators: 2, schedule5: [], ordinance: [] },
  { name: "税務課", operators: 4, schedule5: ["5-1"], ordinance: [] },
  { name: "旅券センター", operators: 3, schedule5: ["5-5"], ordinance: [] },
  { name: "障害者支援課", operators: 2, schedule5: ["5-2", "5-3", "5-7", "5-8"], ordinance: ["ordinance-5", "ordinance-6", "ordinance-7"] },
  { name: "健康増進課", operators: 1, schedule5: ["5-4", "5-21"], ordinance: ["ordinance-11"] },
  { name: "こども家庭課", operators: 2, schedule5: ["5-6", "5-11", "5-12", "5-15"], ordinance: ["ordinance-8", "ordinance-9", "ordinance-10"] },
  { name: "学事文書課", operators: 1, schedule5: ["5-9"], ordinance: ["ordinance-4"] },
  { name: "医務保険課", operators: 1, schedule5: ["5-10"], ordinance: [] },
  { name: "住宅課", operators: 1, schedule5: ["5-13"], ordinance: ["ordinance-14"] },
  { name: "厚政課", operators: 1, schedule5: ["5-14"], ordinance: [] },
  { name: "監理課", operators: 1, schedule5: ["5-16", "5-17"], ordinance: [] },
  { name: "生活衛生課", operators: 1, schedule5: ["5-18"], ordinance: [] },
  { name: "医療政策課", operators: 1, schedule5: ["5-19"], ordinance: ["ordinance-12", "ordinance-13"] },
  { name: "長寿社会課", operators: 1, schedule5: ["5-20"], ordinance: [] },
  { name: "教育委員会", operators: 1, schedule5: [], ordinance: ["ordinance-1", "ordinance-2", "ordinance-3"] },
  { name: "県民生活課", operators: 1, schedule5: [], ordinance: ["ordinance-15"] },
  { name: "防災危機管理課", operators: 1, schedule5: [], ordinance: ["ordinance-16"] },
  { name: "農林水産政策課", operators: 1, schedule5: [], ordinance: ["ordinance-17"] },
];
const PREFECTURE_TERMINALS = 12;

/**
 * Night-time online-batch provisions by the prefectural server (schedules 2–4
 * and 6) with their usual record counts. `nights`: after every business day,
 * or once a week on the night after the given weekday (0 = Sunday).
 */
export const PREFECTURE_BATCHES: readonly { item: string; records: number; nights: "business" | number }[] = [
  { item: "2-1", records: 420, nights: "business" },
  { item: "2-2", records: 360, nights: "business" },
  { item: "4-1", records: 240, nights: "business" },
  { item: "3-1", records: 260, nights: "business" },
  { item: "2-3", records: 120, nights: 1 },
  { item: "6-1", records: 650, nights: 2 },
  { item: "6-2", records: 480, nights: 4 },
  { item: "6-3", records: 90, nights: 5 },
];

/** Yearly 別表第5 searches and ordinance searches of 山口県 (令和4年度, seed 003) and its business days. */
export const PREFECTURE_SCHEDULE5_PER_YEAR = 133_394;
export const PREFECTURE_ORDINANCE_PER_YEAR = 13_813;
export const BUSINESS_DAYS_PER_YEAR = 243;

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
  return { id, organization, department: SYSTEM_DEPARTMENT, card: undefined, terminal: undefined, authMethod: "ic_card_password", intensity: 1, role: "system" };
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
        purposes: purposes.length ? new WeightedPicker(purposes.map(({ schedule, item }) => ({ schedule, item })), purposes.map((p) => p.daily)) : undefined,
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
    const items = PREFECTURE_BATCHES.map((b) => b.item).filter((i) => i.startsWith(`${schedule}-`)).sort(byNumber);
    out.push({ organization: PREFECTURE_CODE, schedule, items });
  }
  out.push({ organization: NATIONAL_CODE, schedule: "1", items: ["*"] });
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
      [...o.operators.map((op) => ({ op, kind: "person" })), ...(o.systemAccount ? [{ op: o.systemAccount, kind: "system" }] : [])].map(({ op, kind }) => ({ id: op.id, organization: op.organization, department: op.department, cards: op.card ? [op.card] : [], kind })),
    ),
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

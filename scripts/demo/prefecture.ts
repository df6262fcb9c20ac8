/**
 * The demo prefecture as data (山口県, DOMAIN.md): its codes and nodes, the 19 市町 with their sizes,
 * branches and hours, the prefecture's departments and nightly batches, and the yearly volumes the
 * generator is scaled to. registry.ts builds the registry from it.
 */
import type { BusinessHours } from "../../lib/calendar";

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

export interface MunicipalitySpec {
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

export const LONG_DAY: BusinessHours = { start: "08:30", end: "17:30" };

/** The 19 市町 of 山口県 in DOMAIN.md order (their position gives the 10.35.<n>.x terminal network). */
// prettier-ignore
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
export const ADMIN_DEPARTMENT = "情報政策課";

export interface PrefectureDepartment {
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
// prettier-ignore
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
export const PREFECTURE_TERMINALS = 12;

/**
 * Night-time online-batch provisions by the prefectural server (schedules 2–4
 * and 6) with their usual record counts. `nights`: after every business day,
 * or once a week on the night after the given weekday (0 = Sunday). `form`: how
 * the server sends the batch (traffic.ts BatchForm): the prefecture's own
 * 別表第6 recipients and 4-1 get per-resident records beside the summary.
 */
// prettier-ignore
export const PREFECTURE_BATCHES: readonly { item: string; records: number; nights: "business" | number; form: "summary" | "records" | "both" }[] = [
  { item: "2-1", records: 420, nights: "business", form: "summary" },
  { item: "2-2", records: 360, nights: "business", form: "summary" },
  { item: "4-1", records: 240, nights: "business", form: "both" },
  { item: "3-1", records: 260, nights: "business", form: "summary" },
  { item: "2-3", records: 120, nights: 1, form: "summary" },
  { item: "6-1", records: 650, nights: 2, form: "both" },
  { item: "6-2", records: 480, nights: 4, form: "both" },
  { item: "6-3", records: 90, nights: 5, form: "both" },
];

/** Yearly 別表第5 searches and ordinance searches of 山口県 (令和4年度, seed 003) and its business days. */
export const PREFECTURE_SCHEDULE5_PER_YEAR = 133_394;
export const PREFECTURE_ORDINANCE_PER_YEAR = 13_813;
export const BUSINESS_DAYS_PER_YEAR = 243;

/**
 * What a registry import changes, section by section: rows created, updated
 * and left unchanged. The import compares each row with what is stored before
 * writing it; a dry run is the same import rolled back, so what it reports is
 * exactly what the real import would do. Row-level problems are told in
 * Japanese, naming the section and the entry (`describeProblem`).
 */
import { t, type MessageKey } from "../../lib/i18n";

export const REGISTRY_SECTIONS = [
  "organizations",
  "nodes",
  "terminals",
  "operators",
  "cards",
  "departments",
  "permitted_purposes",
  "maintenance_windows",
  "after_hours_permits",
] as const;
export type RegistrySection = (typeof REGISTRY_SECTIONS)[number];

export interface SectionChanges {
  created: number;
  updated: number;
  unchanged: number;
}
export type RegistryChanges = Record<RegistrySection, SectionChanges>;

const norm = (v: unknown) => (v instanceof Date ? v.getTime() : (v ?? null));

/** Counts one row as created (none before), unchanged (every field the same) or updated. */
export function changeTracker() {
  const changes = Object.fromEntries(REGISTRY_SECTIONS.map((s) => [s, { created: 0, updated: 0, unchanged: 0 }])) as RegistryChanges;
  return {
    changes,
    count(section: RegistrySection, before: object | null, data: Record<string, unknown>): void {
      const b = before as Record<string, unknown> | null;
      const kind = !b ? "created" : Object.keys(data).every((k) => norm(b[k]) === norm(data[k])) ? "unchanged" : "updated";
      changes[section][kind]++;
    },
  };
}

/** Orders organisations so that every parent in the file comes before its children (cycles are reported by the scope check). */
export function parentsFirst<T extends { id: string; parent?: string | null }>(orgs: T[]): T[] {
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const out: T[] = [];
  const seen = new Set<string>();
  const visit = (o: T) => {
    if (seen.has(o.id)) return;
    seen.add(o.id);
    const parent = o.parent ? byId.get(o.parent) : undefined;
    if (parent) visit(parent);
    out.push(o);
  };
  orgs.forEach(visit);
  return out;
}

/** Thrown inside the import's transaction to roll a dry run back. */
export class DryRunRollback extends Error {
  constructor(readonly changes: RegistryChanges) {
    super("dry run: rolled back");
  }
}

const PROBLEM = /^([a-z_]+)(?:\[(\d+)\])?((?:\.[A-Za-z_]+|\[\d+\])*): (.*)$/s;

const MESSAGES: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^expected a 6-digit local government code with a valid check digit$/, () => "団体コードは検査数字の正しい6桁の地方公共団体コードで入力してください"],
  [/^expected HH:MM$/, () => "時刻は HH:MM で入力してください"],
  [/^expected an ISO 8601 date-time with offset$/, () => "日時は時差付きの ISO 8601 形式（例 2026-05-10T18:00:00+09:00）で入力してください"],
  [/^unknown section/, () => "不明な区分です（INTERFACE.md §5 の区分名を確認してください）"],
  [/^unknown field/, () => "不明な項目です"],
  [/^duplicate (\S+) "(.*)"$/, (m) => `「${m[2]}」が重複しています`],
  [/^unknown organization "(.*)"$/, (m) => `団体「${m[1]}」は登録されていません`],
  [/start must be before end$/, () => "開始は終了より前にしてください"],
  [/cannot be its own parent$/, () => "団体を自分自身の上位団体にはできません"],
  [/^cycle in parents: (.*)$/, (m) => `上位団体が循環しています（${m[1]}）`],
  [/outside your scope/, () => "管理範囲外の団体です"],
  [/reserved to administrators of a prefecture/, () => "団体の種別・上位団体の変更は都道府県または全国センターの管理者に限られます"],
  [/your own organisation/, () => "自団体の種別・上位団体は変更できません"],
  [/may make a top organisation$/, () => "最上位の団体はコマンド（npm run registry:import）でのみ登録できます"],
  [/^Invalid input|^Invalid option/, () => "値が正しくありません"],
  [/^Too (small|big)/, () => "値の長さ・大きさが範囲外です"],
];

const FIELDS: Record<string, string> = {
  id: "ID",
  name: "名称",
  kind: "種別",
  parent: "上位団体",
  organization: "団体",
  business_hours: "業務時間",
  start: "開始",
  end: "終了",
  ip: "IPアドレス",
  type: "種別",
  cards: "ICカード",
  purposes: "利用事務",
  schedule: "別表",
  items: "事務",
  operators: "操作者",
  reason: "理由",
  note: "備考",
};

/**
 * A problem of a refused registry file (as the import reports it, with its
 * JSON path: `terminals[2].organization: unknown organization "352999"`) in
 * Japanese, naming the section, the entry (its number and id, when the file
 * has one) and the field: 業務端末 3件目（TM-01）の団体: 団体「352999」は登録されていません.
 */
export function describeProblem(problem: string, file?: unknown): string {
  const m = PROBLEM.exec(problem);
  if (!m) return problem;
  const [, section, index, rest, message] = m;
  const sectionKey = `admin.registrySection.${section}` as MessageKey;
  const sectionName = (REGISTRY_SECTIONS as readonly string[]).includes(section) ? t(sectionKey) : section;
  const rows = (file as Record<string, unknown> | undefined)?.[section];
  const row = index !== undefined && Array.isArray(rows) ? (rows[Number(index)] as Record<string, unknown> | undefined) : undefined;
  const label = typeof row?.id === "string" ? row.id : typeof row?.organization === "string" ? row.organization : undefined;
  const entry = index !== undefined ? ` ${Number(index) + 1}件目${label ? `（${label}）` : ""}` : "";
  const field = rest
    .split(/[.[\]]/)
    .filter(Boolean)
    .map((f) => (/^\d+$/.test(f) ? `${Number(f) + 1}番目` : (FIELDS[f] ?? f)))
    .join("の");
  const found = MESSAGES.find(([re]) => re.test(message));
  const text = found ? found[1](found[0].exec(message)!) : message;
  return `${sectionName}${entry}${field ? `の${field}` : ""}: ${text}`;
}

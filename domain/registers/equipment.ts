/**
 * Equipment register (機器台帳, issue 17 item 1): the Juki-net devices of each
 * organisation, their maintenance contract end and planned renewal (a six-year
 * cycle by default, per prefecture by configuration), and the disposal record
 * of retired devices (how the storage was wiped, by whom, when). Every read and
 * write takes the caller's Scope: an organisation outside it is 403, a device
 * outside it 404.
 *
 * Offices keep the register as a spreadsheet; `importEquipment` reads it (XLSX
 * or CSV, headings in Japanese: EQUIPMENT_COLUMNS) with a dry run, storing the
 * good rows and naming each bad row's problem; `exportEquipment` writes the
 * same columns back, so an export re-imports unchanged.
 */
import { AuthError } from "../../lib/auth/principal";
import type { Scope } from "../../lib/auth/scope";
import { fiscalYear, jstMidnight, jstParts } from "../../lib/calendar";
import { config } from "../../lib/config";
import { db } from "../../lib/db";
import type { Equipment } from "../../lib/generated/prisma/client";
import { dateKeyOf, readSheet, SheetError, writeSheet } from "./sheet";
import type { AuditTableSource, FigureSource, RegisterReminder, RegisterTable, ReminderSource } from "./types";

export const EQUIPMENT_KINDS = ["cs_server", "business_terminal", "firewall", "ids_sensor", "network_device", "card_reader", "biometric_device"] as const;
export type EquipmentKind = (typeof EQUIPMENT_KINDS)[number];
export const EQUIPMENT_STATUSES = ["in_service", "spare", "retired"] as const;
export type EquipmentStatus = (typeof EQUIPMENT_STATUSES)[number];

/** How the spreadsheet names kinds and statuses (the codes are accepted too). */
export const KIND_NAMES: Record<EquipmentKind, string> = {
  cs_server: "CSサーバ",
  business_terminal: "業務端末",
  firewall: "ファイアウォール",
  ids_sensor: "IDSセンサ",
  network_device: "ネットワーク機器",
  card_reader: "ICカードリーダ",
  biometric_device: "生体認証装置",
};
export const STATUS_NAMES: Record<EquipmentStatus, string> = { in_service: "稼働中", spare: "予備", retired: "廃棄" };

/**
 * The register file's columns: field → Japanese heading (the form offices keep). The heading row must name
 * 管理番号, 団体コード, 機器種別 and 機器名; the others may be absent. Dates as YYYY-MM-DD or YYYY/M/D.
 */
export const EQUIPMENT_COLUMNS = {
  assetNo: "管理番号",
  organizationId: "団体コード",
  kind: "機器種別",
  name: "機器名",
  location: "設置場所",
  nodeId: "ノードID",
  terminalId: "端末ID",
  installedOn: "設置日",
  maintenanceEnd: "保守期限",
  plannedRenewal: "更改予定日",
  status: "状態",
  disposedOn: "廃棄日",
  wipeMethod: "消去方法",
  wipedBy: "消去実施者",
  note: "備考",
} as const;
type Field = keyof typeof EQUIPMENT_COLUMNS;
const REQUIRED: Field[] = ["assetNo", "organizationId", "kind", "name"];
const DATE_FIELDS = ["installedOn", "maintenanceEnd", "plannedRenewal", "disposedOn"] as const;
const MAX_TEXT = 200;

/** A refusal with a catalogue code (registers.equipment.error.<code>). */
export class EquipmentError extends Error {
  constructor(
    readonly code: "bad_input" | "not_found" | "bad_file" | "unknown_heading" | "missing_heading",
    message: string,
  ) {
    super(message);
  }
}

export interface EquipmentInput {
  organizationId: string;
  assetNo: string;
  kind: string;
  name: string;
  location?: string | null;
  nodeId?: string | null;
  terminalId?: string | null;
  /** Date keys (YYYY-MM-DD, JST). */
  installedOn?: string | null;
  maintenanceEnd?: string | null;
  plannedRenewal?: string | null;
  status?: string | null;
  disposedOn?: string | null;
  wipeMethod?: string | null;
  wipedBy?: string | null;
  note?: string | null;
}

/** Problem codes of one row or field (registers.equipment.problem.<code>). */
export type Problem =
  | "required"
  | "too_long"
  | "bad_kind"
  | "bad_status"
  | "bad_date"
  | "bad_organization"
  | "outside_scope"
  | "unknown_node"
  | "unknown_terminal"
  | "disposal_incomplete"
  | "duplicate"
  | "formula";

export interface RowProblem {
  /** Spreadsheet row (the heading row is 1). */
  row: number;
  /** The Japanese heading of the field at fault. */
  column: string;
  problem: Problem;
  detail: string;
}

const kindOf = (v: string): EquipmentKind | undefined =>
  (EQUIPMENT_KINDS as readonly string[]).includes(v) ? (v as EquipmentKind) : EQUIPMENT_KINDS.find((k) => KIND_NAMES[k] === v);
const statusOf = (v: string): EquipmentStatus | undefined =>
  !v ? "in_service" : (EQUIPMENT_STATUSES as readonly string[]).includes(v) ? (v as EquipmentStatus) : EQUIPMENT_STATUSES.find((s) => STATUS_NAMES[s] === v);

interface Checked {
  data: Omit<Equipment, "id" | "createdAt" | "updatedAt">;
}

/** Known registry rows the links are checked against (node and terminal ids → organisation). */
interface Links {
  nodes: Map<string, string>;
  terminals: Map<string, string>;
}

/** Checks one input against the scope and the registry: the row's data, or its problems (pure but for the inputs). */
export function checkEquipment(
  scope: Scope,
  input: EquipmentInput,
  links: Links,
): Checked | { problems: { field: Field; problem: Problem; detail: string }[] } {
  const problems: { field: Field; problem: Problem; detail: string }[] = [];
  const s = (f: Field) => String((input as unknown as Record<string, unknown>)[f] ?? "").trim();
  for (const f of REQUIRED) if (!s(f)) problems.push({ field: f, problem: "required", detail: "empty" });
  for (const f of Object.keys(EQUIPMENT_COLUMNS) as Field[])
    if (s(f).length > MAX_TEXT) problems.push({ field: f, problem: "too_long", detail: `longer than ${MAX_TEXT} characters` });
  const org = s("organizationId");
  if (org && !/^\d{6}$/.test(org)) problems.push({ field: "organizationId", problem: "bad_organization", detail: `"${org}" is not a 6-digit code` });
  else if (org && !scope.includes(org)) problems.push({ field: "organizationId", problem: "outside_scope", detail: org });
  const kind = kindOf(s("kind"));
  if (s("kind") && !kind) problems.push({ field: "kind", problem: "bad_kind", detail: s("kind") });
  const status = statusOf(s("status"));
  if (!status) problems.push({ field: "status", problem: "bad_status", detail: s("status") });
  const dates: Partial<Record<(typeof DATE_FIELDS)[number], Date | null>> = {};
  for (const f of DATE_FIELDS) {
    const key = dateKeyOf(s(f));
    if (key === undefined) problems.push({ field: f, problem: "bad_date", detail: s(f) });
    else dates[f] = key ? jstMidnight(key) : null;
  }
  const nodeId = s("nodeId") || null;
  if (nodeId && links.nodes.get(nodeId) !== org) problems.push({ field: "nodeId", problem: "unknown_node", detail: nodeId });
  const terminalId = s("terminalId") || null;
  if (terminalId && links.terminals.get(terminalId) !== org) problems.push({ field: "terminalId", problem: "unknown_terminal", detail: terminalId });
  if (status === "retired" && (!dates.disposedOn || !s("wipeMethod") || !s("wipedBy")))
    problems.push({ field: "disposedOn", problem: "disposal_incomplete", detail: "a retired device needs 廃棄日, 消去方法 and 消去実施者" });
  if (problems.length) return { problems };
  return {
    data: {
      organizationId: org,
      assetNo: s("assetNo"),
      kind: kind!,
      name: s("name"),
      location: s("location") || null,
      nodeId,
      terminalId,
      installedOn: dates.installedOn ?? null,
      maintenanceEnd: dates.maintenanceEnd ?? null,
      plannedRenewal: dates.plannedRenewal ?? null,
      status: status!,
      disposedOn: dates.disposedOn ?? null,
      wipeMethod: s("wipeMethod") || null,
      wipedBy: s("wipedBy") || null,
      note: s("note") || null,
    },
  };
}

async function linksOf(orgs: string[]): Promise<Links> {
  const [nodes, terminals] = await Promise.all([
    db().node.findMany({ where: { organizationId: { in: orgs } }, select: { id: true, organizationId: true } }),
    db().terminal.findMany({ where: { organizationId: { in: orgs } }, select: { id: true, organizationId: true } }),
  ]);
  return { nodes: new Map(nodes.map((n) => [n.id, n.organizationId])), terminals: new Map(terminals.map((t) => [t.id, t.organizationId])) };
}

/** The equipment of the scope (narrowed to one organisation when given), by organisation and asset number. */
export async function listEquipment(scope: Scope, filter: { organizationId?: string; status?: string } = {}) {
  const s = scope.narrow(filter.organizationId);
  return db().equipment.findMany({
    where: { ...s.where(), ...(filter.status ? { status: filter.status } : {}) },
    orderBy: [{ organizationId: "asc" }, { assetNo: "asc" }],
  });
}

/** One device in scope; 403 when its organisation is outside the scope, 404 when there is none. */
export async function getEquipment(scope: Scope, id: number): Promise<Equipment> {
  if (!Number.isSafeInteger(id) || id < 1) throw new AuthError(404, `no equipment ${id}`);
  const row = await db().equipment.findFirst({ where: { id, ...scope.where() } });
  if (row) return row;
  const other = await db().equipment.findUnique({ where: { id }, select: { organizationId: true } });
  throw other
    ? new AuthError(403, `equipment ${id} belongs to organisation ${other.organizationId}, outside your scope`)
    : new AuthError(404, `no equipment ${id}`);
}

/** Adds or updates (by organisation + asset number) one device from the form; the problems as one EquipmentError. */
export async function saveEquipment(scope: Scope, input: EquipmentInput): Promise<Equipment> {
  scope.require(input.organizationId);
  const checked = checkEquipment(scope, input, await linksOf([input.organizationId]));
  if ("problems" in checked)
    throw new EquipmentError("bad_input", checked.problems.map((p) => `${EQUIPMENT_COLUMNS[p.field]}: ${p.problem} (${p.detail})`).join("; "));
  const d = checked.data;
  return db().equipment.upsert({ where: { organizationId_assetNo: { organizationId: d.organizationId, assetNo: d.assetNo } }, create: d, update: d });
}

/** Retires a device with its disposal record (date, how the storage was wiped, by whom). */
export async function retireEquipment(scope: Scope, id: number, disposal: { disposedOn: string; wipeMethod: string; wipedBy: string }): Promise<Equipment> {
  const row = await getEquipment(scope, id);
  const key = dateKeyOf(disposal.disposedOn.trim());
  const wipeMethod = disposal.wipeMethod.trim();
  const wipedBy = disposal.wipedBy.trim();
  if (!key || !wipeMethod || !wipedBy || wipeMethod.length > MAX_TEXT || wipedBy.length > MAX_TEXT)
    throw new EquipmentError("bad_input", "廃棄日, 消去方法 and 消去実施者 are required");
  return db().equipment.update({ where: { id: row.id }, data: { status: "retired", disposedOn: jstMidnight(key), wipeMethod, wipedBy } });
}

export interface ImportResult {
  dryRun: boolean;
  /** Data rows read. */
  rows: number;
  /** Rows stored (or, on a dry run, that would be). */
  stored: number;
  created: number;
  updated: number;
  problems: RowProblem[];
}

/**
 * Imports a register file. Each row is checked on its own: a bad row is named with its problem and left out,
 * the good rows are stored (upserted by organisation + asset number) unless `dryRun`. A file that cannot be
 * read, a heading that is not one of EQUIPMENT_COLUMNS (a prototype key included) or a missing required
 * heading refuses the whole file.
 */
export async function importEquipment(scope: Scope, file: { name: string; bytes: Buffer }, opts: { dryRun: boolean }): Promise<ImportResult> {
  let sheet;
  try {
    sheet = await readSheet(file);
  } catch (e) {
    if (e instanceof SheetError) throw new EquipmentError(e.code === "prototype_key" ? "unknown_heading" : "bad_file", e.message);
    throw e;
  }
  const byHeading = new Map<string, Field>(Object.entries(EQUIPMENT_COLUMNS).map(([f, h]) => [h, f as Field]));
  const fields = sheet.headings.map((h) => {
    if (!h) return undefined;
    const f = byHeading.get(h);
    if (!f) throw new EquipmentError("unknown_heading", `heading "${h}" is not a column of the register (${Object.values(EQUIPMENT_COLUMNS).join(", ")})`);
    return f;
  });
  for (const f of REQUIRED) if (!fields.includes(f)) throw new EquipmentError("missing_heading", `heading ${EQUIPMENT_COLUMNS[f]} is missing`);

  const orgs = [...new Set(sheet.rows.map((r) => r.cells[fields.indexOf("organizationId")] ?? "").filter((o) => scope.includes(o)))];
  const links = await linksOf(orgs);
  const problems: RowProblem[] = [];
  const good: Checked["data"][] = [];
  const seen = new Map<string, number>();
  for (const r of sheet.rows) {
    if (r.formula) {
      problems.push({ row: r.row, column: r.formula, problem: "formula", detail: "a formula (= + - @) is refused" });
      continue;
    }
    const input: Record<string, string> = {};
    fields.forEach((f, i) => f && (input[f] = r.cells[i] ?? ""));
    const checked = checkEquipment(scope, input as unknown as EquipmentInput, links);
    if ("problems" in checked) {
      for (const p of checked.problems) problems.push({ row: r.row, column: EQUIPMENT_COLUMNS[p.field], problem: p.problem, detail: p.detail });
      continue;
    }
    const key = `${checked.data.organizationId}\u0000${checked.data.assetNo}`;
    if (seen.has(key)) {
      problems.push({ row: r.row, column: EQUIPMENT_COLUMNS.assetNo, problem: "duplicate", detail: `same as row ${seen.get(key)}` });
      continue;
    }
    seen.set(key, r.row);
    good.push(checked.data);
  }
  const existing = new Set(
    (
      await db().equipment.findMany({
        where: { ...scope.where(), assetNo: { in: [...new Set(good.map((g) => g.assetNo))] } },
        select: { organizationId: true, assetNo: true },
      })
    ).map((e) => `${e.organizationId}\u0000${e.assetNo}`),
  );
  const updated = good.filter((g) => existing.has(`${g.organizationId}\u0000${g.assetNo}`)).length;
  if (!opts.dryRun && good.length) {
    await db().$transaction(
      good.map((d) =>
        db().equipment.upsert({ where: { organizationId_assetNo: { organizationId: d.organizationId, assetNo: d.assetNo } }, create: d, update: d }),
      ),
    );
  }
  return { dryRun: opts.dryRun, rows: sheet.rows.length, stored: good.length, created: good.length - updated, updated, problems };
}

export const dateCell = (d: Date | null) => (d ? jstParts(d).dateKey : "");

/** The register as XLSX, in the import's columns (so an export re-imports unchanged). */
export async function exportEquipment(scope: Scope, organizationId?: string): Promise<Buffer> {
  const rows = await listEquipment(scope, { organizationId });
  const fields = Object.keys(EQUIPMENT_COLUMNS) as Field[];
  return writeSheet(
    "機器台帳",
    fields.map((f) => EQUIPMENT_COLUMNS[f]),
    rows.map((e) =>
      fields.map((f) => {
        if (f === "kind") return KIND_NAMES[e.kind as EquipmentKind] ?? e.kind;
        if (f === "status") return STATUS_NAMES[e.status as EquipmentStatus] ?? e.status;
        if ((DATE_FIELDS as readonly string[]).includes(f)) return dateCell(e[f as (typeof DATE_FIELDS)[number]]);
        return (e[f] as string | null) ?? "";
      }),
    ),
  );
}

// ---- renewal cycle, reminders, figures, audit tables ----

/** Renewal cycles per prefecture from EQUIPMENT_RENEWAL_YEARS_BY_PREFECTURE (pure). */
export function parseCycles(value: string | undefined): Map<string, number> {
  return new Map(
    (value ?? "")
      .split(",")
      .filter(Boolean)
      .map((pair) => pair.split("=") as [string, string])
      .map(([code, years]) => [code, Number(years)]),
  );
}

/** The renewal cycle (years) of each organisation: its own prefecture's configured cycle, else the default. */
async function cyclesOf(orgs: string[]): Promise<Map<string, number>> {
  const cfg = config();
  const byPrefecture = parseCycles(cfg.EQUIPMENT_RENEWAL_YEARS_BY_PREFECTURE);
  const out = new Map<string, number>();
  if (!byPrefecture.size) {
    for (const o of orgs) out.set(o, cfg.EQUIPMENT_RENEWAL_YEARS);
    return out;
  }
  const all = await db().organization.findMany({ select: { id: true, parentId: true, kind: true } });
  const byId = new Map(all.map((o) => [o.id, o]));
  for (const o of orgs) {
    let cur = byId.get(o);
    while (cur && cur.kind !== "prefecture") cur = cur.parentId ? byId.get(cur.parentId) : undefined;
    out.set(o, (cur && byPrefecture.get(cur.id)) ?? cfg.EQUIPMENT_RENEWAL_YEARS);
  }
  return out;
}

/** The planned renewal of a device: as recorded, else installed on + the cycle; null when neither is known (pure). */
export function renewalOf(e: Pick<Equipment, "plannedRenewal" | "installedOn">, cycleYears: number): Date | null {
  if (e.plannedRenewal) return e.plannedRenewal;
  if (!e.installedOn) return null;
  const d = new Date(e.installedOn);
  d.setUTCFullYear(d.getUTCFullYear() + cycleYears);
  return d;
}

/** The JST fiscal year [1 April, next 1 April) as instants. */
export function fiscalYearRange(fy: number): { from: Date; to: Date } {
  return { from: jstMidnight(`${fy}-04-01`), to: jstMidnight(`${fy + 1}-04-01`) };
}

export const MAINTENANCE_REMINDER_DAYS = 90;
const DAY_MS = 86_400_000;

/** The rows with their planned renewal (recorded, or installed on + the organisation's cycle). */
export async function withRenewal(rows: Equipment[]): Promise<(Equipment & { renewal: Date | null })[]> {
  const cycles = await cyclesOf([...new Set(rows.map((r) => r.organizationId))]);
  return rows.map((r) => ({ ...r, renewal: renewalOf(r, cycles.get(r.organizationId) ?? config().EQUIPMENT_RENEWAL_YEARS) }));
}

/** Devices in use (in service or spare) with their renewal, of the organisations in scope. */
async function inUse(scope: Scope) {
  const rows = await db().equipment.findMany({
    where: { ...scope.where(), status: { not: "retired" } },
    orderBy: [{ organizationId: "asc" }, { assetNo: "asc" }],
  });
  const cycles = await cyclesOf([...new Set(rows.map((r) => r.organizationId))]);
  return rows.map((r) => ({ ...r, renewal: renewalOf(r, cycles.get(r.organizationId) ?? config().EQUIPMENT_RENEWAL_YEARS) }));
}

/** Maintenance ending within 90 days (and not yet ended); renewal due this fiscal year. */
export const equipmentReminders: ReminderSource = async (scope, now) => {
  const fy = fiscalYearRange(fiscalYear(now));
  const out: RegisterReminder[] = [];
  for (const e of await inUse(scope)) {
    const subject = `${e.name}（${e.assetNo}）`;
    const href = `/registers/equipment/${e.id}`;
    if (e.maintenanceEnd && e.maintenanceEnd >= now && e.maintenanceEnd.getTime() - now.getTime() <= MAINTENANCE_REMINDER_DAYS * DAY_MS)
      out.push({ kind: "maintenance_ending", organizationId: e.organizationId, subject, due: e.maintenanceEnd, href });
    if (e.renewal && e.renewal >= fy.from && e.renewal < fy.to)
      out.push({ kind: "renewal_due", organizationId: e.organizationId, subject, due: e.renewal, href });
  }
  return out;
};

/** Checklist signals of the equipment register (domain/checklist/template.ts SIGNALS). */
export const EQUIPMENT_SIGNALS = ["equipment_in_service", "equipment_past_maintenance", "equipment_renewal_due", "equipment_disposed"] as const;

/**
 * Figures of one organisation's fiscal year: devices in service now; of those, past their maintenance end (as of
 * now, or the fiscal year's end when it is over); renewals planned in the year; devices disposed of in the year.
 */
export const equipmentFigures: FigureSource = async (scope, organizationId, fiscalYearValue, now) => {
  const s = scope.narrow(organizationId);
  const fy = fiscalYearRange(fiscalYearValue);
  const asOf = now < fy.to ? now : fy.to;
  const used = await inUse(s);
  const inService = used.filter((e) => e.status === "in_service");
  const disposed = await db().equipment.count({ where: { ...s.where(), status: "retired", disposedOn: { gte: fy.from, lt: fy.to } } });
  const href = `/registers/equipment?organization=${organizationId}`;
  return {
    equipment_in_service: { value: inService.length, href },
    equipment_past_maintenance: {
      value: inService.filter((e) => e.maintenanceEnd && e.maintenanceEnd < asOf).length,
      of: inService.length,
      href: `${href}&view=past_maintenance`,
    },
    equipment_renewal_due: { value: used.filter((e) => e.renewal && e.renewal >= fy.from && e.renewal < fy.to).length, href: `${href}&view=renewal_due` },
    equipment_disposed: { value: disposed, href: `${href}&status=retired` },
  };
};

/** The audit report's table: devices in service during the period whose maintenance had ended before its end. */
export const equipmentAuditTables: AuditTableSource = async (scope, organizationId, period) => {
  const s = scope.narrow(organizationId);
  const rows = await db().equipment.findMany({
    where: {
      ...s.where(),
      maintenanceEnd: { lt: period.to },
      OR: [{ status: { not: "retired" } }, { disposedOn: { gt: period.from } }],
    },
    orderBy: [{ maintenanceEnd: "asc" }, { assetNo: "asc" }],
  });
  const table: RegisterTable = {
    title: "registers.equipment.audit.title",
    columns: [
      "registers.equipment.col.assetNo",
      "registers.equipment.col.kind",
      "registers.equipment.col.name",
      "registers.equipment.col.location",
      "registers.equipment.col.maintenanceEnd",
      "registers.equipment.col.status",
    ],
    rows: rows.map((e) => [
      e.assetNo,
      KIND_NAMES[e.kind as EquipmentKind] ?? e.kind,
      e.name,
      e.location ?? "",
      dateCell(e.maintenanceEnd),
      STATUS_NAMES[e.status as EquipmentStatus] ?? e.status,
    ]),
  };
  return [table];
};

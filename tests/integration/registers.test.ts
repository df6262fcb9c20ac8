/**
 * The equipment register and the IC card register (issue 17) against the real database and Elasticsearch:
 * an import with bad rows stores the good ones and names each bad row's problem (dry run first), a card used
 * after its return is a finding on the card and an alert of card-register-mismatch, the checklist figures of
 * both registers for one municipality, and scope (another municipality's register is refused).
 *
 * Own organisations (359815, 359823, not used by any other test file) and fiscal year 2023 (May 2023 events).
 */
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardFigures, cardFindings, cardReminders, closeCard, getCard, lendCard, listCards, returnCard } from "../../domain/registers/cards";
import {
  EquipmentError,
  equipmentAuditTables,
  equipmentFigures,
  exportEquipment,
  getEquipment,
  importEquipment,
  listEquipment,
} from "../../domain/registers/equipment";
import { FIGURE_SOURCES } from "../../domain/registers/sources";
import { importRegistry } from "../../domain/registry/import";
import { AuthError } from "../../lib/auth/principal";
import { scopeOf, systemScope, type Scope } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { user } from "./audits.fixture";
import { detect, ev, ingest } from "./detectors/harness";

const A = "359815";
const B = "359823";
const ORGS = [A, B];
const NOW = new Date("2023-06-30T12:00:00+09:00");

const registry = {
  organizations: [
    { id: "000001", name: "全国センター", kind: "national" },
    { id: "350001", name: "山口県", kind: "prefecture", parent: "000001" },
    { id: A, name: "試験台帳市", kind: "municipality", parent: "350001" },
    { id: B, name: "試験台帳町", kind: "municipality", parent: "350001" },
  ],
  nodes: [
    { id: `CS-${A}`, type: "municipal_cs", organization: A },
    { id: `CS-${B}`, type: "municipal_cs", organization: B },
  ],
  terminals: [{ id: `TM-${A}-01`, organization: A, ip: "10.99.15.11" }],
  operators: [1, 2, 3]
    .map((n) => ({ id: `OP-${A}-00${n}`, organization: A, department: "市民課", cards: [`IC-${A}-00${n}`] }))
    .concat([{ id: `OP-${B}-001`, organization: B, department: "住民課", cards: [`IC-${B}-001`] }]),
};

let officerA: Scope;
let officerB: Scope;

async function cleanup() {
  await db().equipment.deleteMany({ where: { organizationId: { in: ORGS } } });
  await db().cardRecord.deleteMany({ where: { organizationId: { in: ORGS } } });
}

beforeAll(async () => {
  await importRegistry(registry, systemScope("test"));
  await cleanup();
  officerA = await scopeOf(await user(`reg-officer-${A}`, "municipal_officer", A));
  officerB = await scopeOf(await user(`reg-officer-${B}`, "municipal_officer", B));
}, 120_000);
afterAll(cleanup);

const HEAD = "管理番号,団体コード,機器種別,機器名,設置場所,ノードID,端末ID,設置日,保守期限,更改予定日,状態,廃棄日,消去方法,消去実施者,備考";
const csv = (lines: string[]) => ({ name: "機器台帳.csv", bytes: Buffer.from("\ufeff" + [HEAD, ...lines].join("\r\n"), "utf8") });

describe("equipment register import", () => {
  const file = csv([
    `EQ-001,${A},CSサーバ,市町村CS,サーバ室,CS-${A},,2016-04-01,2023-03-31,,稼働中,,,,`, // row 2: good, past maintenance end
    `EQ-002,${A},業務端末,市民課端末1,市民課,,TM-${A}-01,2017/6/1,2027-03-31,,稼働中,,,,`, // row 3: good, renewal 2023-06-01 (6 years)
    `EQ-003,${A},業務端末,市民課端末2,市民課,,,2020-13-01,,,稼働中,,,,`, // row 4: bad date
    `EQ-004,${A},プリンタ,複合機,市民課,,,,,,稼働中,,,,`, // row 5: unknown kind
    `EQ-005,${B},ファイアウォール,FW,サーバ室,,,,,,稼働中,,,,`, // row 6: another municipality (outside the officer's scope)
    `EQ-006,${A},ネットワーク機器,=1+2,サーバ室,,,,,,稼働中,,,,`, // row 7: formula
    `EQ-007,${A},ICカードリーダ,旧リーダ,倉庫,,,2010-04-01,2016-03-31,,廃棄,2023-05-01,,,`, // row 8: retired without the wipe record
    `EQ-001,${A},CSサーバ,重複,サーバ室,,,,,,予備,,,,`, // row 9: duplicate asset number
    `EQ-008,${A},IDSセンサ,IDS,サーバ室,CS-${B},,,,,予備,,,,`, // row 10: a node of another organisation
  ]);

  it("a dry run names every bad row and stores nothing", async () => {
    const r = await importEquipment(officerA, file, { dryRun: true });
    expect(r).toMatchObject({ dryRun: true, rows: 9, stored: 2, created: 2, updated: 0 });
    expect(r.problems.map((p) => [p.row, p.column, p.problem])).toEqual([
      [4, "設置日", "bad_date"],
      [5, "機器種別", "bad_kind"],
      [6, "団体コード", "outside_scope"],
      [7, "機器名", "formula"],
      [8, "廃棄日", "disposal_incomplete"],
      [9, "管理番号", "duplicate"],
      [10, "ノードID", "unknown_node"],
    ]);
    expect(await db().equipment.count({ where: { organizationId: { in: ORGS } } })).toBe(0);
  });

  it("the import stores the good rows beside the bad ones; a second import updates them", async () => {
    const r = await importEquipment(officerA, file, { dryRun: false });
    expect(r).toMatchObject({ stored: 2, created: 2, problems: expect.arrayContaining([expect.objectContaining({ row: 4, problem: "bad_date" })]) });
    const rows = await listEquipment(officerA, { organizationId: A });
    expect(rows.map((e) => [e.assetNo, e.kind, e.nodeId, e.terminalId])).toEqual([
      ["EQ-001", "cs_server", `CS-${A}`, null],
      ["EQ-002", "business_terminal", null, `TM-${A}-01`],
    ]);
    expect(await db().equipment.count({ where: { organizationId: B } })).toBe(0);
    expect(await importEquipment(officerA, file, { dryRun: false })).toMatchObject({ stored: 2, created: 0, updated: 2 });
  });

  it("reads XLSX: a formula cell refuses its row only; the export re-imports unchanged", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("台帳");
    ws.addRow(HEAD.split(","));
    ws.addRow(["EQ-101", A, "生体認証装置", "静脈認証装置", "市民課", "", "", new Date(Date.UTC(2022, 3, 1)), "2028-03-31", "", "予備"]);
    const bad = ws.addRow(["EQ-102", A, "ネットワーク機器", "ルータ", "サーバ室"]);
    bad.getCell(5).value = { formula: "A1&B1", result: "x" } as ExcelJS.CellFormulaValue;
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const r = await importEquipment(officerA, { name: "daicho.xlsx", bytes }, { dryRun: false });
    expect(r.stored).toBe(1);
    expect(r.problems).toEqual([expect.objectContaining({ row: 3, column: "設置場所", problem: "formula" })]);
    const stored = (await listEquipment(officerA, { organizationId: A })).find((e) => e.assetNo === "EQ-101")!;
    expect(stored.installedOn?.toISOString()).toBe(new Date("2022-04-01T00:00:00+09:00").toISOString());

    const exported = await exportEquipment(officerA, A);
    const again = await importEquipment(officerA, { name: "export.xlsx", bytes: exported }, { dryRun: true });
    expect(again).toMatchObject({ rows: 3, stored: 3, updated: 3, created: 0, problems: [] });
    await db().equipment.deleteMany({ where: { organizationId: A, assetNo: "EQ-101" } });
  });

  it("refuses a prototype key or an unknown heading as a whole file, and a file that is not a spreadsheet", async () => {
    for (const head of ["__proto__", "constructor", "型番"]) {
      const bytes = Buffer.from(`管理番号,団体コード,機器種別,機器名,${head}\nEQ-9,${A},CSサーバ,x,y\n`);
      await expect(importEquipment(officerA, { name: "x.csv", bytes }, { dryRun: false })).rejects.toMatchObject({ code: "unknown_heading" });
    }
    await expect(importEquipment(officerA, { name: "x.xlsx", bytes: Buffer.from("not a zip") }, { dryRun: false })).rejects.toBeInstanceOf(EquipmentError);
    expect(await db().equipment.count({ where: { organizationId: A, assetNo: "EQ-9" } })).toBe(0);
  });
});

describe("scope", () => {
  it("another municipality's register is refused (403), an unknown device is 404", async () => {
    const [own] = await listEquipment(officerA, { organizationId: A });
    await expect(getEquipment(officerB, own.id)).rejects.toMatchObject({ status: 403 });
    await expect(getEquipment(officerB, 999_999_999)).rejects.toMatchObject({ status: 404 });
    await expect(listEquipment(officerB, { organizationId: A })).rejects.toBeInstanceOf(AuthError);
    await expect(exportEquipment(officerB, A)).rejects.toMatchObject({ status: 403 });
    expect(await listEquipment(officerB)).toEqual([]);
    await expect(getCard(officerB, `IC-${A}-001`)).rejects.toMatchObject({ status: 403 });
    await expect(lendCard(officerB, `IC-${A}-001`, { operatorId: `OP-${B}-001`, lentAt: NOW, lentBy: "x" })).rejects.toMatchObject({ status: 403 });
    await expect(listCards(officerB, A)).rejects.toMatchObject({ status: 403 });
    await expect(equipmentFigures(officerB, A, 2023, NOW)).rejects.toMatchObject({ status: 403 });
  });
});

describe("IC card register", () => {
  beforeAll(async () => {
    const t = (s: string) => new Date(`2023-05-${s}+09:00`);
    await lendCard(officerA, `IC-${A}-001`, { operatorId: `OP-${A}-001`, lentAt: t("08T08:30:00"), lentBy: "市民課長" });
    await returnCard(officerA, `IC-${A}-001`, { returnedAt: t("09T17:00:00"), receivedBy: "市民課長" });
    await lendCard(officerA, `IC-${A}-002`, { operatorId: `OP-${A}-002`, lentAt: t("08T08:30:00"), lentBy: "市民課長" });
    await closeCard(officerA, `IC-${A}-002`, { what: "lost", at: t("15T09:00:00"), by: "OP-002 本人" });
    await closeCard(officerA, `IC-${A}-002`, { what: "revoked", at: t("15T10:00:00"), by: "情報政策課" });
    await lendCard(officerA, `IC-${A}-003`, { operatorId: `OP-${A}-003`, lentAt: t("08T08:30:00"), lentBy: "市民課長", dueOn: "2023-05-31" });
    await ingest([
      ev({ t: "2023-05-08T10:00:00+09:00", org: A, action: "login", user: `OP-${A}-001`, host: `TM-${A}-01`, card: `IC-${A}-001` }),
      ev({ t: "2023-05-10T10:00:00+09:00", org: A, action: "login", user: `OP-${A}-001`, host: `TM-${A}-01`, card: `IC-${A}-001` }),
      ev({ t: "2023-05-10T11:00:00+09:00", org: A, action: "login", user: `OP-${A}-003`, host: `TM-${A}-01`, card: `IC-${A}-003` }),
    ]);
  }, 120_000);

  it("a card lent twice at once, or to another organisation's operator, is refused", async () => {
    await expect(lendCard(officerA, `IC-${A}-003`, { operatorId: `OP-${A}-001`, lentAt: NOW, lentBy: "x" })).rejects.toMatchObject({ code: "lent" });
    await expect(lendCard(officerA, `IC-${A}-002`, { operatorId: `OP-${A}-001`, lentAt: NOW, lentBy: "x" })).rejects.toMatchObject({ code: "closed" });
  });

  it("a card used after its return is a finding on the card, and an alert of card-register-mismatch", async () => {
    const period = { from: new Date("2023-05-01T00:00:00+09:00"), to: new Date("2023-06-01T00:00:00+09:00") };
    const findings = await cardFindings(officerA, period);
    expect(findings.map((f) => [f.cardId, f.kind, f.operatorId, f.first.toISOString()])).toEqual([
      [`IC-${A}-001`, "used_after_return", `OP-${A}-001`, new Date("2023-05-10T10:00:00+09:00").toISOString()],
    ]);
    expect(await cardFindings(officerA, period, [`IC-${A}-003`])).toEqual([]);

    const { alerts } = await detect("card-register-mismatch", "2023-05-08T00:00:00+09:00", "2023-05-12T00:00:00+09:00");
    const mine = alerts.filter((a) => a.organization.id === A);
    expect(mine.map((a) => a.entity.id)).toEqual([`IC-${A}-001`]);
    expect(mine[0].evidence).toMatchObject({ reasons: ["used_after_return"], users: [`OP-${A}-001`] });
  });

  it("the reminders name the unreturned cards", async () => {
    const r = await cardReminders(officerA, NOW);
    expect(r.map((x) => x.subject).sort()).toEqual([`IC-${A}-002（OP-${A}-002）`, `IC-${A}-003（OP-${A}-003）`]);
  });
});

describe("checklist figures (FIGURE_SOURCES) for one municipality", () => {
  it("are the register's counts for fiscal year 2023", async () => {
    const all: Record<string, { value: number; of?: number }> = {};
    for (const source of FIGURE_SOURCES) Object.assign(all, await source(officerA.narrow(A), A, 2023, NOW));
    expect(all).toMatchObject({
      equipment_in_service: { value: 2 },
      equipment_past_maintenance: { value: 1, of: 2 },
      equipment_renewal_due: { value: 1 },
      equipment_disposed: { value: 0 },
      cards_lent: { value: 2, of: 3 },
      cards_unreturned: { value: 2 },
      cards_revoked: { value: 1 },
      cards_misused: { value: 1 },
    });
    // Another fiscal year: no renewal, no card closed or misused in it.
    const next = await cardFigures(officerA, A, 2024, new Date("2024-06-30T00:00:00+09:00"));
    expect(next).toMatchObject({ cards_revoked: { value: 0 }, cards_misused: { value: 0 } });
    expect((await equipmentFigures(officerA, A, 2024, new Date("2024-06-30T00:00:00+09:00"))).equipment_renewal_due.value).toBe(0);
  });

  it("the audit table lists the device past its maintenance end", async () => {
    const [table] = await equipmentAuditTables(officerA, A, { from: new Date("2023-04-01T00:00:00+09:00"), to: new Date("2024-04-01T00:00:00+09:00") });
    expect(table.rows.map((r) => r[0])).toEqual(["EQ-001"]);
  });
});

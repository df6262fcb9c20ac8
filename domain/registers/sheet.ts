/**
 * Reading the spreadsheets offices keep their registers in (XLSX or CSV) into
 * plain rows of text, with exceljs for both (its CSV reader is fast-csv). What
 * a register import must refuse is refused here, before any value is used: a
 * formula cell (an XLSX formula, or a text cell a spreadsheet would read as one:
 * `= + - @`), a heading that is a prototype key, a file that is neither.
 */
import { Readable } from "node:stream";
import ExcelJS from "exceljs";

export class SheetError extends Error {
  constructor(
    readonly code: "bad_file" | "formula" | "prototype_key" | "no_rows" | "too_many_rows",
    message: string,
    /** Spreadsheet row (1 = the heading row) and column heading, when the problem is one cell. */
    readonly row?: number,
    readonly column?: string,
  ) {
    super(message);
  }
}

/** The rows of a register file: the heading row, then each data row with its spreadsheet row number. */
export interface Sheet {
  headings: string[];
  /** `formula`: the row held a formula cell (named by its heading); the row is refused, the others are read. */
  rows: { row: number; cells: string[]; formula?: string }[];
}

export const MAX_ROWS = 20_000;
const PROTOTYPE_KEYS = new Set(["__proto__", "constructor", "prototype"]);
/** A text a spreadsheet would run as a formula (OWASP CSV injection): refused, never stored. */
export const FORMULA_LIKE = /^[=+\-@\t\r]/;

function text(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return v.toISOString().slice(0, 10); // exceljs gives date cells as UTC midnight of the day
  if (typeof v === "object") {
    if ("richText" in v) return v.richText.map((r) => r.text).join("");
    if ("text" in v && typeof v.text === "string") return v.text;
    if ("error" in v) return String(v.error);
    return "";
  }
  return String(v);
}

/** Reads an .xlsx or .csv file (by name; CSV as UTF-8, a BOM allowed) into headings and rows of trimmed text. */
export async function readSheet(file: { name: string; bytes: Buffer }): Promise<Sheet> {
  const wb = new ExcelJS.Workbook();
  let ws: ExcelJS.Worksheet | undefined;
  const lower = file.name.toLowerCase();
  try {
    if (lower.endsWith(".csv")) {
      const body = file.bytes[0] === 0xef && file.bytes[1] === 0xbb && file.bytes[2] === 0xbf ? file.bytes.subarray(3) : file.bytes;
      // map: keep every cell as the text written (no guessing of numbers and dates).
      ws = await wb.csv.read(Readable.from([body]), { map: (v: string) => v } as never);
    } else if (lower.endsWith(".xlsx")) {
      if (file.bytes.subarray(0, 2).toString("latin1") !== "PK") throw new Error("not an XLSX (zip) file");
      await wb.xlsx.load(file.bytes as unknown as ArrayBuffer);
      ws = wb.worksheets[0];
    } else throw new Error("only .xlsx and .csv files are read");
  } catch (e) {
    throw new SheetError("bad_file", (e as Error).message);
  }
  if (!ws) throw new SheetError("no_rows", "the workbook has no sheet");
  const all: Sheet["rows"] = [];
  let headings: string[] | undefined;
  let failure: SheetError | undefined;
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    if (failure) return;
    if (all.length > MAX_ROWS) {
      failure = new SheetError("too_many_rows", `more than ${MAX_ROWS} rows`);
      return;
    }
    const cells: string[] = [];
    let formula: string | undefined;
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      if (failure) return;
      const heading = headings?.[col - 1] ?? `#${col}`;
      const value = cell.type === ExcelJS.ValueType.Formula ? "=" : text(cell.value).trim();
      if (FORMULA_LIKE.test(value)) {
        // A formula (or text a spreadsheet would run as one) is never read: the row is refused by name.
        if (!headings) failure = new SheetError("formula", `heading ${col}: a formula is refused`, n, heading);
        formula ??= heading;
        cells[col - 1] = "";
        return;
      }
      cells[col - 1] = value;
    });
    if (failure) return;
    for (let i = 0; i < cells.length; i++) cells[i] ??= "";
    if (!headings) {
      headings = cells;
      const bad = headings.find((h) => PROTOTYPE_KEYS.has(h));
      if (bad) failure = new SheetError("prototype_key", `heading "${bad}" is refused`, n, bad);
      return;
    }
    if (cells.every((c) => !c) && !formula) return;
    all.push({ row: n, cells, ...(formula ? { formula } : {}) });
  });
  if (failure) throw failure;
  if (!headings) throw new SheetError("no_rows", "the file is empty");
  return { headings, rows: all };
}

/** A date cell (YYYY-MM-DD, YYYY/M/D) as its date key, "" as null, anything else undefined (invalid). */
export function dateKeyOf(value: string): string | null | undefined {
  if (!value) return null;
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return undefined;
  return `${m[1]}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** A spreadsheet for export: one sheet with bold headings and the rows (text cells only; formula-like text quoted). */
export async function writeSheet(sheetName: string, headings: string[], rows: (string | number | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Juki-net Watch";
  const ws = wb.addWorksheet(sheetName);
  ws.addRow(headings).font = { bold: true };
  for (const r of rows) ws.addRow(r.map((c) => (typeof c === "string" && FORMULA_LIKE.test(c) ? `'${c}` : c)));
  ws.columns.forEach((c) => (c.width = 16));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

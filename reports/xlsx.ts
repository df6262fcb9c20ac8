/**
 * Shared XLSX primitives for the reports (checklist, statistics, external
 * audit): a workbook with the application as its creator, title rows at the
 * top of a sheet, a bold shaded header row with thin borders, a shaded
 * label/value pair like an official form header, the common styles and number
 * formats, and the workbook as a Buffer.
 *
 * Callers pass every visible label in; this module holds no UI text.
 */
import ExcelJS from "exceljs";

export const BOLD: Partial<ExcelJS.Font> = { bold: true };
/** Font of a sheet's title (row 1). */
export const TITLE_FONT: Partial<ExcelJS.Font> = { bold: true, size: 14 };
/** Font of a section title inside a sheet. */
export const SECTION_FONT: Partial<ExcelJS.Font> = { bold: true, size: 12 };

export const solidFill = (argb: string): ExcelJS.Fill => ({ type: "pattern", pattern: "solid", fgColor: { argb } });
/** Fill of labels and total rows. */
export const LABEL_FILL = solidFill("FFEEEEEE");
/** Default fill of header rows. */
export const HEADER_FILL = solidFill("FFDDDDDD");

export const THIN: Partial<ExcelJS.Borders> = { top: { style: "thin" }, left: { style: "thin" }, bottom: { style: "thin" }, right: { style: "thin" } };
export const WRAP: Partial<ExcelJS.Alignment> = { wrapText: true, vertical: "top" };

/** A4 landscape, fitted to one page wide. */
export const LANDSCAPE_A4: Partial<ExcelJS.PageSetup> = { paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0 };

/** Number formats: a count with thousands separators; a percentage of 0–100 with one decimal. */
export const COUNT_FORMAT = "#,##0";
export const PERCENT_FORMAT = '0.0"%"';

export function newWorkbook(title: string): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Juki-net Watch";
  wb.title = title;
  wb.created = new Date();
  return wb;
}

/** Title (A1) and sub-title lines (A2…) at the top of a sheet; returns the first free row (after a blank one). */
export function titleRows(ws: ExcelJS.Worksheet, title: string, lines: string[]): number {
  ws.getCell("A1").value = title;
  ws.getCell("A1").font = TITLE_FONT;
  lines.forEach((line, i) => (ws.getCell(`A${i + 2}`).value = line));
  return lines.length + 3;
}

/** Styles the filled cells of a header row: bold, shaded, bordered, centred and wrapping. */
export function styleHeader(row: ExcelJS.Row, fill: ExcelJS.Fill = HEADER_FILL): void {
  row.eachCell((c) => {
    c.font = BOLD;
    c.fill = fill;
    c.border = THIN;
    c.alignment = { wrapText: true, vertical: "middle", horizontal: "center" };
  });
}

/** Styles a label cell (bold, shaded) and its value cell (wrapping, left-aligned), both bordered. */
export function stylePair(label: ExcelJS.Cell, value: ExcelJS.Cell): void {
  label.font = BOLD;
  label.fill = LABEL_FILL;
  label.border = THIN;
  value.border = THIN;
  label.alignment = { vertical: "top" };
  value.alignment = { ...WRAP, horizontal: "left" };
}

export const toXlsxBuffer = async (wb: ExcelJS.Workbook): Promise<Buffer> => Buffer.from(await wb.xlsx.writeBuffer());

export type XCell = string | number | null;

export interface XlsxTableOptions {
  /** Number format per column (1-based), applied to numeric cells. */
  numFmt?: Record<number, string>;
  /** Freeze the header row (and `xSplit` columns), filter and print-repeat it: for the first table of a sheet. */
  freeze?: boolean;
  xSplit?: number;
  /** Draw the last row as a total (bold, shaded); a table with a total row gets no filter. */
  totalRow?: boolean;
}

/**
 * The one table writer of the workbooks (checklist summary, audit annex): a
 * styled header row at `firstRow`, then bordered data rows (text wraps,
 * numbers keep their format). Returns the next free row after a blank one.
 */
export function writeTable(ws: ExcelJS.Worksheet, firstRow: number, headers: string[], rows: XCell[][], opts: XlsxTableOptions = {}): number {
  const header = ws.getRow(firstRow);
  header.values = headers;
  styleHeader(header);
  rows.forEach((values, i) => {
    const r = ws.getRow(firstRow + 1 + i);
    r.values = values;
    const total = opts.totalRow && i === rows.length - 1;
    for (let col = 1; col <= headers.length; col++) {
      const c = r.getCell(col);
      c.border = THIN;
      c.alignment = typeof c.value === "number" ? { vertical: "top" } : WRAP;
      const fmt = opts.numFmt?.[col];
      if (fmt && typeof c.value === "number") c.numFmt = fmt;
      if (total) {
        c.font = BOLD;
        c.fill = LABEL_FILL;
      }
    }
  });
  if (opts.freeze) {
    const xSplit = opts.xSplit ?? 0;
    ws.views = [{ state: "frozen", ySplit: firstRow, xSplit, topLeftCell: `${String.fromCharCode(65 + xSplit)}${firstRow + 1}` }];
    if (!opts.totalRow) ws.autoFilter = { from: { row: firstRow, column: 1 }, to: { row: firstRow + Math.max(rows.length, 1), column: headers.length } };
    ws.pageSetup.printTitlesRow = `${firstRow}:${firstRow}`;
  }
  return firstRow + rows.length + 2;
}

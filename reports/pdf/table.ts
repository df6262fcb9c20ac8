/**
 * The one table writer of the PDF reports (checklist form, audit plan, notice
 * and report): a bordered label/value block like an official form header, and
 * a wrapping table whose header row repeats on every page it spans; rows that
 * do not fit move to the next page, rows taller than a page are split.
 *
 * Callers pass every visible label in; this module holds no UI text.
 */
import { bottom, contentWidth, ensureSpace, FONT, resetFont, type Align, type PdfDoc } from "./document";

const LABEL_FILL = "#eeeeee";
const HEADER_FILL = "#dddddd";

interface Cell {
  text: string;
  width: number;
  align?: Align;
  fill?: string;
  bold?: boolean;
}

interface RowStyle {
  fontSize: number;
  padding: number;
}

function cellTextHeight(doc: PdfDoc, c: Cell, s: RowStyle): number {
  if (!c.text) return 0;
  doc.font(c.bold ? FONT.bold : FONT.regular).fontSize(s.fontSize);
  return doc.heightOfString(c.text, { width: c.width - 2 * s.padding });
}

const rowHeight = (doc: PdfDoc, cells: Cell[], s: RowStyle): number =>
  Math.max(s.fontSize + 2 * s.padding, ...cells.map((c) => cellTextHeight(doc, c, s) + 2 * s.padding));

/** Draws one row of bordered cells at the cursor and moves the cursor below it. */
function drawRow(doc: PdfDoc, cells: Cell[], height: number, s: RowStyle): void {
  let x = doc.page.margins.left;
  const y = doc.y;
  for (const c of cells) {
    if (c.fill) doc.save().rect(x, y, c.width, height).fill(c.fill).restore();
    doc.rect(x, y, c.width, height).stroke();
    if (c.text) {
      doc
        .font(c.bold ? FONT.bold : FONT.regular)
        .fontSize(s.fontSize)
        .fillColor("black");
      // `height` keeps pdfkit from starting a page on its own; the row was measured to fit.
      doc.text(c.text, x + s.padding, y + s.padding, { width: c.width - 2 * s.padding, height: height - 2 * s.padding + 1, align: c.align ?? "left" });
    }
    x += c.width;
  }
  doc.x = doc.page.margins.left;
  doc.y = y + height;
  doc.font(FONT.regular);
}

/**
 * The longest prefix of `text` that fits in `maxHeight` (preferring a break at a
 * newline or space near the end); at least one character, so splitting always progresses.
 */
function fitPrefix(doc: PdfDoc, c: Cell, s: RowStyle, maxHeight: number): [string, string] {
  const chars = Array.from(c.text);
  const fits = (n: number) => cellTextHeight(doc, { ...c, text: chars.slice(0, n).join("") }, s) <= maxHeight;
  let lo = 1;
  let hi = chars.length;
  if (fits(hi)) return [c.text, ""];
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  for (let i = lo; i > Math.max(1, lo - 30); i--) {
    if (/\s/.test(chars[i - 1])) {
      lo = i;
      break;
    }
  }
  // Do not start the continuation with closing punctuation (kinsoku).
  while (lo > 1 && /[\u3001\u3002\uff0c\uff0e\uff09\u300d\u300f\u3011\u3015\u30fb\u30fc!?,.)\]]/.test(chars[lo] ?? "")) lo--;
  return [chars.slice(0, lo).join("").trimEnd(), chars.slice(lo).join("").trimStart()];
}

/**
 * Places a row: on this page if it fits, else on a fresh page (calling `onNewPage`,
 * e.g. to repeat a header row); a row taller than a whole page is split across pages.
 */
function placeRow(doc: PdfDoc, cells: Cell[], s: RowStyle, onNewPage: () => void): void {
  const minRoom = 3 * (s.fontSize + 2 * s.padding);
  let rest = cells;
  let fresh = false;
  for (;;) {
    const h = rowHeight(doc, rest, s);
    const room = bottom(doc) - doc.y;
    if (h <= room) return drawRow(doc, rest, h, s);
    const fitsFreshPage = h <= bottom(doc) - doc.page.margins.top - 40; // 40: allowance for a repeated header row
    if (!fresh && (fitsFreshPage || room < minRoom)) {
      doc.addPage();
      onNewPage();
      fresh = true;
      continue;
    }
    // Split: fill this page with as much of every cell as fits, continue on the next.
    const parts = rest.map((c) => fitPrefix(doc, c, s, room - 2 * s.padding));
    drawRow(
      doc,
      rest.map((c, i) => ({ ...c, text: parts[i][0] })),
      room,
      s,
    );
    rest = rest.map((c, i) => ({ ...c, text: parts[i][1] }));
    doc.addPage();
    onNewPage();
    fresh = true;
  }
}

/** Scales column widths so they fill the content width exactly. */
function fitWidths(doc: PdfDoc, widths: number[]): number[] {
  const total = widths.reduce((a, b) => a + b, 0);
  const k = contentWidth(doc) / total;
  return widths.map((w) => w * k);
}

/**
 * A bordered label/value block like the header of an official form.
 * `pairsPerRow: 2` puts two label/value pairs side by side.
 */
export function keyValueTable(
  doc: PdfDoc,
  rows: [label: string, value: string][],
  opts: { pairsPerRow?: 1 | 2; labelWidth?: number; fontSize?: number; gap?: number } = {},
): void {
  const s: RowStyle = { fontSize: opts.fontSize ?? 9, padding: 4 };
  const per = opts.pairsPerRow ?? 1;
  const labelW = opts.labelWidth ?? 80;
  const valueW = contentWidth(doc) / per - labelW;
  for (let i = 0; i < rows.length; i += per) {
    const cells: Cell[] = [];
    for (let j = 0; j < per; j++) {
      const [label, value] = rows[i + j] ?? ["", ""];
      cells.push({ text: label, width: labelW, fill: LABEL_FILL, bold: true }, { text: value, width: valueW });
    }
    placeRow(doc, cells, s, () => {});
  }
  doc.y += opts.gap ?? 12;
  resetFont(doc);
}

export interface TableColumn {
  header: string;
  /** Relative width; columns are scaled to the content width. */
  width: number;
  align?: Align;
}

export interface TableOptions {
  columns: TableColumn[];
  rows: string[][];
  headerFill?: string;
  fontSize?: number;
  padding?: number;
  gap?: number;
  /** Draw the last row as a total (bold, shaded). */
  totalRow?: boolean;
}

/** A bordered table whose cells wrap; the header row repeats on every page the table spans. */
export function table(doc: PdfDoc, opts: TableOptions): void {
  const s: RowStyle = { fontSize: opts.fontSize ?? 8.5, padding: 3.5 };
  const widths = fitWidths(
    doc,
    opts.columns.map((c) => c.width),
  );
  const header: Cell[] = opts.columns.map((c, i) => ({ text: c.header, width: widths[i], align: "center", fill: opts.headerFill ?? HEADER_FILL, bold: true }));
  const headerH = rowHeight(doc, header, s);
  const drawHeader = () => drawRow(doc, header, headerH, s);
  // Header plus the first row (or a few lines of it) must fit, else start on a new page.
  const firstH = opts.rows.length ? Math.min(rowHeight(doc, cellsOf(opts.rows[0]), s), 3 * (s.fontSize + 2 * s.padding)) : 0;
  ensureSpace(doc, headerH + firstH);
  drawHeader();
  opts.rows.forEach((r, i) => {
    const total = opts.totalRow && i === opts.rows.length - 1;
    placeRow(doc, total ? cellsOf(r).map((c) => ({ ...c, bold: true, fill: LABEL_FILL })) : cellsOf(r), s, drawHeader);
  });
  doc.y += opts.gap ?? 12;
  resetFont(doc);

  function cellsOf(r: string[]): Cell[] {
    return opts.columns.map((c, i) => ({ text: r[i] ?? "", width: widths[i], align: c.align }));
  }
}

/**
 * Shared PDF primitives for the reports (checklist form, external audit):
 * an A4 document with Noto Sans JP embedded, headings, a bordered key/value
 * block like an official form header, a wrapping table that breaks pages
 * cleanly, and a "n / N" footer plus a generated-at line on every page.
 *
 * Callers pass every visible label in; this module holds no UI text.
 */
import fs from "node:fs";
import path from "node:path";
import PDFDocument from "pdfkit";
import { REPO_ROOT } from "../lib/paths";

export type PdfDoc = PDFKit.PDFDocument;
export type Align = "left" | "center" | "right";

/** Font names registered on every document. */
export const FONT = { regular: "NotoSansJP", bold: "NotoSansJP-Bold" } as const;

const MARGIN = 40;
/** Space kept below the content area for the footer. */
const FOOTER_SPACE = 24;
const BORDER = "#444444";
const LABEL_FILL = "#eeeeee";
const HEADER_FILL = "#dddddd";

let fontCache: { regular: Buffer; bold: Buffer } | null = null;

/** The TTF files, read once per process (about 5 MB each; pdfkit embeds only the used glyphs). */
function fonts(): { regular: Buffer; bold: Buffer } {
  if (!fontCache) {
    // A plain path, not require.resolve: the console's bundler would try to bundle the whole font package.
    const read = (p: string) => fs.readFileSync(path.join(REPO_ROOT, "node_modules", "@expo-google-fonts", "noto-sans-jp", p));
    fontCache = { regular: read("400Regular/NotoSansJP_400Regular.ttf"), bold: read("700Bold/NotoSansJP_700Bold.ttf") };
  }
  return fontCache;
}

export interface FooterOptions {
  /** Left part of the footer, e.g. the generated-at line. */
  text?: string;
  /** Right part of the footer; default "n / N". */
  pageLabel?: (page: number, pages: number) => string;
}

export interface DocumentOptions {
  title: string;
  author?: string;
  subject?: string;
  footer?: FooterOptions;
  /** Body font size, default 9. */
  fontSize?: number;
}

const state = new WeakMap<PdfDoc, { footer: FooterOptions; fontSize: number }>();

/** A4 portrait document, fonts registered, Noto Sans JP selected; pages buffered for the footer. */
export function createDocument(opts: DocumentOptions): PdfDoc {
  const f = fonts();
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER_SPACE },
    bufferPages: true,
    // null: do not load the default Helvetica (it would be listed as an unembedded font).
    font: null as unknown as string,
    lang: "ja-JP",
    displayTitle: true,
    info: { Title: opts.title, Author: opts.author ?? "", Subject: opts.subject ?? "", Creator: "Juki-net Watch" },
  });
  doc.registerFont(FONT.regular, f.regular);
  doc.registerFont(FONT.bold, f.bold);
  doc.font(FONT.regular).fontSize(opts.fontSize ?? 9).fillColor("black").strokeColor(BORDER).lineWidth(0.5);
  state.set(doc, { footer: opts.footer ?? {}, fontSize: opts.fontSize ?? 9 });
  return doc;
}

/** Back to the body font and size. */
const resetFont = (doc: PdfDoc): void => void doc.font(FONT.regular).fontSize(state.get(doc)?.fontSize ?? 9).fillColor("black");

export const contentWidth = (doc: PdfDoc): number => doc.page.width - doc.page.margins.left - doc.page.margins.right;
const bottom = (doc: PdfDoc): number => doc.page.height - doc.page.margins.bottom;

/** Starts a new page unless `height` points still fit below the cursor; true when a page was added. */
export function ensureSpace(doc: PdfDoc, height: number): boolean {
  if (doc.y + height <= bottom(doc)) return false;
  doc.addPage();
  return true;
}

/** Level 1: centred document title; 2: section heading with a rule; 3: bold sub-heading. */
export function heading(doc: PdfDoc, text: string, level: 1 | 2 | 3 = 2): void {
  const size = level === 1 ? 15 : level === 2 ? 11.5 : 10;
  const x = doc.page.margins.left;
  const width = contentWidth(doc);
  doc.font(FONT.bold).fontSize(size);
  const h = doc.heightOfString(text, { width });
  // Keep a heading with what follows it (a table header row and the start of its first row).
  ensureSpace(doc, h + (level === 1 ? 10 : 90));
  if (level === 2) doc.moveDown(0.3);
  const y = doc.y;
  doc.text(text, x, y, { width, align: level === 1 ? "center" : "left" });
  if (level === 2) {
    doc.moveTo(x, doc.y + 1).lineTo(x + width, doc.y + 1).stroke();
  }
  doc.y += level === 1 ? 10 : 5;
  doc.x = x;
  resetFont(doc);
}

/** A plain paragraph across the content width. */
export function paragraph(doc: PdfDoc, text: string, opts: { align?: Align; gap?: number } = {}): void {
  const x = doc.page.margins.left;
  doc.font(FONT.regular).text(text, x, doc.y, { width: contentWidth(doc), align: opts.align ?? "left" });
  doc.y += opts.gap ?? 4;
  doc.x = x;
}

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
      doc.font(c.bold ? FONT.bold : FONT.regular).fontSize(s.fontSize).fillColor("black");
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
    drawRow(doc, rest.map((c, i) => ({ ...c, text: parts[i][0] })), room, s);
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
  const widths = fitWidths(doc, opts.columns.map((c) => c.width));
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

/** Draws the footers on every page, ends the document and collects its bytes. */
export function toBuffer(doc: PdfDoc): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const footer = state.get(doc)?.footer ?? {};
  const label = footer.pageLabel ?? ((n: number, total: number) => `${n} / ${total}`);
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const m = doc.page.margins;
    const saved = m.bottom;
    m.bottom = 0; // writing below the content area must not add a page
    const y = doc.page.height - MARGIN - 10;
    const width = doc.page.width - m.left - m.right;
    doc.font(FONT.regular).fontSize(7.5).fillColor("#555555");
    doc.moveTo(m.left, y - 4).lineTo(m.left + width, y - 4).strokeColor("#999999").lineWidth(0.5).stroke();
    if (footer.text) doc.text(footer.text, m.left, y, { width: width * 0.75, lineBreak: false });
    doc.text(label(i - start + 1, count), m.left, y, { width, align: "right", lineBreak: false });
    m.bottom = saved;
  }
  doc.end();
  return done;
}

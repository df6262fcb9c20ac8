/**
 * Shared PDF primitives for the reports (checklist form, external audit):
 * an A4 document with Noto Sans JP embedded, headings, paragraphs, and a
 * "n / N" footer plus a generated-at line on every page. Tables (the
 * bordered key/value block and the wrapping table) are in table.ts.
 *
 * Callers pass every visible label in; this module holds no UI text.
 */
import fs from "node:fs";
import path from "node:path";
import PDFDocument from "pdfkit";
import { REPO_ROOT } from "../../lib/paths";

export type PdfDoc = PDFKit.PDFDocument;
export type Align = "left" | "center" | "right";

/** Font names registered on every document. */
export const FONT = { regular: "NotoSansJP", bold: "NotoSansJP-Bold" } as const;

const MARGIN = 40;
/** Space kept below the content area for the footer. */
const FOOTER_SPACE = 24;
const BORDER = "#444444";

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
  doc
    .font(FONT.regular)
    .fontSize(opts.fontSize ?? 9)
    .fillColor("black")
    .strokeColor(BORDER)
    .lineWidth(0.5);
  state.set(doc, { footer: opts.footer ?? {}, fontSize: opts.fontSize ?? 9 });
  return doc;
}

/** Back to the body font and size. */
export const resetFont = (doc: PdfDoc): void =>
  void doc
    .font(FONT.regular)
    .fontSize(state.get(doc)?.fontSize ?? 9)
    .fillColor("black");

export const contentWidth = (doc: PdfDoc): number => doc.page.width - doc.page.margins.left - doc.page.margins.right;
export const bottom = (doc: PdfDoc): number => doc.page.height - doc.page.margins.bottom;

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
    doc
      .moveTo(x, doc.y + 1)
      .lineTo(x + width, doc.y + 1)
      .stroke();
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
    doc
      .moveTo(m.left, y - 4)
      .lineTo(m.left + width, y - 4)
      .strokeColor("#999999")
      .lineWidth(0.5)
      .stroke();
    if (footer.text) doc.text(footer.text, m.left, y, { width: width * 0.75, lineBreak: false });
    doc.text(label(i - start + 1, count), m.left, y, { width, align: "right", lineBreak: false });
    m.bottom = saved;
  }
  doc.end();
  return done;
}

/**
 * The operation-status report as an editable Word document (DOCX), built with
 * the maintained `docx` package from the same blocks as the PDF: the
 * prefecture edits the narrative parts and the wording for its council, the
 * figures are already filled in from the console.
 */
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, ShadingType, Table, TableCell, TableRow, TextRun, WidthType } from "docx";
import type { AnnualReportData } from "../../domain/annual";
import { formatJst, t } from "../../lib/i18n";
import { reportBlocks, type Block } from "./content";

const FONT = "Yu Mincho";
const align = (a?: string) => (a === "right" ? AlignmentType.RIGHT : a === "center" ? AlignmentType.CENTER : AlignmentType.LEFT);

function tableOf(b: Extract<Block, { kind: "table" }>): Table {
  const total = b.columns.reduce((s, c) => s + c.width, 0);
  const pct = (w: number) => Math.round((w / total) * 100);
  const cell = (text: string, opts: { header?: boolean; bold?: boolean; width: number; alignment?: string }) =>
    new TableCell({
      width: { size: pct(opts.width), type: WidthType.PERCENTAGE },
      shading: opts.header || opts.bold ? { type: ShadingType.CLEAR, color: "auto", fill: opts.header ? "DDDDDD" : "EEEEEE" } : undefined,
      children: text.split("\n").map(
        (line) =>
          new Paragraph({
            alignment: opts.header ? AlignmentType.CENTER : align(opts.alignment),
            children: [new TextRun({ text: line, bold: opts.header || opts.bold })],
          }),
      ),
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: b.columns.map((c) => cell(c.header, { header: true, width: c.width })) }),
      ...b.rows.map(
        (r, i) =>
          new TableRow({
            children: b.columns.map((c, j) => cell(r[j] ?? "", { width: c.width, alignment: c.align, bold: b.totalRow && i === b.rows.length - 1 })),
          }),
      ),
    ],
  });
}

export async function renderAnnualDocx(d: AnnualReportData): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({
      children: [new TextRun({ text: t("annual.docx.editNote").replace("{date}", formatJst(d.generatedAt)), italics: true, size: 16, color: "666666" })],
    }),
  ];
  for (const b of reportBlocks(d)) {
    if (b.kind === "title")
      children.push(new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [new TextRun({ text: b.text, bold: true })] }));
    else if (b.kind === "heading")
      children.push(new Paragraph({ heading: b.level === 1 ? HeadingLevel.HEADING_1 : HeadingLevel.HEADING_2, children: [new TextRun(b.text)] }));
    else if (b.kind === "para")
      children.push(new Paragraph({ alignment: align(b.align), children: [new TextRun({ text: b.text, color: b.notHeld ? "666666" : undefined })] }));
    else children.push(tableOf(b), new Paragraph({ children: [] }));
  }
  const doc = new Document({
    creator: "Juki-net Watch",
    title: t("annual.title"),
    description: `${d.prefecture.name} ${d.fiscalYear}`,
    styles: {
      default: { document: { run: { font: { ascii: FONT, eastAsia: FONT, hAnsi: FONT }, size: 21 } } },
      paragraphStyles: [],
    },
    sections: [{ properties: {}, children }],
  });
  return Packer.toBuffer(doc);
}

/**
 * Checklist exports: the per-municipality PDF (reads like the official form),
 * the per-municipality XLSX and the prefecture's summary XLSX. Pure renderers:
 * callers load the data (workflow.ts) and check scope before calling.
 */
import type ExcelJS from "exceljs";
import { formatFiscalYear, formatJst, formatJstDate, t } from "../../lib/i18n";
import { createDocument, heading, toBuffer } from "../pdf/document";
import { keyValueTable, table } from "../pdf/table";
import { LANDSCAPE_A4, newWorkbook, PERCENT_FORMAT, SECTION_FONT, styleHeader, stylePair, THIN, titleRows, toXlsxBuffer, WRAP, writeTable } from "../xlsx";
import type { AssessmentDocument, SummaryDocument } from "../../domain/checklist/documents";
import { countAnswers, scoreOf, type AnswerCounts, type AssessmentStatus } from "../../domain/checklist/rollup";
import type { Answer } from "../../domain/checklist/template";

/**
 * Labels requested for the catalogue but not in lib/i18n yet: shown as their
 * key until added there (then switch these calls to t()).
 */

const ANSWER_KEYS = ["implemented", "partial", "not_implemented", "not_applicable", "unanswered"] as const satisfies readonly (keyof AnswerCounts)[];
const DASH = "—";

const answerLabel = (a: Answer | null | undefined): string => t(`checklist.answer.${a ?? "unanswered"}`);
const statusLabel = (s: AssessmentStatus): string => t(`checklist.status.${s}`);
const dateOrDash = (d: Date | null): string => (d ? formatJstDate(d) : DASH);
const scoreText = (s: number | null): string => (s === null ? DASH : `${s.toFixed(1)}%`);
const shortHash = (sha256: string): string => sha256.slice(0, 12);
const evidenceLines = (ev: { fileName: string; sha256: string }[]): string[] => ev.map((e) => `${e.fileName} (${shortHash(e.sha256)})`);

/** Header block fields shared by the PDF and the XLSX, in form order. */
function headerFields(doc: AssessmentDocument): [string, string][] {
  return [
    [t("checklist.doc.prefecture"), doc.prefectureName],
    [t("checklist.doc.organization"), doc.organization.name],
    [t("checklist.doc.fiscalYear"), formatFiscalYear(doc.fiscalYear)],
    [t("checklist.doc.template"), `${doc.template.title} (${doc.template.version})`],
    [t("checklist.doc.status"), statusLabel(doc.status)],
    [t("checklist.doc.deadline"), formatJstDate(doc.deadline)],
    [t("checklist.doc.submittedAt"), dateOrDash(doc.submittedAt)],
    [t("checklist.doc.returnedAt"), dateOrDash(doc.returnedAt)],
    [t("checklist.doc.acceptedAt"), dateOrDash(doc.acceptedAt)],
    [t("checklist.doc.acceptedBy"), doc.acceptedBy ?? DASH],
  ];
}

const itemAnswers = (doc: AssessmentDocument, ids: string[]) => ids.map((id) => doc.answers[id]?.answer);

// ---------------------------------------------------------------------------
// Per-municipality PDF

export async function renderAssessmentPdf(doc: AssessmentDocument): Promise<Buffer> {
  const title = t("checklist.doc.title");
  const pdf = createDocument({
    title: `${title} ${doc.organization.name} ${formatFiscalYear(doc.fiscalYear)}`,
    author: doc.organization.name,
    subject: doc.template.title,
    footer: {
      text: `${doc.organization.name} ${formatFiscalYear(doc.fiscalYear)} / ${t("checklist.doc.generatedAt")} ${formatJst(doc.generatedAt)}`,
      pageLabel: (n, total) => `${n} / ${total} ${t("checklist.doc.page")}`,
    },
  });

  heading(pdf, title, 1);
  keyValueTable(pdf, headerFields(doc), { pairsPerRow: 2, labelWidth: 62 });

  // Answer summary: one row per section and a last (total) row for the whole form.
  heading(pdf, t("checklist.doc.summary"), 2);
  const countRow = (label: string, c: AnswerCounts) => [label, ...ANSWER_KEYS.map((k) => String(c[k])), scoreText(scoreOf(c))];
  const sectionRows = doc.template.sections.map((s) =>
    countRow(
      `${s.id} ${s.title}`,
      countAnswers(
        itemAnswers(
          doc,
          s.items.map((i) => i.id),
        ),
      ),
    ),
  );
  const all = countAnswers(
    itemAnswers(
      doc,
      doc.template.sections.flatMap((s) => s.items.map((i) => i.id)),
    ),
  );
  table(pdf, {
    columns: [
      { header: t("checklist.doc.section"), width: 190 },
      ...ANSWER_KEYS.map((k) => ({ header: t(`checklist.answer.${k}`), width: 50, align: "right" as const })),
      { header: t("checklist.doc.score"), width: 60, align: "right" },
    ],
    rows: [...sectionRows, countRow(t("checklist.doc.summary"), all)],
    totalRow: true,
  });

  for (const section of doc.template.sections) {
    heading(pdf, `${section.id} ${section.title}`, 2);
    table(pdf, {
      columns: [
        { header: t("checklist.doc.no"), width: 46, align: "center" },
        { header: t("checklist.doc.item"), width: 205 },
        { header: t("checklist.doc.answer"), width: 46, align: "center" },
        { header: t("checklist.doc.comment"), width: 118 },
        { header: t("checklist.doc.review"), width: 100 },
      ],
      rows: section.items.map((item) => {
        const a = doc.answers[item.id];
        const evidence = evidenceLines(a?.evidence ?? []).map((l) => `${t("checklist.doc.evidence")}: ${l}`);
        const comment = [a?.comment ?? "", ...evidence].filter(Boolean).join("\n");
        return [item.id, item.text, answerLabel(a?.answer), comment, a?.reviewComment ?? ""];
      }),
    });
  }
  if (doc.plans?.length) {
    heading(pdf, t("checklist.plan.title"), 2);
    table(pdf, {
      columns: [
        { header: t("checklist.doc.no"), width: 46, align: "center" },
        { header: t("checklist.plan.measure"), width: 190 },
        { header: t("checklist.plan.owner"), width: 80 },
        { header: t("checklist.plan.due"), width: 70, align: "center" },
        { header: t("checklist.plan.status"), width: 60, align: "center" },
        { header: t("checklist.plan.raised"), width: 70, align: "center" },
      ],
      rows: doc.plans.map(planCells),
    });
  }
  return toBuffer(pdf);
}

type PlanCells = Pick<NonNullable<AssessmentDocument["plans"]>[number], "itemId" | "measure" | "owner" | "dueDate" | "status" | "fiscalYear" | "carried">;

/** An improvement plan's row: item, measure, owner, due date, status, fiscal year raised (carried ones marked). */
function planCells(p: PlanCells): string[] {
  return [
    p.itemId,
    p.measure,
    p.owner,
    formatJstDate(p.dueDate),
    t(`checklist.plan.status.${p.status as "not_started" | "in_progress" | "done"}`),
    `${formatFiscalYear(p.fiscalYear)}${p.carried ? t("checklist.plan.carriedMark") : ""}`,
  ];
}

// ---------------------------------------------------------------------------
// Per-municipality XLSX

export async function renderAssessmentXlsx(doc: AssessmentDocument): Promise<Buffer> {
  const title = t("checklist.doc.title");
  const wb = newWorkbook(`${title} ${doc.organization.name}`);
  const ws = wb.addWorksheet(doc.organization.name.slice(0, 31), { pageSetup: LANDSCAPE_A4 });
  // section | no. | item | answer | organisation comment | review comment | evidence
  ws.columns = [18, 10, 60, 11, 40, 40, 36].map((width) => ({ width }));

  const first = titleRows(ws, title, []);
  ws.mergeCells("A1:G1");

  // Header block: three label/value pairs per row, at A|B:C, D|E, F|G.
  const pairs = (fields: [string, string | number][], firstRow: number): number => {
    const slots: [string, string, string?][] = [
      ["A", "B", "C"],
      ["D", "E"],
      ["F", "G"],
    ];
    let r = firstRow;
    for (let i = 0; i < fields.length; i += slots.length, r++) {
      slots.forEach(([l, v, vEnd], j) => {
        const f = fields[i + j];
        const label = ws.getCell(`${l}${r}`);
        const value = ws.getCell(`${v}${r}`);
        if (vEnd) ws.mergeCells(`${v}${r}:${vEnd}${r}`);
        label.value = f ? f[0] : null;
        value.value = f ? f[1] : null;
        stylePair(label, value);
      });
    }
    return r;
  };
  let row = pairs([...headerFields(doc), [t("checklist.doc.generatedAt"), formatJst(doc.generatedAt)]], first);

  // Answer summary
  const ids = doc.template.sections.flatMap((s) => s.items.map((i) => i.id));
  const counts = countAnswers(itemAnswers(doc, ids));
  const score = scoreOf(counts);
  ws.getCell(`A${row + 1}`).value = t("checklist.doc.summary");
  ws.getCell(`A${row + 1}`).font = SECTION_FONT;
  row = pairs([...ANSWER_KEYS.map((k): [string, number] => [t(`checklist.answer.${k}`), counts[k]]), [t("checklist.doc.score"), score ?? DASH]], row + 2);
  if (score !== null) ws.getCell(`G${row - 1}`).numFmt = PERCENT_FORMAT;

  // Item table with a frozen, filterable header row.
  const headerRow = row + 1;
  const header = ws.getRow(headerRow);
  header.values = [
    t("checklist.doc.section"),
    t("checklist.doc.no"),
    t("checklist.doc.item"),
    t("checklist.doc.answer"),
    t("checklist.doc.comment"),
    t("checklist.doc.review"),
    t("checklist.doc.evidence"),
  ];
  styleHeader(header);
  let r = headerRow + 1;
  for (const s of doc.template.sections) {
    for (const item of s.items) {
      const a = doc.answers[item.id];
      const values = [
        `${s.id} ${s.title}`,
        item.id,
        item.text,
        answerLabel(a?.answer),
        a?.comment ?? "",
        a?.reviewComment ?? "",
        evidenceLines(a?.evidence ?? []).join("\n"),
      ];
      const xr = ws.getRow(r++);
      xr.values = values;
      xr.eachCell({ includeEmpty: true }, (c, col) => {
        c.border = THIN;
        c.alignment = col === 2 || col === 4 ? { ...WRAP, horizontal: "center" } : WRAP;
      });
    }
  }
  ws.views = [{ state: "frozen", ySplit: headerRow, xSplit: 0, topLeftCell: `A${headerRow + 1}` }];
  ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: r - 1, column: 7 } };
  ws.pageSetup.printTitlesRow = `${headerRow}:${headerRow}`;
  if (doc.plans?.length) {
    const ps = wb.addWorksheet(t("checklist.plan.title"), { pageSetup: LANDSCAPE_A4 });
    ps.columns = [10, 60, 24, 14, 12, 16].map((width) => ({ width }));
    writeTable(
      ps,
      1,
      [
        t("checklist.doc.no"),
        t("checklist.plan.measure"),
        t("checklist.plan.owner"),
        t("checklist.plan.due"),
        t("checklist.plan.status"),
        t("checklist.plan.raised"),
      ],
      doc.plans.map(planCells),
    );
  }
  return toXlsxBuffer(wb);
}

// ---------------------------------------------------------------------------
// Prefecture summary XLSX

/** A new summary sheet with its title rows (prefecture, fiscal year, deadline, generated at) and the next free row. */
function summarySheet(wb: ExcelJS.Workbook, doc: SummaryDocument, sheetLabel: string): { ws: ExcelJS.Worksheet; first: number } {
  const ws = wb.addWorksheet(sheetLabel);
  const first = titleRows(ws, `${t("checklist.summary.title")} ${doc.prefectureName} ${formatFiscalYear(doc.fiscalYear)} — ${sheetLabel}`, [
    `${t("checklist.doc.deadline")} ${formatJstDate(doc.deadline)} / ${t("checklist.doc.generatedAt")} ${formatJst(doc.generatedAt)}`,
  ]);
  return { ws, first };
}

export async function renderSummaryXlsx(doc: SummaryDocument): Promise<Buffer> {
  const { template, rollup } = doc;
  const wb = newWorkbook(`${t("checklist.summary.title")} ${doc.prefectureName} ${formatFiscalYear(doc.fiscalYear)}`);
  const answerHeaders = ANSWER_KEYS.map((k) => t(`checklist.answer.${k}`));
  const items = template.sections.flatMap((s) => s.items.map((item) => ({ section: s, item })));
  const none: Record<string, Answer | null | undefined> = {};
  const answersOf = (orgId: string) => doc.answers.get(orgId) ?? none;

  // Per municipality
  {
    const { ws, first } = summarySheet(wb, doc, t("checklist.summary.municipalities"));
    const headers = [
      t("checklist.doc.organizationCode"),
      t("checklist.doc.organization"),
      t("checklist.doc.status"),
      t("checklist.summary.answered"),
      ...answerHeaders,
      t("checklist.plan.open"),
      t("checklist.plan.openOverdue"),
      t("checklist.doc.score"),
      ...template.sections.map((s) => `${s.id} ${s.title}`),
      t("checklist.summary.previousScore"),
      t("checklist.summary.change"),
    ];
    const rows = rollup.municipalities.map((m) => [
      m.organizationId,
      m.organizationName,
      statusLabel(m.status),
      `${m.answered}/${m.total}`,
      ...ANSWER_KEYS.map((k) => m.counts[k]),
      m.openPlans,
      m.overduePlans,
      m.score,
      ...template.sections.map((s) => m.sections[s.id] ?? null),
      m.previousScore,
      m.change,
    ]);
    const nAns = ANSWER_KEYS.length;
    /** The score column (1-based): after code, name, status, answered, the answer counts and the two plan counts. */
    const scoreColumn = 4 + nAns + 2 + 1;
    ws.columns = headers.map((_, i) => ({ width: i === 1 ? 16 : i >= 4 + nAns ? 12 : 10 }));
    writeTable(ws, first, headers, rows, { freeze: true, xSplit: 2 });
    // Scores: from the score column to the end, one decimal with a % sign (change signed).
    for (let c = scoreColumn; c <= headers.length; c++) ws.getColumn(c).numFmt = c === headers.length ? "+0.0;-0.0;0.0" : PERCENT_FORMAT;
    ws.getRow(first).height = 45;
  }

  // Section averages
  {
    const { ws, first } = summarySheet(wb, doc, t("checklist.summary.sections"));
    ws.columns = [{ width: 10 }, { width: 40 }, { width: 12 }, { width: 12 }];
    writeTable(
      ws,
      first,
      [t("checklist.doc.no"), t("checklist.doc.section"), t("checklist.doc.score"), t("checklist.summary.scored")],
      rollup.sections.map((s) => [s.sectionId, s.title, s.average, s.scored]),
      { freeze: true },
    );
    ws.getColumn(3).numFmt = PERCENT_FORMAT;
  }

  // Per item: counts across municipalities; shortfall = not implemented + partial.
  {
    const { ws, first } = summarySheet(wb, doc, t("checklist.summary.items"));
    const headers = [
      t("checklist.doc.no"),
      t("checklist.doc.section"),
      t("checklist.doc.item"),
      ...answerHeaders,
      `${t("checklist.answer.not_implemented")}+${t("checklist.answer.partial")}`,
    ];
    const orgAnswers = rollup.municipalities.map((m) => answersOf(m.organizationId));
    const rows = items.map(({ section, item }) => {
      const c = countAnswers(orgAnswers.map((a) => a[item.id]));
      return [item.id, `${section.id} ${section.title}`, item.text, ...ANSWER_KEYS.map((k) => c[k]), c.not_implemented + c.partial];
    });
    ws.columns = headers.map((_, i) => ({ width: i === 2 ? 70 : i === 1 ? 24 : 10 }));
    ws.getColumn(3).alignment = WRAP;
    writeTable(ws, first, headers, rows, { freeze: true, xSplit: 1 });
  }

  // Answer matrix: one row per municipality, one column per item.
  {
    const { ws, first } = summarySheet(wb, doc, t("checklist.summary.matrix"));
    const headers = [t("checklist.doc.organizationCode"), t("checklist.doc.organization"), ...items.map(({ item }) => item.id)];
    const labels = new Map<string, string>([...ANSWER_KEYS.map((k) => [k, t(`checklist.answer.${k}`)] as const)]);
    const rows = rollup.municipalities.map((m) => {
      const a = answersOf(m.organizationId);
      return [m.organizationId, m.organizationName, ...items.map(({ item }) => labels.get(a[item.id] ?? "unanswered")!)];
    });
    ws.columns = headers.map((_, i) => ({ width: i === 1 ? 16 : 9 }));
    writeTable(ws, first, headers, rows, { freeze: true, xSplit: 2 });
  }

  // Improvement plans: every open plan of the round's municipalities, this round's and carried, overdue ones marked.
  {
    const { ws, first } = summarySheet(wb, doc, t("checklist.plan.title"));
    const text = new Map(items.map(({ item }) => [item.id, item.text]));
    const plans = [...doc.plans].sort(
      (a, b) => a.organizationId.localeCompare(b.organizationId) || a.itemId.localeCompare(b.itemId) || a.fiscalYear - b.fiscalYear,
    );
    const headers = [
      t("checklist.doc.organizationCode"),
      t("checklist.doc.organization"),
      t("checklist.doc.no"),
      t("checklist.doc.item"),
      t("checklist.plan.measure"),
      t("checklist.plan.owner"),
      t("checklist.plan.due"),
      t("checklist.plan.status"),
      t("checklist.plan.raised"),
      t("checklist.plan.overdue"),
    ];
    ws.columns = [10, 16, 10, 50, 40, 16, 12, 10, 12, 10].map((width) => ({ width }));
    if (!plans.length) ws.getCell(`A${first}`).value = t("checklist.plan.none");
    else
      writeTable(
        ws,
        first,
        headers,
        plans.map((p) => {
          // The assessment's plan cells, with the item's text after its number.
          const [itemId, ...cells] = planCells({ ...p, carried: p.fiscalYear < doc.fiscalYear });
          return [p.organizationId, p.organizationName, itemId, text.get(itemId) ?? "", ...cells, p.overdue ? t("checklist.plan.overdue") : ""];
        }),
        { freeze: true, xSplit: 2 },
      );
  }

  return toXlsxBuffer(wb);
}

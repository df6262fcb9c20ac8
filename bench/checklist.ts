/**
 * Checklist export speed, from generated answers (no database needed):
 *   1. the 19 demo municipalities' PDFs (official form, Japanese font embedded);
 *      baseline: the same text written by pdfkit as plain lines, no form layout;
 *   2. the prefecture summary XLSX for 1,741 municipalities (every municipality
 *      in Japan) with the roll-up; baseline: exceljs writing only the raw answer
 *      matrix (one sheet, one cell per answer).
 *
 *   npm run bench:checklist [-- --municipalities 1741 --out var/bench/checklist]
 */
import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import PDFDocument from "pdfkit";
import { demoAnswers } from "../scripts/demo/checklist";
import { MUNICIPALITIES } from "../scripts/demo/registry";
import { formatFiscalYear, t } from "../lib/i18n";
import { VAR_DIR } from "../lib/paths";
import type { AssessmentDocument } from "../domain/checklist/documents";
import { renderAssessmentPdf, renderSummaryXlsx } from "../reports/checklist/export";
import { rollupRound, type AssessmentAnswers } from "../domain/checklist/rollup";
import { allItems, loadTemplate } from "../domain/checklist/template";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main() {
  const out = path.resolve(arg("out", path.join(VAR_DIR, "bench", "checklist")));
  const count = Number(arg("municipalities", "1741"));
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const template = loadTemplate("fy2026");
  const previous = loadTemplate("fy2025");
  const items = allItems(template);
  const deadline = new Date("2027-01-29T23:59:59+09:00");
  const now = new Date("2026-11-23T12:00:00+09:00");

  // ---------------------------------------------------------------- 19 PDFs
  const docs: AssessmentDocument[] = MUNICIPALITIES.map((m, i) => {
    const answers = demoAnswers(template, m.code);
    return {
      template,
      prefectureName: "山口県",
      organization: { id: m.code, name: m.name },
      fiscalYear: 2026,
      status: i % 3 === 0 ? "accepted" : "submitted",
      deadline,
      submittedAt: new Date("2026-11-02T10:00:00+09:00"),
      returnedAt: null,
      acceptedAt: i % 3 === 0 ? new Date("2026-11-16T15:00:00+09:00") : null,
      acceptedBy: i % 3 === 0 ? "県 監視センター" : null,
      answers: Object.fromEntries(
        items.map((it) => [
          it.id,
          {
            answer: answers[it.id],
            comment: answers[it.id] === "implemented" ? null : "改善計画を策定し、次年度上期までに対応予定。担当課と調整中。",
            reviewComment: answers[it.id] === "not_implemented" ? "対応予定時期と担当者を明記してください。" : null,
            evidence: answers[it.id] === "implemented" && it.id.endsWith("-01") ? [{ fileName: `${it.id}_記録.pdf`, sha256: "0".repeat(64) }] : [],
          },
        ]),
      ),
      generatedAt: now,
    };
  });

  const t0 = performance.now();
  let pdfBytes = 0;
  for (const d of docs) {
    const pdf = await renderAssessmentPdf(d);
    pdfBytes += pdf.length;
    fs.writeFileSync(path.join(out, `jikotenken-2026-${d.organization.id}.pdf`), pdf);
  }
  const pdfMs = performance.now() - t0;

  // Baseline: the same strings as plain text lines with the same font.
  const fontFile = path.join(process.cwd(), "node_modules/@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf");
  const b0 = performance.now();
  for (const d of docs) {
    const doc = new PDFDocument({ size: "A4", margin: 40 });
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    const done = new Promise((r) => doc.on("end", r));
    doc.registerFont("jp", fontFile);
    doc.font("jp").fontSize(9);
    doc.text(`${t("checklist.doc.title")} ${d.organization.name} ${formatFiscalYear(d.fiscalYear)}`);
    for (const it of items) {
      const a = d.answers[it.id];
      doc.text(`${it.id} ${it.text} ${t(`checklist.answer.${a.answer ?? "unanswered"}`)} ${a.comment ?? ""} ${a.reviewComment ?? ""}`);
    }
    doc.end();
    await done;
  }
  const pdfBaseMs = performance.now() - b0;

  // -------------------------------------------------------- summary XLSX
  const orgs = Array.from({ length: count }, (_, i) => ({ id: String(10000 + i * 7).padStart(5, "0") + "0", name: `団体${String(i + 1).padStart(4, "0")}` }));
  const g0 = performance.now();
  const assessments: AssessmentAnswers[] = orgs.map((o, i) => ({
    organizationId: o.id,
    organizationName: o.name,
    status: (["accepted", "submitted", "resubmitted", "returned", "draft"] as const)[i % 5],
    answers: demoAnswers(template, o.id),
  }));
  const previousAnswers: AssessmentAnswers[] = orgs.map((o) => ({
    organizationId: o.id,
    organizationName: o.name,
    status: "accepted",
    answers: demoAnswers(previous, o.id),
  }));
  const genMs = performance.now() - g0;

  const x0 = performance.now();
  const rollup = rollupRound({ template, assessments, deadline, now, previous: { template: previous, assessments: previousAnswers } });
  const xlsx = await renderSummaryXlsx({
    template,
    prefectureName: "全国",
    fiscalYear: 2026,
    deadline,
    rollup,
    answers: new Map(assessments.map((a) => [a.organizationId, a.answers])),
    // The answer matrix is the cost measured here; the plans sheet is one row per open plan.
    plans: [],
    generatedAt: now,
  });
  const xlsxMs = performance.now() - x0;
  fs.writeFileSync(path.join(out, `jikotenken-summary-2026-${count}.xlsx`), xlsx);

  const r0 = performance.now();
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("answers");
  ws.addRow(["code", ...items.map((i) => i.id)]);
  for (const a of assessments) ws.addRow([a.organizationId, ...items.map((i) => a.answers[i.id] ?? "")]);
  const raw = Buffer.from(await wb.xlsx.writeBuffer());
  const xlsxBaseMs = performance.now() - r0;

  console.log(`checklist exports (template ${template.version}, ${items.length} items) → ${out}`);
  console.log(
    `  19 demo PDFs:                 ${seconds(pdfMs)} total (${(pdfMs / docs.length).toFixed(0)} ms each, ${(pdfBytes / 1024).toFixed(0)} KiB)   target < 30 s`,
  );
  console.log(`    baseline plain-text pdfkit: ${seconds(pdfBaseMs)}   ratio form/plain ${(pdfMs / pdfBaseMs).toFixed(2)}`);
  console.log(`  summary XLSX, ${count} municipalities: ${seconds(xlsxMs)} incl. roll-up (${(xlsx.length / 1024).toFixed(0)} KiB)   target < 60 s`);
  console.log(
    `    baseline raw answer matrix: ${seconds(xlsxBaseMs)} (${(raw.length / 1024).toFixed(0)} KiB)   ratio summary/raw ${(xlsxMs / xlsxBaseMs).toFixed(2)}`,
  );
  console.log(`  (generating the answers took ${seconds(genMs)}, not counted)`);
  if (pdfMs > 30_000 || xlsxMs > 60_000) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

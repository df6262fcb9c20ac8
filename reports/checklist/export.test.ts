import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { poppler, scratchDir } from "../../tests/support/pdf";
import type { AssessmentDocument, SummaryPlan } from "../../domain/checklist/documents";
import { renderAssessmentPdf, renderAssessmentXlsx, renderSummaryXlsx } from "./export";
import { rollupRound, type AssessmentAnswers } from "../../domain/checklist/rollup";
import type { Answer, ChecklistTemplate } from "../../domain/checklist/template";

const ANSWER_VALUES: Answer[] = ["implemented", "partial", "not_implemented", "not_applicable"];
const tmp = scratchDir("checklist-export");

function writePdf(name: string, pdf: Buffer): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, pdf);
  return file;
}

const pdfText = (file: string) => poppler("pdftotext", ["-layout", file, "-"]);
/** Text in content-stream order with whitespace removed: a wrapped cell reads as one string. */
const pdfFlatText = (file: string) => poppler("pdftotext", ["-raw", file, "-"]).replace(/\s+/g, "");
const pdfPages = (file: string) => Number(/^Pages:\s+(\d+)/m.exec(poppler("pdfinfo", [file]))?.[1]);

const item = (id: string, text: string): ChecklistTemplate["sections"][number]["items"][number] => ({
  id,
  text,
  guidance: "確認方法の説明",
  evidence: ["関係規程"],
  controls: [],
  rules: [],
  signals: [],
  allowNotApplicable: true,
});

const template: ChecklistTemplate = {
  version: "fy2026",
  fiscalYear: 2026,
  title: "令和8年度 住基ネット自己点検票",
  sources: ["セキュリティ基準"],
  sections: [
    {
      id: "ORG",
      title: "組織体制",
      items: [
        item("ORG-01", "セキュリティ責任者を任命し、その役割を文書で定めているか。"),
        item("ORG-02", "住基ネットの利用に関する内部規程を整備し、職員に周知しているか。"),
        item("ORG-03", "年に一回以上、職員向けのセキュリティ研修を実施しているか。"),
      ],
    },
    {
      id: "OPS",
      title: "運用管理",
      items: [item("OPS-01", "業務端末の操作者用ICカードを施錠保管しているか。"), item("OPS-02", "アクセスログを定期的に確認し、その記録を残しているか。")],
    },
  ],
};

const sha = "a3f1c2d4e5b6978812345678901234567890abcdef1234567890abcdef123456";

function assessment(overrides: Partial<AssessmentDocument> = {}): AssessmentDocument {
  return {
    template,
    prefectureName: "山口県",
    organization: { id: "352012", name: "下関市" },
    fiscalYear: 2026,
    status: "accepted",
    deadline: new Date("2026-11-30T14:59:59Z"),
    submittedAt: new Date("2026-11-20T01:00:00Z"),
    returnedAt: null,
    acceptedAt: new Date("2026-11-25T02:00:00Z"),
    acceptedBy: "山口 太郎",
    answers: {
      "ORG-01": { answer: "implemented", comment: "情報政策課長を任命済み。", reviewComment: null, evidence: [{ fileName: "任命書.pdf", sha256: sha }] },
      "ORG-02": { answer: "partial", comment: "規程は整備済み、周知は一部。", reviewComment: "周知記録を添付してください。", evidence: [] },
      "OPS-01": { answer: "not_implemented", comment: null, reviewComment: null, evidence: [] },
      "OPS-02": { answer: "not_applicable", comment: null, reviewComment: null, evidence: [] },
      // ORG-03 left unanswered.
    },
    generatedAt: new Date("2026-11-26T00:00:00Z"),
    ...overrides,
  };
}

/** 70 items with long texts and comments across three sections. */
function longAssessment(): AssessmentDocument {
  const long =
    "住民基本台帳ネットワークシステムの運用に当たり、関係法令及びセキュリティ基準に基づく手順を文書化し、担当者に周知した上で、その実施状況を定期的に点検しているか。";
  const ids = ["ORG", "OPS", "TEC"];
  const t: ChecklistTemplate = {
    ...template,
    sections: ids.map((sid, s) => ({
      id: sid,
      title: `区分${s + 1}`,
      items: Array.from({ length: s === 2 ? 24 : 23 }, (_, i) => item(`${sid}-${String(i + 1).padStart(2, "0")}`, `${long}（${sid}-${i + 1}）`)),
    })),
  };
  const answers: AssessmentDocument["answers"] = {};
  t.sections
    .flatMap((s) => s.items)
    .forEach((it, n) => {
      answers[it.id] = {
        answer: ANSWER_VALUES[n % 4],
        comment: `${long}${long}`.slice(0, 40 + (n % 5) * 30),
        reviewComment: n % 3 ? null : "根拠資料の更新をお願いします。",
        evidence: n % 7 ? [] : [{ fileName: `資料${n}.pdf`, sha256: sha }],
      };
    });
  return assessment({ template: t, answers });
}

describe("renderAssessmentPdf", () => {
  it("renders the official form with Japanese text and the Noto Sans JP font embedded", async () => {
    const file = writePdf("single.pdf", await renderAssessmentPdf(assessment()));
    const text = pdfText(file);
    const flat = pdfFlatText(file);
    for (const s of ["下関市", "山口県", "令和8年度", "受理（確定）", "2026/11/30", "山口 太郎", "回答集計", "ORG 組織体制", "OPS 運用管理"])
      expect(text).toContain(s);
    for (const it of template.sections.flatMap((s) => s.items)) {
      expect(text).toContain(it.id);
      expect(text).toContain(it.text.slice(0, 10));
    }
    for (const label of ["実施", "一部実施", "未実施", "該当なし", "未回答"]) expect(text).toContain(label);
    expect(flat).toContain("周知記録を添付してください。");
    expect(flat).toContain(`任命書.pdf(${sha.slice(0, 12)})`);
    expect(text).toMatch(/1\s*\/\s*1\s*頁/);

    const fonts = poppler("pdffonts", [file]).split("\n").slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.some((l) => /NotoSansJP/.test(l))).toBe(true);
    // Columns: name type encoding emb sub uni object ID; every font must be embedded.
    for (const l of fonts) expect(l.split(/\s+/).slice(-5)[0], l).toBe("yes");
  });

  it("spreads a 70-item form over several pages, repeating the page footer", async () => {
    const pdf = await renderAssessmentPdf(longAssessment());
    const file = writePdf("long.pdf", pdf);
    const pages = pdfPages(file);
    expect(pages).toBeGreaterThanOrEqual(4);
    const text = pdfText(file);
    expect(text.replace(/\s+/g, "")).toContain(`${pages}/${pages}頁`);
    expect(text).toContain("TEC-24");
  });

  it("splits a single row taller than a page instead of looping", async () => {
    const doc = assessment();
    const huge = Array.from({ length: 400 }, (_, i) => `長文コメント${i}。`).join("") + "終端マーカー";
    doc.answers["ORG-03"] = { answer: "partial", comment: huge, reviewComment: null, evidence: [] };
    const file = writePdf("huge.pdf", await renderAssessmentPdf(doc));
    expect(pdfPages(file)).toBeGreaterThanOrEqual(3);
    // Drop the footers and repeated header rows: the comment must then read through unbroken.
    const text = pdfFlatText(file)
      .replace(/下関市令和8年度\/出力日時[\d/:]+\d+\/\d+頁/g, "")
      .replaceAll("番号点検項目回答団体コメント審査コメント", "");
    expect(text).toContain(huge);
    expect(text).toContain("OPS-02");
  });
});

async function readXlsx(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

/** The value right of the cell holding `label` (header block: label | value pairs). */
function valueOf(ws: ExcelJS.Worksheet, label: string): unknown {
  let found: unknown;
  ws.eachRow((r) =>
    r.eachCell((c, col) => {
      if (found === undefined && c.value === label) found = r.getCell(col + 1).value;
    }),
  );
  if (found === undefined) throw new Error(`no label ${label} in ${ws.name}`);
  return found;
}

/** Column number (1-based) of a header cell. */
function columnOf(row: ExcelJS.Row, header: string): number {
  const col = (row.values as ExcelJS.CellValue[]).indexOf(header); // values[0] is unused: 1-based
  if (col < 1) throw new Error(`no column ${header} in row ${row.number}`);
  return col;
}

/** The row whose cell in `col` equals `value`. */
function findRow(ws: ExcelJS.Worksheet, col: number, value: unknown): ExcelJS.Row {
  let found: ExcelJS.Row | undefined;
  ws.eachRow((r) => {
    if (!found && r.getCell(col).value === value) found = r;
  });
  if (!found) throw new Error(`no row with ${String(value)} in column ${col} of ${ws.name}`);
  return found;
}

describe("renderAssessmentXlsx", () => {
  it("writes the header block and one row per item", async () => {
    const wb = await readXlsx(await renderAssessmentXlsx(assessment()));
    const ws = wb.worksheets[0];
    expect(valueOf(ws, "団体名")).toBe("下関市");
    expect(valueOf(ws, "都道府県")).toBe("山口県");
    expect(valueOf(ws, "点検年度")).toBe("令和8年度");
    expect(valueOf(ws, "状態")).toBe("受理（確定）");
    expect(valueOf(ws, "受理日")).toBe("2026/11/25");
    expect(valueOf(ws, "差戻し日")).toBe("—");

    const header = findRow(ws, 2, "番号");
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: header.number });
    const org2 = findRow(ws, 2, "ORG-02");
    expect(org2.getCell(1).value).toBe("ORG 組織体制");
    expect(org2.getCell(4).value).toBe("一部実施");
    expect(org2.getCell(6).value).toBe("周知記録を添付してください。");
    expect(findRow(ws, 2, "ORG-03").getCell(4).value).toBe("未回答");
    expect(findRow(ws, 2, "ORG-01").getCell(7).value).toBe(`任命書.pdf (${sha.slice(0, 12)})`);
    expect(org2.number - header.number).toBe(2);
    // 回答集計: 実施 1, 一部実施 1, 未実施 1 → (1 + 0.5) / 3 = 50%.
    expect(valueOf(ws, "実施率")).toBe(50);
    expect(valueOf(ws, "未回答")).toBe(1);
  });
});

describe("renderSummaryXlsx", () => {
  const orgs: AssessmentAnswers[] = [
    {
      organizationId: "352012",
      organizationName: "下関市",
      status: "accepted",
      answers: { "ORG-01": "implemented", "ORG-02": "partial", "ORG-03": "implemented", "OPS-01": "not_implemented", "OPS-02": "implemented" },
    },
    {
      organizationId: "352021",
      organizationName: "宇部市",
      status: "submitted",
      answers: { "ORG-01": "implemented", "ORG-02": "implemented", "ORG-03": "not_implemented", "OPS-01": "not_applicable" },
    },
    { organizationId: "352039", organizationName: "山口市", status: "draft", answers: {} },
  ];
  const deadline = new Date("2026-11-30T14:59:59Z");

  it("writes the five sheets with figures from the roll-up and the open improvement plans", async () => {
    const plans: SummaryPlan[] = [
      // 下関市: this round's plan for OPS-01 and one carried from last year, past its due date.
      {
        organizationId: "352012",
        organizationName: "下関市",
        itemId: "OPS-01",
        measure: "ログ確認の手順書を整備する",
        owner: "情報政策課",
        dueDate: new Date("2027-03-31T14:59:59Z"),
        status: "in_progress",
        fiscalYear: 2026,
        overdue: false,
      },
      {
        organizationId: "352012",
        organizationName: "下関市",
        itemId: "ORG-02",
        measure: "責任者の代理を定める",
        owner: "市民課",
        dueDate: new Date("2026-09-30T14:59:59Z"),
        status: "not_started",
        fiscalYear: 2025,
        overdue: true,
      },
    ];
    const withPlans = orgs.map((o) => ({ ...o, plans: plans.filter((p) => p.organizationId === o.organizationId) }));
    const rollup = rollupRound({ template, assessments: withPlans, deadline, now: new Date("2026-11-26T00:00:00Z") });
    const buf = await renderSummaryXlsx({
      template,
      prefectureName: "山口県",
      fiscalYear: 2026,
      deadline,
      rollup,
      answers: new Map(orgs.map((o) => [o.organizationId, o.answers])),
      plans,
      generatedAt: new Date("2026-11-26T00:00:00Z"),
    });
    const wb = await readXlsx(buf);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["団体別", "区分別実施率", "項目別", "回答一覧", "改善計画"]);

    const muni = wb.getWorksheet("団体別")!;
    expect(String(muni.getCell("A1").value)).toContain("山口県");
    expect(String(muni.getCell("A1").value)).toContain("令和8年度");
    const header = findRow(muni, 2, "団体名");
    const col = (h: string) => columnOf(header, h);
    const shimo = findRow(muni, 1, "352012");
    const shimoRollup = rollup.municipalities[0];
    expect(shimo.getCell(2).value).toBe("下関市");
    expect(shimo.getCell(col("状態")).value).toBe("受理（確定）");
    expect(shimo.getCell(col("実施")).value).toBe(3);
    expect(shimo.getCell(col("実施率")).value).toBe(shimoRollup.score);
    expect(shimo.getCell(col("ORG 組織体制")).value).toBe(shimoRollup.sections.ORG);
    expect(shimo.getCell(col("OPS 運用管理")).value).toBe(shimoRollup.sections.OPS);
    expect(findRow(muni, 1, "352039").getCell(col("未回答")).value).toBe(5);
    expect(shimo.getCell(col("未完了の改善計画")).value).toBe(2);
    expect(shimo.getCell(col("うち期限超過")).value).toBe(1);
    expect(findRow(muni, 1, "352021").getCell(col("未完了の改善計画")).value).toBe(0);
    // Scores keep their percent format after the plan columns; the counts do not take it.
    expect(shimo.getCell(col("実施率")).numFmt).toBe(muni.getColumn(col("OPS 運用管理")).numFmt);
    expect(shimo.getCell(col("うち期限超過")).numFmt).not.toBe(shimo.getCell(col("実施率")).numFmt);

    const sections = wb.getWorksheet("区分別実施率")!;
    expect(findRow(sections, 1, "ORG").getCell(3).value).toBe(rollup.sections[0].average);

    const items = wb.getWorksheet("項目別")!;
    const org3 = findRow(items, 1, "ORG-03");
    expect(org3.getCell(3).value).toBe(template.sections[0].items[2].text);
    // ORG-03: 実施 1 (下関市), 未実施 1 (宇部市), 未回答 1 (山口市); shortfall 1.
    expect([4, 5, 6, 7, 8, 9].map((c) => org3.getCell(c).value)).toEqual([1, 0, 1, 0, 1, 1]);

    const matrix = wb.worksheets[3];
    const mh = findRow(matrix, 2, "団体名");
    const ops01 = columnOf(mh, "OPS-01");
    expect(findRow(matrix, 1, "352021").getCell(ops01).value).toBe("該当なし");
    expect(findRow(matrix, 1, "352039").getCell(ops01).value).toBe("未回答");

    const planSheet = wb.getWorksheet("改善計画")!;
    const ph = findRow(planSheet, 2, "団体名");
    expect((ph.values as unknown[]).slice(1)).toEqual(["団体コード", "団体名", "番号", "点検項目", "対策", "担当", "期限", "状況", "登録年度", "期限超過"]);
    const rows: unknown[][] = [];
    planSheet.eachRow((r, n) => void (n > ph.number && rows.push((r.values as unknown[]).slice(1))));
    expect(rows).toEqual([
      ["352012", "下関市", "OPS-01", template.sections[1].items[0].text, "ログ確認の手順書を整備する", "情報政策課", "2027/03/31", "実施中", "令和8年度", ""],
      [
        "352012",
        "下関市",
        "ORG-02",
        template.sections[0].items[1].text,
        "責任者の代理を定める",
        "市民課",
        "2026/09/30",
        "未着手",
        "令和7年度（前年度から引継ぎ）",
        "期限超過",
      ],
    ]);
  });

  // Speed is measured by bench:checklist, not asserted here.
  it("writes the answer matrix of 1,741 municipalities × 66 items", async () => {
    const ids = ["ORG", "OPS", "TEC", "PHY", "PER", "INC"];
    const big: ChecklistTemplate = {
      ...template,
      sections: ids.map((sid, s) => ({
        id: sid,
        title: `区分${s + 1}`,
        items: Array.from({ length: 11 }, (_, i) => item(`${sid}-${String(i + 1).padStart(2, "0")}`, `点検項目の本文 ${sid}-${i + 1}`)),
      })),
    };
    const itemIds = big.sections.flatMap((s) => s.items.map((i) => i.id));
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const assessments: AssessmentAnswers[] = Array.from({ length: 1741 }, (_, n) => ({
      organizationId: String(10000 + n * 7).padStart(6, "0"),
      organizationName: `団体${n}`,
      status: (["draft", "submitted", "accepted", "returned", "resubmitted"] as const)[n % 5],
      answers: Object.fromEntries(itemIds.map((id) => [id, rand() < 0.1 ? null : ANSWER_VALUES[Math.floor(rand() * 4)]])),
    }));
    const deadline = new Date("2026-11-30T14:59:59Z");
    const rollup = rollupRound({ template: big, assessments, deadline });
    const buf = await renderSummaryXlsx({
      template: big,
      prefectureName: "全国",
      fiscalYear: 2026,
      deadline,
      rollup,
      answers: new Map(assessments.map((a) => [a.organizationId, a.answers])),
      plans: [],
      generatedAt: new Date(),
    });
    const wb = await readXlsx(buf);
    expect(wb.worksheets[3].rowCount).toBe(4 + 1741);
    expect(wb.worksheets[3].getRow(4).cellCount).toBe(2 + 66);
  }, 60_000);
});

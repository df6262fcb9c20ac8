import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { poppler, scratchDir } from "../../tests/support/pdf";
import type { AuditReportDocument, EngagementFacts, PlanDocument } from "../../domain/audits/documents";
import { renderPlanPdf } from "./render/plan";
import { renderNoticePdf } from "./render/notice";
import { renderReportPdf } from "./render/report";
import { renderReportAnnexXlsx } from "./render/annex";

const tmp = scratchDir("audit-render");

/** Renders a PDF, writes it to the temp dir and returns the file and its text with whitespace removed (speed: bench:reports). */
async function rendered(name: string, render: () => Promise<Buffer>): Promise<{ file: string; flat: string }> {
  const pdf = await render();
  const file = path.join(tmp, name);
  fs.writeFileSync(file, pdf);
  return { file, flat: poppler("pdftotext", [file, "-"]).replace(/\s+/g, "") };
}

const pages = (file: string): number => Number(/^Pages:\s+(\d+)/m.exec(poppler("pdfinfo", [file]))?.[1]);

function expectEmbeddedNoto(file: string): void {
  const fonts = poppler("pdffonts", [file]).split("\n").slice(2).filter(Boolean);
  expect(fonts.some((l) => /NotoSansJP/.test(l))).toBe(true);
  // Columns: name type encoding emb sub uni object ID; every font must be embedded.
  for (const l of fonts) expect(l.split(/\s+/).slice(-5)[0], l).toBe("yes");
}

const facts: EngagementFacts = {
  engagementId: "eng-2026-01",
  firm: "あおば監査法人",
  fiscalYear: 2026,
  prefectureName: "山口県",
  organization: { id: "352012", name: "下関市" },
  auditors: ["監査 一郎", "検証 花子"],
  accessFrom: new Date("2026-09-01T00:00:00+09:00"),
  accessTo: new Date("2027-03-31T00:00:00+09:00"),
  auditFrom: new Date("2026-04-01T00:00:00+09:00"),
  auditTo: new Date("2026-10-01T00:00:00+09:00"), // exclusive: last day 2026/09/30
  fieldworkOn: new Date("2026-11-10T10:00:00+09:00"),
};

const plan: PlanDocument = {
  ...facts,
  scope: "下関市における住民基本台帳ネットワークシステムの運用（業務端末、操作者用ICカード、アクセスログの確認体制）を対象とする。",
  criteriaItems: [
    { id: "ORG-01", text: "セキュリティ責任者を任命し、その役割を文書で定めているか。" },
    { id: "OPS-02", text: "アクセスログを定期的に確認し、その記録を残しているか。" },
  ],
  legalCriteria: "住民基本台帳法第30条の29、第30条の30及び住民基本台帳ネットワークシステムのセキュリティ基準",
  evidenceSources: ["interview", "log_analysis", "site_inspection", "document_review"],
  schedule: [
    { step: "preparation", when: "2026年9月" },
    { step: "planning", when: "2026年10月" },
    { step: "fieldwork", when: "2026年11月10日" },
    { step: "reporting", when: "2026年12月" },
  ],
  issuedAt: new Date("2026-10-05T09:00:00+09:00"),
};

const report: AuditReportDocument = {
  ...facts,
  version: 2,
  status: "draft",
  conclusion: "partially_effective",
  opinion: "アクセスログの確認体制に一部不備が認められるものの、セキュリティ対策はおおむね有効に運用されている。",
  scopeAndMethod: "監査対象期間のアクセスログ分析、セキュリティ責任者へのヒアリング及び関係文書の閲覧により実施した。",
  statistics: {
    from: new Date("2026-04-01T00:00:00+09:00"),
    to: new Date("2026-10-01T00:00:00+09:00"),
    totalEvents: 123456,
    usage: [
      { schedule: "3", scheduleLabel: "別表3（県外情報検索）", item: "3-1", itemLabel: "住民基本台帳に関する事務", count: 4321 },
      { schedule: "ordinance", scheduleLabel: "県条例", item: "ord-2", itemLabel: "県営住宅の管理に関する事務", count: 87 },
    ],
    byAction: [
      { action: "search", count: 5000 },
      { action: "login", count: 2400 },
      { action: "view", count: 1200 },
    ],
    operatorActions: 98765,
    afterHours: 321,
    authFailures: 45,
    cardLocks: 3,
    provisions: 4567,
    alerts: [
      { rule: "after_hours_access", ruleName: "業務時間外の照会", total: 12, byDisposition: { true_positive: 1, false_positive: 2, benign: 8, untriaged: 1 } },
      { rule: "broad_query", ruleName: "照会条件の弱い検索", total: 5, byDisposition: { benign: 5 } },
    ],
  },
  checklist: {
    fiscalYear: 2026,
    status: "accepted",
    score: 87.5,
    sections: [
      { id: "ORG", title: "組織体制", score: 100 },
      { id: "OPS", title: "運用管理", score: 75 },
    ],
    counts: { implemented: 14, partial: 2, not_implemented: 1, not_applicable: 1, unanswered: 0 },
  },
  findings: [
    {
      number: 1,
      title: "アクセスログの定期確認が記録されていない",
      grade: "major",
      criterion: "セキュリティ基準 第4 アクセスログの確認",
      condition: "令和8年4月から9月までの間、アクセスログの確認記録が作成されていなかった。",
      cause: "確認手順が担当者に周知されていなかった。",
      effect: "目的外利用を早期に発見できないおそれがある。",
      recommendation: "月次の確認手順を定め、記録を残すこと。",
      evidence: { alerts: ["ALR-0001", "ALR-0002"], searches: ["時間外照会（4月〜9月）"], files: ["確認記録簿.pdf"] },
      status: "responded",
      response: "令和8年12月から月次でアクセスログを確認し、記録簿に記載します。",
      remediationPlan: "確認手順書を改訂し、全担当者に研修を行う。",
      remediationDue: new Date("2027-03-31T00:00:00+09:00"),
    },
    {
      number: 2,
      title: "退職者の操作者用ICカードが返却されていない",
      grade: "minor",
      criterion: "セキュリティ基準 第3 ICカードの管理",
      condition: "退職者1名のICカードが管理簿上未返却であった。",
      cause: "退職時の手続に返却確認が含まれていない。",
      effect: "不正利用のおそれがある。",
      recommendation: "退職手続にICカードの返却確認を加えること。",
      evidence: { alerts: [], searches: [], files: [] },
      status: "open",
      response: null,
      remediationPlan: null,
      remediationDue: null,
    },
  ],
  incidentYear: { fiscalYear: 2026, incidents: 3, byKind: { failure: 2, misconduct: 1 }, exercises: 4, disconnections: 1 },
  generatedAt: new Date("2026-12-01T10:00:00+09:00"),
  finalizedAt: null,
};

/** Official dates carry the era and the Western date: 令和8年4月1日（2026年4月1日）. */
const COMMON = ["下関市", "令和8年度", "令和8年4月1日（2026年4月1日）", "令和8年9月30日（2026年9月30日）", "あおば監査法人", "監査一郎、検証花子"];

describe("renderPlanPdf", () => {
  it("renders the audit plan with header, criteria and schedule", async () => {
    const { file, flat } = await rendered("plan.pdf", () => renderPlanPdf(plan));
    for (const s of [
      ...COMMON,
      "実施計画書",
      "令和8年11月10日（2026年11月10日）",
      "令和8年10月5日（2026年10月5日）",
      "監査の目的",
      "本人確認情報",
      "ORG-01",
      "アクセスログを定期的に確認し",
      "ヒアリング",
      "ログ分析",
      "現地確認",
      "文書閲覧",
      "監査計画",
      "2026年11月10日",
    ])
      expect(flat).toContain(s);
    expect(flat).not.toContain("2026年10月1日");
    expect(flat).toContain("1/1頁");
    expectEmbeddedNoto(file);
  });
});

describe("renderNoticePdf", () => {
  it("renders a one-page letter", async () => {
    const { file, flat } = await rendered("notice.pdf", () => renderNoticePdf(plan));
    for (const s of [
      ...COMMON,
      "下関市長様",
      "山口県",
      "令和8年10月5日（2026年10月5日）",
      "外部運用監査の実施について",
      "住民基本台帳ネットワークシステム",
      "令和8年11月10日（2026年11月10日）",
      "操作者・ICカード管理簿",
      "委託契約書",
      "ヒアリング、ログ分析",
    ])
      expect(flat).toContain(s);
    expect(pages(file)).toBe(1);
    expectEmbeddedNoto(file);
  });
});

describe("renderReportPdf", () => {
  it("renders every section, the findings with the response and a draft mark", async () => {
    const { file, flat } = await rendered("report.pdf", () => renderReportPdf(report));
    for (const s of [
      ...COMMON,
      "外部運用監査報告書",
      "v2",
      "草案",
      "一部有効",
      "123,456",
      "98,765",
      "4,321",
      "住民基本台帳に関する事務",
      "業務時間外の照会",
      "87.5%",
      "組織体制",
      "アクセスログの定期確認が記録されていない",
      "退職者の操作者用ICカードが返却されていない",
      "重大な不備",
      "軽微な不備",
      "回答済",
      "未対応",
      "令和8年12月から月次でアクセスログを確認し、記録簿に記載します。",
      "ALR-0001",
      "確認記録簿.pdf",
      "令和9年3月31日（2027年3月31日）",
      "改善状況",
      // The year's incidents (drills apart) and drills: 事案 3 (障害 2, 不正行為 1, 情報漏えいの疑い 0, その他 0), 切断 1, 訓練 4
      // (pdftotext reads the wrapped header cells and the values interleaved: 3, 2, 1, 0, 0, 1, 4 in column order).
      "事案と緊急時対応訓練（令和8年度）事案（訓練を除く）障害3不正行為2情報漏えいの疑い1その他0うちネットワーク切断0訓練14",
      // Every figure says what it counts; the usage total's relation to the usage report is stated.
      "検索（成功）のみ",
      "ログイン・ログアウト・認証失敗・ICカードの記録を除いたもの",
      "年度（令和8年4月1日（2026年4月1日）〜令和9年3月31日（2027年3月31日））と異なるため",
    ])
      expect(flat).toContain(s.replace(/\s/g, ""));
    const n = pages(file);
    expect(flat).toContain(`下関市令和8年度外部運用監査報告書v2${n}/${n}頁`);
    // The draft mark is on every page.
    expect(flat.split("草案（確定前の報告書です）").length - 1).toBe(n);
    expectEmbeddedNoto(file);
  });

  it("has no draft mark once final and states a missing self-assessment", async () => {
    const { flat } = await rendered("final.pdf", () =>
      renderReportPdf({
        ...report,
        status: "final",
        finalizedAt: new Date("2026-12-20T10:00:00+09:00"),
        checklist: null,
        auditTo: new Date("2027-04-01T00:00:00+09:00"),
      }),
    );
    expect(flat).not.toContain("草案");
    // The audit period is the fiscal year: the 別表・事務別 total is the usage report's.
    expect(flat).toContain("同じ定義・同じ期間で集計しており、合計は一致します");
    expect(flat).toContain("令和8年12月20日（2026年12月20日）");
    expect(flat).toContain("該当年度の自己点検結果はありません。");
  });
});

describe("renderReportAnnexXlsx", () => {
  it("writes the figures and findings to their sheets", async () => {
    const buf = await renderReportAnnexXlsx(report);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["概要", "利用状況", "操作種別", "アラート", "自己点検", "指摘事項"]);

    const rowWith = (ws: ExcelJS.Worksheet, value: unknown): ExcelJS.Row => {
      let found: ExcelJS.Row | undefined;
      ws.eachRow((r) => r.eachCell((c) => void (found ??= c.value === value ? r : undefined)));
      if (!found) throw new Error(`${String(value)} not in ${ws.name}`);
      return found;
    };
    const findings = wb.getWorksheet("指摘事項")!;
    const f1 = rowWith(findings, "アクセスログの定期確認が記録されていない");
    expect(f1.getCell(1).value).toBe(1);
    expect(f1.getCell(3).value).toBe("重大な不備");
    expect(f1.getCell(13).value).toBe("令和8年12月から月次でアクセスログを確認し、記録簿に記載します。");
    expect(findings.views[0]).toMatchObject({ state: "frozen" });

    const usage = wb.getWorksheet("利用状況")!;
    expect(rowWith(usage, "住民基本台帳に関する事務").getCell(5).value).toBe(4321);
    expect(rowWith(wb.getWorksheet("概要")!, "記録の総数").getCell(2).value).toBe(123456);
    expect(rowWith(wb.getWorksheet("アラート")!, "業務時間外の照会").getCell(7).value).toBe(1);
  });

  it("adds the log reviews with dates and full findings, and the register tables, when the report has them", async () => {
    const findings = "深夜帯の照会が3件あり、所属長に確認した。うち1件は業務外の照会の疑いがあるため、本人に聴取し、結果を記録した。".repeat(2);
    const withAll: AuditReportDocument = {
      ...report,
      logReviews: {
        rows: [
          {
            period: "2026年4月",
            status: "signed_off",
            reviewer: "点検 太郎",
            doneAt: new Date("2026-05-08T10:00:00+09:00"),
            signedOffBy: "承認 次郎",
            signedOffAt: new Date("2026-05-12T15:30:00+09:00"),
            outcome: "action_required",
            findings,
          },
          { period: "2026年5月", status: "draft", reviewer: null, doneAt: null, signedOffBy: null, signedOffAt: null, outcome: null, findings: "" },
        ],
        done: 1,
        signedOff: 1,
        actionRequired: 1,
      },
      registers: [
        {
          title: "registers.training.audit.title",
          columns: ["registers.training.heldOn", "registers.training.titleField"],
          rows: [["2026/06/10", "情報セキュリティ研修"]],
        },
        { title: "registers.equipment.audit.title", columns: ["registers.equipment.col.assetNo"], rows: [] },
      ],
    };
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderReportAnnexXlsx(withAll)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["概要", "利用状況", "操作種別", "アラート", "自己点検", "操作履歴の点検", "指摘事項", "台帳"]);

    // The filled rows of a sheet below its title and facts lines, each as its cells.
    const rowsOf = (name: string): unknown[][] => {
      const rows: unknown[][] = [];
      wb.getWorksheet(name)!.eachRow((r) => void rows.push((r.values as unknown[]).slice(1)));
      return rows.slice(2);
    };
    expect(rowsOf("操作履歴の点検")).toEqual([
      ["監査対象期間の点検 2 期間のうち 1 期間で点検を実施（うち承認済 1）、要対応の所見 1 件。"],
      ["対象期間", "状態", "点検者", "点検日時", "承認者", "承認日時", "結果", "所見"],
      ["2026年4月", "承認済", "点検 太郎", "2026/05/08 10:00:00", "承認 次郎", "2026/05/12 15:30:00", "要対応", findings],
      ["2026年5月", "未実施", "—", "—", "—", "—", "—", "—"],
    ]);
    expect(rowsOf("台帳")).toEqual([
      ["研修・訓練の実施状況"],
      ["実施日", "件名"],
      ["2026/06/10", "情報セキュリティ研修"],
      ["保守期限を過ぎた機器"],
      ["該当なし"],
    ]);
  });
});

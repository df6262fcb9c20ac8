/**
 * Demo external audit: this fiscal year's engagement of a (fictional) audit
 * firm for the municipalities seed 003 lists as audited in R5, the demo
 * auditor assigned, the access period around today and the demo traffic's
 * period under audit, with a plan and two findings at 下関市.
 */
import { db } from "../../lib/db";
import { jstParts } from "../../lib/calendar";
import { createEngagement, createFinding, saveSearch, updatePlan } from "../../domain/audits/workflow";

const FIRM = "やまぐち監査法人（デモ）";
const AUDITED = ["352012", "352021", "352080", "352136", "352152", "353213", "355020"]; // 下関市 宇部市 岩国市 美祢市 周南市 和木町 阿武町
const DAY = 86_400_000;

export async function ensureDemoAudit(opts: {
  fiscalYear: number;
  adminLogin: string;
  auditorLogin: string;
  auditFrom: Date;
  auditTo: Date;
}): Promise<boolean> {
  if (await db().auditEngagement.findFirst({ where: { firm: FIRM, fiscalYear: opts.fiscalYear } })) return false;
  const [admin, auditor] = await Promise.all([
    db().user.findUniqueOrThrow({ where: { loginId: opts.adminLogin } }),
    db().user.findUniqueOrThrow({ where: { loginId: opts.auditorLogin } }),
  ]);
  const existing = await db().organization.findMany({ where: { id: { in: AUDITED } }, select: { id: true } });
  const a = { kind: "user" as const, id: admin.id, login: admin.loginId, role: "admin" as const, organizationId: admin.organizationId };
  const u = { kind: "user" as const, id: auditor.id, login: auditor.loginId, role: "auditor" as const, organizationId: auditor.organizationId };
  const e = await createEngagement(a, {
    firm: FIRM,
    fiscalYear: opts.fiscalYear,
    accessFrom: new Date(Date.now() - 7 * DAY),
    accessTo: new Date(Date.now() + 60 * DAY),
    auditFrom: opts.auditFrom,
    auditTo: opts.auditTo,
    organizationIds: existing.map((o) => o.id),
    auditorLogins: [auditor.loginId],
  });
  await updatePlan(u, e.id, {
    phase: "fieldwork",
    scope: "本人確認情報の利用・提供の状況、操作者及び操作者用ICカードの管理、アクセスログの確認状況",
    legalCriteria: "住民基本台帳法 第30条の24〜第30条の29、住民基本台帳ネットワークシステムのセキュリティ対策に関する基準",
    criteriaItems: ["OPR-03", "OPR-05", "TRM-03", "LOG-01", "LOG-02", "QRY-01"],
    evidenceSources: ["interview", "log_analysis", "site_inspection"],
    fieldwork: { "352012": new Date(Date.now() + 14 * DAY) },
  });
  // Evidence is chosen, not typed: a saved log search over the whole days of the audit period.
  const search = await saveSearch(u, e.id, "352012", {
    name: "下関市 監査対象期間の全操作",
    from: jstParts(opts.auditFrom.getTime() + DAY - 1).dateKey,
    to: jstParts(opts.auditTo.getTime() - DAY).dateKey,
  });
  await createFinding(u, e.id, "352012", {
    title: "業務時間外の操作に対する確認記録の不足",
    grade: "minor",
    criterion: "アクセスログを定期的に確認し、業務時間外の利用について理由を確認すること（自己点検 LOG-01）",
    condition: "監査対象期間に業務時間外の操作が記録されているが、理由の確認記録が残されていない。",
    cause: "時間外操作の確認手順と記録様式が定められていない。",
    effect: "不正な照会があった場合に発見が遅れるおそれがある。",
    recommendation: "月次のログ確認で時間外操作を抽出し、所属長が理由を確認して記録を保存すること。",
    searches: [search.id],
  });
  await createFinding(u, e.id, "352012", {
    title: "操作者用ICカードの貸与記録の記載漏れ",
    grade: "observation",
    criterion: "操作者用ICカードを管理簿により貸与・返却すること（自己点検 OPR-05）",
    condition: "現地確認時、管理簿に返却時刻の記載がない日が散見された。",
    cause: "返却時の記入確認が担当者任せになっている。",
    effect: "カードの所在が確認できない時間帯が生じる。",
    recommendation: "終業時に管理責任者が管理簿とカードの現物を照合すること。",
  });
  return true;
}

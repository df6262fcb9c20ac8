/**
 * What the audit documents show, as plain data: the audit plan (実施計画書)
 * and notice (実施通知書) of one municipality, and its external-audit report
 * with the access-log statistics of the audit period. Loaded in scope by
 * report.ts; rendered by render.ts.
 */
import type { RegisterTable } from "../registers/sources";
import type { Answer } from "../checklist/template";
import type { AuditReviewSection } from "../reviews/summary";

export interface EngagementFacts {
  engagementId: string;
  firm: string;
  fiscalYear: number;
  prefectureName: string;
  organization: { id: string; name: string };
  auditors: string[];
  accessFrom: Date;
  accessTo: Date;
  auditFrom: Date;
  auditTo: Date;
  fieldworkOn: Date | null;
}

export interface PlanDocument extends EngagementFacts {
  scope: string;
  /** Checklist items used as criteria, with their text. */
  criteriaItems: { id: string; text: string }[];
  legalCriteria: string;
  evidenceSources: string[]; // interview | log_analysis | site_inspection | document_review
  /** Procedure steps with their planned timing (準備, 監査計画, 監査実施, 監査報告). */
  schedule: { step: "preparation" | "planning" | "fieldwork" | "reporting"; when: string }[];
  issuedAt: Date;
}

export type NoticeDocument = PlanDocument;

export interface FindingRow {
  number: number;
  title: string;
  grade: "major" | "minor" | "observation";
  criterion: string;
  condition: string;
  cause: string;
  effect: string;
  recommendation: string;
  evidence: { alerts: string[]; searches: string[]; files: string[] };
  status: "open" | "responded" | "remediating" | "closed";
  response: string | null;
  remediationPlan: string | null;
  remediationDue: Date | null;
}

/** Access-log statistics of one municipality over the audit period, computed live from Elasticsearch. */
export interface AuditStatistics {
  from: Date;
  to: Date;
  totalEvents: number;
  /** Operator actions by purpose schedule (別表 / 条例 / 住基法 …) and 事務, with labels. */
  usage: { schedule: string; scheduleLabel: string; item: string; itemLabel: string; count: number }[];
  byAction: { action: string; count: number }[];
  operatorActions: number;
  afterHours: number;
  authFailures: number;
  cardLocks: number;
  /** 提供件数: records provided, each batch once however the node sent it (domain/statistics/figures.ts provisionRecords). */
  provisions: number;
  /** Alerts of the municipality in the period by rule and disposition (open alerts: "untriaged"). */
  alerts: { rule: string; ruleName: string; total: number; byDisposition: Record<string, number> }[];
}

export interface ChecklistResult {
  fiscalYear: number;
  status: string;
  score: number | null;
  sections: { id: string; title: string; score: number | null }[];
  counts: Record<Answer | "unanswered", number>;
}

export interface AuditReportDocument extends EngagementFacts {
  version: number;
  status: "draft" | "review" | "final";
  conclusion: "effective" | "partially_effective" | "ineffective" | null;
  opinion: string;
  scopeAndMethod: string;
  statistics: AuditStatistics;
  checklist: ChecklistResult | null;
  findings: FindingRow[];
  /** The fiscal year's incidents (drills apart) and emergency drills of the municipality (domain/incidents/summary.ts). */
  incidentYear?: IncidentYear;
  /** The periodic log reviews (操作履歴の点検) of the periods that began in the audit period (domain/reviews/summary.ts). */
  logReviews?: AuditReviewSection;
  /** The registers' tables (issue 17: equipment, IC cards, training and drills) of the audit period, from AUDIT_TABLE_SOURCES. */
  registers?: RegisterTable[];
  generatedAt: Date;
  finalizedAt: Date | null;
}

export interface IncidentYear {
  fiscalYear: number;
  incidents: number;
  byKind: Record<string, number>;
  exercises: number;
  disconnections: number;
}

/**
 * The incident report (事案報告書) as a PDF, from the data loaded by
 * domain/incidents/document.ts: summary, level and its changes, the
 * organisations, the whole timeline, decisions, investigation requests and
 * answers, measures and status. Same form primitives as the other PDFs;
 * official dates in the era (和暦).
 */
import { describeEvent, decisionName, kindName, legitimateName, levelName, statusName, type IncidentReportData } from "../../domain/incidents";
import { formatJst, formatOfficialDate, t } from "../../lib/i18n";
import { createDocument, heading, paragraph, toBuffer } from "../pdf/document";
import { keyValueTable, table } from "../pdf/table";

const DASH = "—";
const official = (d: Date | null) => (d ? `${formatOfficialDate(d)} ${formatJst(d).slice(-5)}` : DASH);

export async function renderIncidentReport(r: IncidentReportData): Promise<Buffer> {
  const title = `${t("incidentReport.title")}${r.exercise ? `（${t("incident.exercise")}）` : ""}`;
  const pdf = createDocument({
    title: `${title} ${r.title}`,
    author: r.organization.name,
    subject: t("incidentReport.title"),
    footer: { text: `${t("incidentReport.generatedAt")}: ${formatJst(r.generatedAt)}` },
  });
  heading(pdf, title, 1);
  paragraph(pdf, formatOfficialDate(r.generatedAt), { align: "right" });
  const names = new Map(r.organizations.map((o) => [o.id, o.name]));
  const orgName = (id: string) => names.get(id) ?? id;

  heading(pdf, t("incidentReport.summary"));
  keyValueTable(pdf, [
    [t("incident.number"), String(r.id)],
    [t("incident.name"), r.title],
    [t("incident.kind"), kindName(r.kind)],
    [t("incident.level"), levelName(r.level)],
    [t("incident.primaryOrganization"), r.organization.name],
    [t("incident.openedAt"), official(r.openedAt)],
    [t("incident.openedBy"), r.openedBy],
    [t("incident.reportDue"), r.reportDueAt ? official(r.reportDueAt) : t("incident.reportNone")],
    [t("incident.reportedAt"), official(r.reportedAt)],
    [t("incident.summary"), r.summary || DASH],
  ]);

  heading(pdf, t("incidentReport.levels"));
  if (r.levelDefinition) {
    const d = r.levelDefinition;
    keyValueTable(pdf, [
      [t("incident.levelMeaning"), d.meaning],
      [t("incident.levelNotify"), d.notify],
      [t("incident.levelWithin"), d.reportWithinMinutes ? t("incident.minutes").replace("{n}", String(d.reportWithinMinutes)) : t("incident.reportNone")],
      [t("incident.levelJlis"), d.jlisInvolved ? t("incident.yes") : t("incident.no")],
      [t("incident.levelDisconnect"), d.disconnectionConsidered ? t("incident.yes") : t("incident.no")],
    ]);
  }
  const levelChanges = r.timeline.filter((e) => e.kind === "level");
  table(pdf, {
    columns: [
      { header: t("incidentReport.col.at"), width: 2.2 },
      { header: t("incidentReport.col.from"), width: 1 },
      { header: t("incidentReport.col.to"), width: 1 },
      { header: t("incidentReport.col.by"), width: 1.5 },
      { header: t("incidentReport.col.reason"), width: 4 },
    ],
    rows: levelChanges.length
      ? levelChanges.map((e) => [formatJst(e.at), levelName(Number(e.detail.from)), levelName(Number(e.detail.to)), e.by, e.text])
      : [[formatJst(r.openedAt), DASH, levelName(r.level), r.openedBy, t("incidentReport.none")]],
  });

  heading(pdf, t("incidentReport.organizations"));
  paragraph(pdf, r.organizations.map((o) => `${o.name}（${o.id}）`).join("、"));

  heading(pdf, t("incidentReport.timeline"));
  table(pdf, {
    columns: [
      { header: t("incidentReport.col.at"), width: 2.2 },
      { header: t("incidentReport.col.by"), width: 1.5 },
      { header: t("incidentReport.col.what"), width: 6.3 },
    ],
    rows: r.timeline.map((e) => [formatJst(e.at), e.by, describeEvent(e, orgName)]),
  });

  heading(pdf, t("incidentReport.decisions"));
  const decisions = r.timeline.filter((e) => e.kind === "decision");
  table(pdf, {
    columns: [
      { header: t("incident.decidedAt"), width: 2.2 },
      { header: t("incident.decisionKind"), width: 2.2 },
      { header: t("incident.decidedBy"), width: 2 },
      { header: t("incidentReport.col.reason"), width: 3.6 },
    ],
    rows: decisions.length
      ? decisions.map((e) => [formatJst(e.at), decisionName(String(e.detail.decision)), String(e.detail.decidedBy ?? ""), e.text])
      : [[DASH, t("incidentReport.none"), "", ""]],
  });

  heading(pdf, t("incidentReport.investigations"));
  if (!r.investigations.length) paragraph(pdf, t("incidentReport.none"));
  for (const q of r.investigations) {
    keyValueTable(pdf, [
      [t("investigation.organization"), q.organization],
      [t("investigation.question"), q.question],
      [t("investigation.due"), official(q.dueAt)],
      [t("investigation.answeredAt"), q.answeredAt ? official(q.answeredAt) : t("investigation.state.open")],
      [t("investigation.findings"), q.findings ?? DASH],
      [t("investigation.cause"), q.cause || DASH],
      [t("investigation.legitimate"), q.answeredAt ? legitimateName(q.legitimate) : DASH],
      [t("investigation.measures"), q.measures || DASH],
    ]);
  }

  heading(pdf, t("incidentReport.measures"));
  paragraph(pdf, r.measures || DASH);

  heading(pdf, t("incidentReport.status"));
  keyValueTable(pdf, [
    [t("incident.status"), statusName(r.status)],
    [t("incident.closedAt"), official(r.closedAt)],
    [t("incident.disconnected"), r.disconnected ? t("incident.disconnected") : t("incident.connected")],
  ]);
  return toBuffer(pdf);
}

/**
 * The data of the incident report (事案報告書), loaded in the caller's scope:
 * everything the renderer (reports/incidents/report.ts) prints, names
 * resolved, labels left to the renderer.
 */
import type { Principal } from "../../lib/auth/principal";
import { db } from "../../lib/db";
import { getIncident } from "./incidents";
import type { LevelDefinition } from "./levels";

export interface IncidentReportData {
  id: number;
  title: string;
  kind: string;
  level: number;
  levelDefinition?: LevelDefinition;
  status: string;
  exercise: boolean;
  summary: string;
  measures: string;
  disconnected: boolean;
  organization: { id: string; name: string };
  organizations: { id: string; name: string }[];
  openedAt: Date;
  openedBy: string;
  closedAt: Date | null;
  reportDueAt: Date | null;
  reportedAt: Date | null;
  timeline: { at: Date; by: string; kind: string; text: string; detail: Record<string, unknown> }[];
  investigations: {
    id: number;
    organization: string;
    question: string;
    dueAt: Date;
    answeredAt: Date | null;
    findings: string | null;
    cause: string | null;
    legitimate: boolean | null;
    measures: string | null;
  }[];
  generatedAt: Date;
}

export async function incidentReportData(actor: Principal, id: number, now = new Date()): Promise<IncidentReportData> {
  const i = await getIncident(actor, id);
  const orgIds = [...new Set([i.organizationId, ...i.organizations.map((o) => o.organizationId), ...i.investigations.map((r) => r.organizationId)])];
  const names = new Map((await db().organization.findMany({ where: { id: { in: orgIds } }, select: { id: true, name: true } })).map((o) => [o.id, o.name]));
  const users = new Map(
    (
      await db().user.findMany({
        where: { loginId: { in: [...new Set([i.openedBy, ...i.timeline.map((e) => e.by)])] } },
        select: { loginId: true, name: true },
      })
    ).map((u) => [u.loginId, u.name]),
  );
  const org = (id: string) => ({ id, name: names.get(id) ?? id });
  return {
    id: i.id,
    title: i.title,
    kind: i.kind,
    level: i.level,
    levelDefinition: i.levelDefinition,
    status: i.status,
    exercise: i.exercise,
    summary: i.summary,
    measures: i.measures,
    disconnected: i.disconnected,
    organization: org(i.organizationId),
    organizations: i.organizations.map((o) => org(o.organizationId)),
    openedAt: i.openedAt,
    openedBy: users.get(i.openedBy) ?? i.openedBy,
    closedAt: i.closedAt,
    reportDueAt: i.reportDueAt,
    reportedAt: i.reportedAt,
    timeline: i.timeline.map((e) => ({
      at: e.at,
      by: users.get(e.by) ?? e.by,
      kind: e.kind,
      text: e.text,
      detail: e.detail ? (JSON.parse(e.detail) as Record<string, unknown>) : {},
    })),
    investigations: i.investigations.map((r) => ({
      id: r.id,
      organization: names.get(r.organizationId) ?? r.organizationId,
      question: r.question,
      dueAt: r.dueAt,
      answeredAt: r.answeredAt,
      findings: r.findings,
      cause: r.cause,
      legitimate: r.legitimate,
      measures: r.measures,
    })),
    generatedAt: now,
  };
}

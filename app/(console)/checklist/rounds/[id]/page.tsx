import Link from "@/components/Link";
import { redirect } from "next/navigation";
import { ProgressChart, SectionScoresChart, YearOverYearChart } from "@/components/ChecklistCharts";
import { recordAudit } from "@/lib/audit/trail";
import { AuthError } from "@/lib/auth/principal";
import { requireUser } from "@/lib/auth/pages";
import { formatFiscalYear, formatJstDate, t, type MessageKey } from "@/lib/i18n";
import { roundSummary } from "@/domain/checklist/documents";
import type { MunicipalityRollup, ProgressStatus } from "@/domain/checklist/rollup";

const PROGRESS: ProgressStatus[] = ["not_started", "draft", "submitted", "returned", "resubmitted", "accepted"];
const pct = (v: number | null) => (v === null ? "—" : `${v.toFixed(1)}%`);
/** Open improvement plans of an organisation and the overdue ones among them (issue 18). */
const PLAN_COLUMNS: { head: string; cell: (m: MunicipalityRollup) => string }[] = [
  { head: t("checklist.plan.open"), cell: (m) => String(m.openPlans) },
  { head: t("checklist.plan.openOverdue"), cell: (m) => String(m.overduePlans) },
];

/** The prefecture's roll-up of one round: progress against the deadline, section scores, weak items, year over year. */
export default async function RoundPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const { id } = await params;
  const actor = user;
  let s: Awaited<ReturnType<typeof roundSummary>>;
  try {
    s = await roundSummary(actor, id);
  } catch (e) {
    if (e instanceof AuthError) redirect("/forbidden");
    throw e;
  }
  await recordAudit({ actorId: user.id, actorLogin: user.login, action: "checklist_rollup_view", target: id });
  const { rollup } = s;
  const daysLeft = Math.ceil((s.deadline.getTime() - Date.now()) / 86_400_000);
  const finished = rollup.municipalities.filter((m) => m.finished);
  const inProgress = rollup.municipalities.filter((m) => !m.finished);
  const ids = new Map(s.round.assessments.map((a) => [a.organizationId, a.id]));
  return (
    <>
      <div className="pagehead">
        <h1>
          {s.prefectureName} {formatFiscalYear(s.fiscalYear)} {t("checklist.title")}
        </h1>
        <span>
          {t("checklist.col.deadline")} {formatJstDate(s.deadline)}（{daysLeft >= 0 ? `${t("checklist.daysLeft")} ${daysLeft}` : t("checklist.overdue")}）
        </span>
        <a className="button" href={`/api/checklist/rounds/${id}/summary`}>
          {t("checklist.download.summary")}
        </a>
      </div>
      <div className="grid">
        <section>
          <ProgressChart data={PROGRESS.map((status) => ({ status, count: rollup.progress[status] }))} />
          <p data-testid="overdue">
            {t("checklist.overdue")}：{rollup.overdue} / {rollup.total}
          </p>
          <p data-testid="open-plans">
            {t("checklist.plan.open")}：{rollup.openPlans}（{t("checklist.plan.openOverdue")} {rollup.overduePlans}）
          </p>
        </section>
        <section>
          <SectionScoresChart data={rollup.sections.map((x) => ({ label: `${x.sectionId} ${x.title}`, average: x.average }))} />
          <p className="small" data-testid="finished-basis">
            {t("checklist.finishedBasis")}（{rollup.finished} / {rollup.total}）
          </p>
        </section>
        <section className="wide">
          <YearOverYearChart data={finished.map((m) => ({ name: m.organizationName, score: m.score, previous: m.previousScore }))} />
        </section>
        <section className="wide">
          <h2>{t("checklist.weakest")}</h2>
          <table>
            <thead>
              <tr>
                <th>{t("checklist.doc.no")}</th>
                <th>{t("checklist.doc.item")}</th>
                <th className="num">{t("checklist.answer.not_implemented")}</th>
                <th className="num">{t("checklist.answer.partial")}</th>
                <th className="num">{t("checklist.col.shortfall")}</th>
              </tr>
            </thead>
            <tbody>
              {rollup.weakestItems.map((i) => (
                <tr key={i.itemId}>
                  <td className="mono">{i.itemId}</td>
                  <td>{i.text}</td>
                  <td className="num">{i.counts.not_implemented}</td>
                  <td className="num">{i.counts.partial}</td>
                  <td className="num">{i.shortfall}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
      <section>
        <h2>{t("checklist.finished")}</h2>
        <MunicipalityTable
          testId="finished-table"
          rows={finished}
          ids={ids}
          empty={t("checklist.noneFinished")}
          columns={[
            { head: t("checklist.col.score"), cell: (m) => pct(m.score) },
            { head: t("checklist.col.previous"), cell: (m) => pct(m.previousScore) },
            { head: t("checklist.col.change"), cell: (m) => (m.change === null ? "—" : `${m.change > 0 ? "+" : ""}${m.change.toFixed(1)}`) },
            ...PLAN_COLUMNS,
          ]}
        />
      </section>
      <section>
        <h2>{t("checklist.inProgress")}</h2>
        <p className="small">{t("checklist.inProgressNote")}</p>
        <MunicipalityTable
          testId="in-progress-table"
          rows={inProgress}
          ids={ids}
          empty={t("checklist.noneInProgress")}
          columns={[{ head: t("checklist.col.progress"), cell: (m) => `${m.answered} / ${m.total}` }, ...PLAN_COLUMNS]}
        />
      </section>
    </>
  );
}

/** Municipalities of the round with their status, the given numeric columns and a link to the assessment. */
function MunicipalityTable(props: {
  testId: string;
  rows: MunicipalityRollup[];
  ids: Map<string, string>;
  empty: string;
  columns: { head: string; cell: (m: MunicipalityRollup) => string }[];
}) {
  if (!props.rows.length) return <p>{props.empty}</p>;
  return (
    <table data-testid={props.testId}>
      <thead>
        <tr>
          <th>{t("checklist.col.municipality")}</th>
          <th>{t("checklist.col.status")}</th>
          {props.columns.map((c) => (
            <th key={c.head} className="num">
              {c.head}
            </th>
          ))}
          <th></th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((m) => (
          <tr key={m.organizationId} className={m.overdue ? "warn" : undefined}>
            <td>{m.organizationName}</td>
            <td>
              <span className={`pill status-${m.progress}`}>{t(`checklist.status.${m.progress}` as MessageKey)}</span>
              {m.overdue && ` ${t("checklist.overdue")}`}
            </td>
            {props.columns.map((c) => (
              <td key={c.head} className="num">
                {c.cell(m)}
              </td>
            ))}
            <td>
              <Link href={`/checklist/assessments/${props.ids.get(m.organizationId)}`}>{t("checklist.open")}</Link>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

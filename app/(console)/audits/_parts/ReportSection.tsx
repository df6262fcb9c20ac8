import { moveReportAction, saveReportAction } from "@/app/_actions/audits";
import { formatJst, formatJstDate, t, type MessageKey } from "@/lib/i18n";
import { CONCLUSIONS } from "@/domain/audits/workflow";
import { ConfirmForm } from "./ConfirmForm";

interface Report {
  id: string;
  version: number;
  status: string;
  opinion: string | null;
  conclusion: string | null;
  scopeAndMethod: string | null;
  finalizedAt: Date | null;
  pdfSha256: string | null;
  reviewRequestedById: string | null;
  reviewRequestedAt: Date | null;
  createdById: string;
}

/**
 * The report of one audited municipality: its state, the draft form
 * (auditors), and the steps — review and final each behind a confirmation,
 * final only for a second person (not the one who sent it to review).
 */
export function ReportSection(props: {
  engagementId: string;
  organizationId: string;
  report: Report | null;
  finals: Report[];
  access: "auditor" | "prefecture" | "municipality";
  userId: string;
  senderName?: string;
  fieldworkOn: Date | null;
  /** The fieldwork date is still ahead (finalising is refused until then). */
  fieldworkAhead: boolean;
}) {
  const { report, finals, engagementId: id, organizationId: org } = props;
  const isAuditor = props.access === "auditor";
  const fields = { engagementId: id, organizationId: org };
  const sender = report ? (report.reviewRequestedById ?? report.createdById) : undefined;
  const inReview = report?.status === "review";
  const canFinalize = inReview && props.access !== "municipality" && sender !== props.userId;
  const plain = (to: string, label: MessageKey) => (
    <form action={moveReportAction}>
      <input type="hidden" name="engagementId" value={id} />
      <input type="hidden" name="organizationId" value={org} />
      <input type="hidden" name="to" value={to} />
      <button type="submit">{t(label)}</button>
    </form>
  );
  return (
    <section>
      <h2>{t("audit.report")}</h2>
      {report ? (
        <p>
          {t("audit.report.version")} v{report.version} / {t("audit.report.status")}：
          <span data-testid="report-status">{t(`audit.reportStatus.${report.status}` as MessageKey)}</span>
          {report.finalizedAt && `（${formatJst(report.finalizedAt)}）`}{" "}
          {inReview && report.reviewRequestedAt && (
            <span data-testid="review-sender">
              {t("audit.report.sentBy")}：{props.senderName ?? "—"}（{formatJst(report.reviewRequestedAt)}）{" "}
            </span>
          )}
          <a className="button" href={`/api/audits/${id}/${org}/report`}>
            {t("audit.report.pdf")}
          </a>{" "}
          {finals.length > 0 && (
            <a className="button" href={`/api/audits/${id}/${org}/annex`}>
              {t("audit.report.annex")}
            </a>
          )}
        </p>
      ) : (
        <p>{t("audit.report.none")}</p>
      )}
      {finals.length > 0 && (
        <ul className="small">
          {finals.map((r) => (
            <li key={r.id}>
              v{r.version} {r.finalizedAt && formatJst(r.finalizedAt)} {t("audit.report.hash")} <span className="mono">{r.pdfSha256}</span>
            </li>
          ))}
        </ul>
      )}
      {isAuditor && (!report || report.status === "draft") && (
        <form action={saveReportAction} className="stack">
          <input type="hidden" name="engagementId" value={id} />
          <input type="hidden" name="organizationId" value={org} />
          <label>
            {t("audit.report.scopeAndMethod")}
            <textarea name="scopeAndMethod" defaultValue={report?.scopeAndMethod ?? ""} rows={3} />
          </label>
          <label>
            {t("audit.report.conclusion")}
            <select name="conclusion" defaultValue={report?.conclusion ?? ""}>
              <option value="">—</option>
              {CONCLUSIONS.map((c) => (
                <option key={c} value={c}>
                  {t(`audit.conclusion.${c}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("audit.report.opinion")}
            <textarea name="opinion" defaultValue={report?.opinion ?? ""} rows={4} />
          </label>
          <button type="submit">{t("audit.report.save")}</button>
        </form>
      )}
      {report && report.status !== "final" && props.access !== "municipality" && <p className="small">{t("audit.report.secondPerson")}</p>}
      {inReview && sender === props.userId && (
        <p className="note" data-testid="wait-second">
          {t("audit.report.waitSecond")}
        </p>
      )}
      {canFinalize && props.fieldworkAhead && (
        <p className="error" data-testid="fieldwork-ahead">
          {t("audit.error.fieldwork_future")}（{formatJstDate(props.fieldworkOn!)}）
        </p>
      )}
      {report && (
        <div className="triage">
          {isAuditor && report.status === "draft" && (
            <ConfirmForm
              action={moveReportAction}
              label={t("audit.report.toReview")}
              confirmText={t("audit.confirm.review")}
              fields={{ ...fields, to: "review" }}
            />
          )}
          {isAuditor && inReview && plain("draft", "audit.report.toDraft")}
          {canFinalize && (
            <ConfirmForm
              action={moveReportAction}
              label={t("audit.report.finalize")}
              confirmText={t("audit.confirm.final")}
              fields={{ ...fields, to: "final" }}
            />
          )}
          {isAuditor && report.status === "final" && plain("revise", "audit.report.revise")}
        </div>
      )}
    </section>
  );
}

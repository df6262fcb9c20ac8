import { redirect } from "next/navigation";
import { releaseArchiveAction, restoreArchiveAction } from "@/app/_actions/archive";
import { ConfirmButton } from "@/components/ConfirmButton";
import { requireUser } from "@/lib/auth/pages";
import { config } from "@/lib/config";
import { formatJst, t, type MessageKey } from "@/lib/i18n";
import { listArchive, managesArchive } from "@/domain/archive/restore";
import { streamDefs } from "@/domain/archive/streams";

export const dynamic = "force-dynamic";

const streamLabel = (s: string) => t(`archive.stream.${s}` as MessageKey) ?? s;
const stateLabel = (s: string) => t(`archive.state.${s}` as MessageKey) ?? s;

/**
 * The archive tier (README "Retention and archive"): the retention settings,
 * every archived month, restore (with a reason) and release. Admins of a
 * prefecture or of the national centre only: a restored month is deployment-wide.
 * `stream` and `month` in the address (from a page's archive banner) mark the rows asked for.
 */
export default async function ArchivePage({ searchParams }: { searchParams: Promise<{ error?: string; ok?: string; stream?: string; month?: string }> }) {
  const user = await requireUser(["admin"]);
  if (!(await managesArchive(user))) redirect("/forbidden");
  const sp = await searchParams;
  const asked = new Set((sp.month ?? "").split(",").filter((m) => /^\d{4}-\d{2}$/.test(m)));
  const rows = await listArchive();
  const defs = streamDefs();
  return (
    <>
      <div className="pagehead">
        <h1>{t("archive.title")}</h1>
      </div>
      <p>{t("archive.lead")}</p>
      {sp.error && (
        <p role="alert" className="error">
          {sp.error}
        </p>
      )}
      {(sp.ok === "restored" || sp.ok === "released") && <p role="status">{t(`archive.${sp.ok}`)}</p>}

      <h2>{t("archive.retention")}</h2>
      <table>
        <thead>
          <tr>
            <th>{t("archive.colStream")}</th>
            <th>{t("archive.colHot")}</th>
            <th>{t("archive.colTotal")}</th>
          </tr>
        </thead>
        <tbody>
          {defs.map((d) => (
            <tr key={d.stream}>
              <td>{streamLabel(d.stream)}</td>
              <td>
                {d.hotMonths}
                {t("archive.months")}
              </td>
              <td>
                {d.totalMonths}
                {t("archive.months")}
              </td>
            </tr>
          ))}
          <tr>
            <td>{streamLabel("disclosure")}</td>
            <td>—</td>
            <td>
              {config().RETENTION_DISCLOSURE_TOTAL_MONTHS}
              {t("archive.months")}
            </td>
          </tr>
        </tbody>
      </table>
      <p>{t("archive.trailNote")}</p>

      <h2>{t("archive.list")}</h2>
      {rows.length === 0 ? (
        <p>{t("archive.none")}</p>
      ) : (
        <table data-testid="archive-months">
          <thead>
            <tr>
              <th>{t("archive.colStream")}</th>
              <th>{t("archive.colMonth")}</th>
              <th>{t("archive.colState")}</th>
              <th>{t("archive.colDocs")}</th>
              <th>{t("archive.colSnapshot")}</th>
              <th>{t("archive.colArchivedAt")}</th>
              <th>{t("archive.colRestored")}</th>
              <th>{t("archive.colActions")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className={(!sp.stream || sp.stream === r.stream) && asked.has(r.month) ? "highlight" : undefined}>
                <td>{streamLabel(r.stream)}</td>
                <td>{r.month}</td>
                <td>
                  {stateLabel(r.state)}
                  {r.error && <small> {r.error}</small>}
                </td>
                <td>{r.docCount ?? "—"}</td>
                <td>
                  <code>{r.snapshot}</code>
                </td>
                <td>{r.deletedAt ? formatJst(r.deletedAt) : "—"}</td>
                <td>{r.state === "restored" ? `${r.restoredAt ? formatJst(r.restoredAt) : ""} ${r.restoredBy ?? ""}: ${r.restoreReason ?? ""}` : "—"}</td>
                <td>
                  {r.state === "archived" && (
                    <form action={restoreArchiveAction}>
                      <input type="hidden" name="stream" value={r.stream} />
                      <input type="hidden" name="month" value={r.month} />
                      <label>
                        {t("archive.reason")}
                        <input name="reason" required maxLength={500} />
                      </label>
                      <button type="submit">{t("archive.restore")}</button>
                    </form>
                  )}
                  {r.state === "restored" && (
                    <form action={releaseArchiveAction}>
                      <input type="hidden" name="stream" value={r.stream} />
                      <input type="hidden" name="month" value={r.month} />
                      <ConfirmButton message={t("archive.confirmRelease")}>{t("archive.release")}</ConfirmButton>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

import Link from "@/components/Link";
import { Flash } from "@/components/incidents/Flash";
import { kindLabel, listSessions, TRAINING_KINDS, untrainedOperators } from "@/domain/registers/training";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { fiscalYear } from "@/lib/calendar";
import { db } from "@/lib/db";
import { formatDateOnly, formatFiscalYear, t } from "@/lib/i18n";

export const dynamic = "force-dynamic";

/** The training and drills register: sessions in scope for a fiscal year, filtered by organisation and kind; untrained operators of one organisation. */
export default async function TrainingRegisterPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser(["admin", "monitor", "municipal_officer"]);
  const sp = await searchParams;
  const organization = /^\d{6}$/.test(sp.organization ?? "") ? sp.organization : undefined;
  const scope = await pageScope(user, organization ?? (sp.organization ? "invalid" : undefined));
  const current = fiscalYear(new Date());
  const fy = /^\d{4}$/.test(sp.fy ?? "") ? Number(sp.fy) : current;
  const kind = (TRAINING_KINDS as readonly string[]).includes(sp.kind ?? "") ? sp.kind : undefined;
  const [rows, orgs] = await Promise.all([
    listSessions(user, { organizationId: organization, fiscalYear: fy, kind }),
    db().organization.findMany({ where: { ...scope.where("id"), kind: { not: "prefecture" } }, select: { id: true, name: true }, orderBy: { id: "asc" } }),
  ]);
  const names = new Map(orgs.map((o) => [o.id, o.name]));
  const own = organization ?? (orgs.length === 1 ? orgs[0].id : undefined);
  const untrained = own ? await untrainedOperators(scope, fy, own) : undefined;
  return (
    <>
      <div className="pagehead">
        <h1>{t("registers.training.list")}</h1>
        <Link className="pill" href={`/registers/training/new${own ? `?organization=${own}` : ""}`}>
          {t("registers.training.new")}
        </Link>
      </div>
      <Flash ok={sp.ok} error={sp.error} />
      <form method="get" className="filters" aria-label={t("registers.training.filter")}>
        <label>
          {t("registers.training.organization")}{" "}
          <select name="organization" defaultValue={organization ?? ""}>
            <option value="">—</option>
            {orgs.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          {t("registers.training.fiscalYear")}{" "}
          <select name="fy" defaultValue={String(fy)}>
            {[current, current - 1, current - 2].map((y) => (
              <option key={y} value={y}>
                {formatFiscalYear(y)}
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          {t("registers.training.kind")}{" "}
          <select name="kind" defaultValue={kind ?? ""}>
            <option value="">{t("registers.training.allKinds")}</option>
            {TRAINING_KINDS.map((k) => (
              <option key={k} value={k}>
                {kindLabel(k)}
              </option>
            ))}
          </select>
        </label>{" "}
        <button type="submit">{t("registers.training.filter")}</button>
      </form>
      {rows.length === 0 ? (
        <p>{t("registers.training.none")}</p>
      ) : (
        <table data-testid="training-list">
          <thead>
            <tr>
              <th>{t("registers.training.heldOn")}</th>
              <th>{t("registers.training.kind")}</th>
              <th>{t("registers.training.titleField")}</th>
              <th>{t("registers.training.organization")}</th>
              <th className="num">{t("registers.training.participantCount")}</th>
              <th className="num">{t("registers.training.materials")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>{formatDateOnly(r.heldOn)}</td>
                <td>{kindLabel(r.kind)}</td>
                <td>
                  <Link href={`/registers/training/${r.id}`}>{r.title}</Link>
                </td>
                <td title={r.organizationId}>{names.get(r.organizationId) ?? r.organizationId}</td>
                <td className="num">{r.participantCount}</td>
                <td className="num">{r._count.materials}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {untrained && (
        <section>
          <h2>
            {t("registers.training.untrained")}（{formatFiscalYear(fy)}）
          </h2>
          {untrained.length === 0 ? (
            <p>{t("registers.training.untrainedNone")}</p>
          ) : (
            <p data-testid="training-untrained" className="mono">
              {untrained.map((o) => o.id).join("、")}
            </p>
          )}
        </section>
      )}
    </>
  );
}

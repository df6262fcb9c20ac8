import Link from "@/components/Link";
import { Flash } from "@/components/incidents/Flash";
import { exerciseIncidents, kindLabel, TRAINING_KINDS } from "@/domain/registers/training";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { jstParts } from "@/lib/calendar";
import { db } from "@/lib/db";
import { t } from "@/lib/i18n";

export const dynamic = "force-dynamic";

/** The form recording a session or drill (multipart to POST /api/registers/training?organization=…, with one material). */
export default async function NewTrainingSessionPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser(["admin", "monitor", "municipal_officer"]);
  const sp = await searchParams;
  const requested = sp.organization || undefined;
  const scope = await pageScope(user, requested);
  const orgs = await db().organization.findMany({
    where: { ...scope.where("id"), kind: { not: "prefecture" } },
    select: { id: true, name: true },
    orderBy: { id: "asc" },
  });
  const organization = requested ?? (orgs.length === 1 ? orgs[0].id : undefined);
  const incidents = organization ? (await exerciseIncidents(user)).filter((i) => i.organizationId === organization) : [];
  const today = jstParts(new Date()).dateKey;
  return (
    <>
      <div className="pagehead">
        <h1>{t("registers.training.new")}</h1>
        <Link className="pill" href="/registers/training">
          {t("registers.training.list")}
        </Link>
      </div>
      <Flash ok={sp.ok} error={sp.error} />
      {!organization ? (
        <form method="get" className="card" aria-label={t("registers.training.organization")}>
          <label>
            {t("registers.training.organization")}{" "}
            <select name="organization" required>
              {orgs.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>{" "}
          <button type="submit">{t("registers.training.new")}</button>
        </form>
      ) : (
        <form
          method="post"
          action={`/api/registers/training?organization=${organization}`}
          encType="multipart/form-data"
          className="card"
          aria-label={t("registers.training.new")}
        >
          <p>
            {t("registers.training.organization")}：<strong title={organization}>{orgs.find((o) => o.id === organization)?.name ?? organization}</strong>
          </p>
          <p>
            <label>
              {t("registers.training.kind")}{" "}
              <select name="kind" required defaultValue={sp.kind && (TRAINING_KINDS as readonly string[]).includes(sp.kind) ? sp.kind : "security_training"}>
                {TRAINING_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {kindLabel(k)}
                  </option>
                ))}
              </select>
            </label>
          </p>
          <p>
            <label>
              {t("registers.training.titleField")} <input name="title" required maxLength={200} size={50} />
            </label>
          </p>
          <p>
            <label>
              {t("registers.training.heldOn")} <input type="date" name="heldOn" required max={today} defaultValue={today} />
            </label>
          </p>
          <p>
            <label>
              {t("registers.training.participantCount")} <input type="number" name="participantCount" min={0} max={10000} />
            </label>
          </p>
          <p>
            <label>
              {t("registers.training.operators")}
              <textarea name="operators" rows={3} cols={60} />
            </label>
          </p>
          <p>
            <label>
              {t("registers.training.outcome")}
              <textarea name="outcome" rows={3} cols={60} maxLength={4000} />
            </label>
          </p>
          <p>
            <label>
              {t("registers.training.lessons")}
              <textarea name="lessons" rows={3} cols={60} maxLength={4000} />
            </label>
          </p>
          <p>
            <label>
              {t("registers.training.incident")}{" "}
              <select name="incidentId" defaultValue="">
                <option value="">{t("registers.training.noIncident")}</option>
                {incidents.map((i) => (
                  <option key={i.id} value={i.id}>
                    #{i.id} {i.title}
                  </option>
                ))}
              </select>
            </label>
          </p>
          <p>
            <label>
              {t("registers.training.attach")} <input type="file" name="file" />
            </label>
          </p>
          <button type="submit">{t("registers.training.save")}</button>
        </form>
      )}
    </>
  );
}

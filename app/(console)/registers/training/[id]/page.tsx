import Link from "@/components/Link";
import { notFound } from "next/navigation";
import { deleteTrainingSessionAction } from "@/app/_actions/training";
import { ConfirmButton } from "@/components/ConfirmButton";
import { Flash } from "@/components/incidents/Flash";
import { getSession, kindLabel, TrainingError } from "@/domain/registers/training";
import { recordAudit } from "@/lib/audit/trail";
import { requireUser } from "@/lib/auth/pages";
import { db } from "@/lib/db";
import { formatDateOnly, formatJst, t } from "@/lib/i18n";

export const dynamic = "force-dynamic";

/** One training session or drill: what was held, who took part, the materials, outcome and lessons. */
export default async function TrainingSessionPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string>>;
}) {
  const user = await requireUser(["admin", "monitor", "municipal_officer"]);
  const { id: raw } = await params;
  const sp = await searchParams;
  let s;
  try {
    s = await getSession(user, /^\d{1,9}$/.test(raw) ? Number(raw) : 0);
  } catch (e) {
    if (e instanceof TrainingError && e.code === "not_found") notFound();
    throw e;
  }
  await recordAudit({ actorId: user.id, actorLogin: user.login, action: "training_session_view", target: String(s.id), organizationId: s.organizationId });
  const org = await db().organization.findUnique({ where: { id: s.organizationId }, select: { name: true } });
  return (
    <>
      <div className="pagehead">
        <h1>
          {t("registers.training.session")}：{s.title}
        </h1>
        <Link className="pill" href={`/registers/training?organization=${s.organizationId}`}>
          {t("registers.training.list")}
        </Link>
      </div>
      <Flash ok={sp.ok} error={sp.error} />
      <dl className="facts" data-testid="training-session">
        <dt>{t("registers.training.organization")}</dt>
        <dd title={s.organizationId}>{org?.name ?? s.organizationId}</dd>
        <dt>{t("registers.training.kind")}</dt>
        <dd>{kindLabel(s.kind)}</dd>
        <dt>{t("registers.training.heldOn")}</dt>
        <dd>{formatDateOnly(s.heldOn)}</dd>
        <dt>{t("registers.training.participantCount")}</dt>
        <dd>{s.participantCount}</dd>
        <dt>{t("registers.training.participants")}</dt>
        <dd className="mono">{s.participants.length ? s.participants.map((p) => p.operatorId).join("、") : "—"}</dd>
        <dt>{t("registers.training.outcome")}</dt>
        <dd>{s.outcome || "—"}</dd>
        <dt>{t("registers.training.lessons")}</dt>
        <dd>{s.lessons || "—"}</dd>
        {s.incident && (
          <>
            <dt>{t("registers.training.incident")}</dt>
            <dd>
              <Link href={`/incidents/${s.incident.id}`}>{s.incident.title}</Link>
            </dd>
          </>
        )}
        <dt>{t("registers.training.materials")}</dt>
        <dd>
          {s.materials.length
            ? s.materials.map((m) => (
                <a key={m.id} href={`/api/registers/training/materials/${m.id}`} download>
                  {m.fileName}{" "}
                </a>
              ))
            : "—"}
        </dd>
        <dt>{t("registers.training.recordedBy")}</dt>
        <dd>
          {s.recordedBy}（{formatJst(s.createdAt)}）
        </dd>
      </dl>
      <form
        method="post"
        action={`/api/registers/training/${s.id}/materials`}
        encType="multipart/form-data"
        className="card"
        aria-label={t("registers.training.addMaterial")}
      >
        <label>
          {t("registers.training.addMaterial")} <input type="file" name="file" required />
        </label>{" "}
        <button type="submit">{t("registers.training.addMaterial")}</button>
      </form>
      <form action={deleteTrainingSessionAction}>
        <input type="hidden" name="sessionId" value={s.id} />
        <ConfirmButton message={t("registers.training.deleteConfirm")} className="danger">
          {t("registers.training.delete")}
        </ConfirmButton>
      </form>
    </>
  );
}

import Link from "@/components/Link";
import { notFound, redirect } from "next/navigation";
import type { ReactNode } from "react";
import { cardRegisterAction } from "@/app/_actions/registers";
import { Flash } from "@/components/incidents/Flash";
import { cardFindings, getCard } from "@/domain/registers/cards";
import { recordAudit } from "@/lib/audit/trail";
import { AuthError } from "@/lib/auth/principal";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { db } from "@/lib/db";
import { formatDateOnly, formatJst, t, type MessageKey } from "@/lib/i18n";

export const dynamic = "force-dynamic";

const YEAR_MS = 365 * 86_400_000;

/** One recording form on the card: op, card id, fields, button. */
function Op({ op, cardId, label, children }: { op: string; cardId: string; label: string; children?: ReactNode }) {
  return (
    <form action={cardRegisterAction} className="card" aria-label={label} data-testid={`card-${op}`}>
      <input type="hidden" name="cardId" value={cardId} />
      <input type="hidden" name="op" value={op} />
      {children}
      <button type="submit">{label}</button>
    </form>
  );
}

/** One operator card: its register (dates, loss, revocation, loans) and the findings of the log cross-check over the last year. */
export default async function CardPage({ params, searchParams }: { params: Promise<{ cardId: string }>; searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser();
  const { cardId: raw } = await params;
  const cardId = decodeURIComponent(raw).slice(0, 128);
  const sp = await searchParams;
  const scope = await pageScope(user);
  let card;
  try {
    card = await getCard(scope, cardId);
  } catch (e) {
    if (e instanceof AuthError && e.status === 404) notFound();
    if (e instanceof AuthError) redirect("/forbidden");
    throw e;
  }
  const now = new Date();
  const findings = await cardFindings(scope.narrow(card.organizationId), { from: new Date(now.getTime() - YEAR_MS), to: now }, [cardId]);
  const operators = await db().operator.findMany({
    where: { organizationId: card.organizationId, kind: "person" },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  await recordAudit({
    actorId: user.id,
    actorLogin: user.login,
    action: "card_register_view",
    target: cardId,
    organizationId: card.organizationId,
    scope: scope.recorded,
  });
  const r = card.record;
  const status = r?.status ?? "none";
  const open = r?.loans.find((l) => !l.returnedAt);
  const keeper = user.role === "admin" || user.role === "municipal_officer";
  const at = (
    <>
      <label>
        {t("registers.cards.at")}
        <input type="datetime-local" name="at" required />
      </label>
      <label>
        {t("registers.cards.by")}
        <input name="by" required maxLength={200} />
      </label>
    </>
  );
  return (
    <>
      <div className="pagehead">
        <h1>
          {t("registers.cards.detail")}：{cardId}
        </h1>
        <Link className="pill" href="/registers/cards">
          {t("registers.cards.back")}
        </Link>
      </div>
      <Flash ok={sp.ok} error={sp.error} />
      <dl data-testid="card-detail">
        <dt>{t("registers.cards.owner")}</dt>
        <dd>{card.owner}</dd>
        <dt>{t("registers.cards.col.status")}</dt>
        <dd>{t(`registers.cards.status.${status}` as MessageKey)}</dd>
        <dt>{t("registers.cards.col.issuedOn")}</dt>
        <dd>{r?.issuedOn ? formatDateOnly(r.issuedOn) : "—"}</dd>
        <dt>{t("registers.cards.col.expiresOn")}</dt>
        <dd>{r?.expiresOn ? formatDateOnly(r.expiresOn) : "—"}</dd>
        {r?.lostAt && (
          <>
            <dt>{t("registers.cards.status.lost")}</dt>
            <dd>{formatJst(r.lostAt)}</dd>
          </>
        )}
        {r?.revokedAt && (
          <>
            <dt>{t("registers.cards.status.revoked")}</dt>
            <dd>
              {formatJst(r.revokedAt)}（{r.revokedBy}）
            </dd>
          </>
        )}
      </dl>
      <h2>{t("registers.cards.findings")}</h2>
      {findings.length === 0 ? (
        <p>{t("registers.cards.noFindings")}</p>
      ) : (
        <table data-testid="card-findings">
          <thead>
            <tr>
              <th>{t("registers.cards.col.finding")}</th>
              <th>{t("registers.cards.col.usedBy")}</th>
              <th>{t("registers.cards.col.lentTo")}</th>
              <th>{t("registers.cards.col.first")}</th>
              <th>{t("registers.cards.col.last")}</th>
            </tr>
          </thead>
          <tbody>
            {findings.map((f, i) => (
              <tr key={i} className="warn">
                <td>{t(`registers.cards.finding.${f.kind}` as MessageKey)}</td>
                <td>{f.operatorId ?? "—"}</td>
                <td>{f.lentTo ?? "—"}</td>
                <td>{formatJst(f.first)}</td>
                <td>{formatJst(f.last)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t("registers.cards.loans")}</h2>
      <table data-testid="card-loans">
        <thead>
          <tr>
            <th>{t("registers.cards.col.lentTo")}</th>
            <th>{t("registers.cards.col.lentAt")}</th>
            <th>{t("registers.cards.col.lentBy")}</th>
            <th>{t("registers.cards.col.dueOn")}</th>
            <th>{t("registers.cards.col.returnedAt")}</th>
            <th>{t("registers.cards.col.receivedBy")}</th>
          </tr>
        </thead>
        <tbody>
          {(r?.loans ?? []).map((l) => (
            <tr key={l.id}>
              <td>{l.operatorId}</td>
              <td>{formatJst(l.lentAt)}</td>
              <td>{l.lentBy}</td>
              <td>{l.dueOn ? formatDateOnly(l.dueOn) : "—"}</td>
              <td>{l.returnedAt ? formatJst(l.returnedAt) : "—"}</td>
              <td>{l.receivedBy ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {keeper && (
        <>
          {status !== "lost" && status !== "revoked" && !open && (
            <Op op="lend" cardId={cardId} label={t("registers.cards.lend")}>
              <label>
                {t("registers.cards.col.lentTo")}
                <select name="operatorId">
                  {operators.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.id}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t("registers.cards.col.dueOn")}
                <input type="date" name="dueOn" />
              </label>
              {at}
            </Op>
          )}
          {open && (
            <Op op="return" cardId={cardId} label={t("registers.cards.return")}>
              {at}
            </Op>
          )}
          {status !== "revoked" && (
            <>
              <Op op="lost" cardId={cardId} label={t("registers.cards.lost")}>
                {at}
              </Op>
              <Op op="revoke" cardId={cardId} label={t("registers.cards.revoke")}>
                {at}
              </Op>
            </>
          )}
          <Op op="details" cardId={cardId} label={t("registers.cards.details")}>
            <label>
              {t("registers.cards.col.issuedOn")}
              <input type="date" name="issuedOn" />
            </label>
            <label>
              {t("registers.cards.col.expiresOn")}
              <input type="date" name="expiresOn" />
            </label>
          </Op>
        </>
      )}
    </>
  );
}

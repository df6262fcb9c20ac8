/**
 * IC card register (ICカード管理簿, issue 17 item 2): each operator card of the
 * registry (`IcCard`, imported with `npm run registry:import`, INTERFACE.md §5
 * operator `cards`) gets a register entry — expiry, loss, revocation — and its
 * lendings and returns (to whom, when, by whom). The register is checked
 * against the logs: a card used (`jukinet.auth.card_id`) after it was returned,
 * lost or revoked, or by an operator other than the one it is lent to, is a
 * finding, shown on the card's page and read by the detector
 * `card-register-mismatch` through the registry snapshot.
 */
import type { estypes } from "@elastic/elasticsearch";
import { AuthError } from "../../lib/auth/principal";
import type { Scope } from "../../lib/auth/scope";
import { fiscalYear, jstMidnight } from "../../lib/calendar";
import { db } from "../../lib/db";
import { t, type MessageKey } from "../../lib/i18n";
import { scopedBuckets } from "../../lib/es/scoped";
import { dateCell, fiscalYearRange } from "./equipment";
import type { AuditTableSource, FigureSource, RegisterReminder, ReminderSource } from "./types";
import { dateKeyOf } from "./sheet";

export class CardError extends Error {
  constructor(
    readonly code: "bad_input" | "not_found" | "lent" | "not_lent" | "closed",
    message: string,
  ) {
    super(message);
  }
}

/** A card's register as the checks need it (pure data; the detector's registry snapshot holds the same). */
export interface CardFacts {
  cardId: string;
  organizationId: string;
  status: string;
  lostAt: Date | null;
  revokedAt: Date | null;
  loans: { operatorId: string; lentAt: Date; returnedAt: Date | null }[];
}

export type FindingKind = "used_after_revocation" | "used_after_loss" | "used_after_return" | "other_operator";

/**
 * What is wrong with one use of a card at `at` by `operatorId`, or null (pure). Revocation and loss come first;
 * then the loan covering `at`: none after an earlier return is use after return, another operator than the
 * borrower is misuse. A card never lent is not judged (its register says nothing about who may hold it).
 */
export function judgeUse(card: CardFacts, at: Date, operatorId: string | null): { kind: FindingKind; lentTo: string | null } | null {
  if (card.revokedAt && at >= card.revokedAt) return { kind: "used_after_revocation", lentTo: null };
  if (card.lostAt && at >= card.lostAt) return { kind: "used_after_loss", lentTo: null };
  const loan = card.loans.find((l) => l.lentAt <= at && (!l.returnedAt || at < l.returnedAt));
  if (!loan) {
    const returned = card.loans.some((l) => l.returnedAt && l.returnedAt <= at);
    return returned ? { kind: "used_after_return", lentTo: null } : null;
  }
  if (operatorId && operatorId !== loan.operatorId) return { kind: "other_operator", lentTo: loan.operatorId };
  return null;
}

export interface CardFinding {
  cardId: string;
  organizationId: string;
  kind: FindingKind;
  /** The operator whose event used the card (null: none recorded). */
  operatorId: string | null;
  lentTo: string | null;
  first: Date;
  last: Date;
  events: number;
}

async function factsOf(scope: Scope, cardIds?: string[]): Promise<CardFacts[]> {
  const rows = await db().cardRecord.findMany({
    where: { ...scope.where(), ...(cardIds ? { cardId: { in: cardIds } } : {}) },
    include: { loans: { orderBy: { lentAt: "asc" } } },
  });
  return rows.map((r) => ({
    cardId: r.cardId,
    organizationId: r.organizationId,
    status: r.status,
    lostAt: r.lostAt,
    revokedAt: r.revokedAt,
    loans: r.loans.map((l) => ({ operatorId: l.operatorId, lentAt: l.lentAt, returnedAt: l.returnedAt })),
  }));
}

/**
 * The findings of the cards in scope (or the ones named) over a period: the card's uses, per card, operator and
 * hour (first and last event), judged by `judgeUse` at both ends of the hour. Reads the events through the scope.
 */
export async function cardFindings(scope: Scope, period: { from: Date; to: Date }, cardIds?: string[]): Promise<CardFinding[]> {
  const facts = await factsOf(scope, cardIds);
  const judged = facts.filter((f) => f.loans.length || f.lostAt || f.revokedAt);
  if (!judged.length) return [];
  const byCard = new Map(judged.map((f) => [f.cardId, f]));
  const query: estypes.QueryDslQueryContainer = {
    bool: {
      filter: [
        { range: { "@timestamp": { gte: period.from.toISOString(), lt: period.to.toISOString() } } },
        { terms: { "jukinet.auth.card_id": [...byCard.keys()] } },
      ],
    },
  };
  const out = new Map<string, CardFinding>();
  for await (const b of scopedBuckets(
    scope,
    "events",
    query,
    [
      { card: { terms: { field: "jukinet.auth.card_id" } } },
      { user: { terms: { field: "user.id", missing_bucket: true } } },
      { hour: { date_histogram: { field: "@timestamp", fixed_interval: "1h" } } },
    ],
    { first: { min: { field: "@timestamp" } }, last: { max: { field: "@timestamp" } } },
  )) {
    const card = byCard.get(b.key.card as string);
    if (!card) continue;
    const user = (b.key.user as string | null) ?? null;
    for (const at of [new Date(b.first.value as number), new Date(b.last.value as number)]) {
      const v = judgeUse(card, at, user);
      if (!v) continue;
      const key = [card.cardId, v.kind, user ?? ""].join("\u0000");
      const prev = out.get(key);
      if (prev) {
        if (at < prev.first) prev.first = at;
        if (at > prev.last) prev.last = at;
        prev.events += at.getTime() === b.first.value ? b.doc_count : 0;
      } else
        out.set(key, {
          cardId: card.cardId,
          organizationId: card.organizationId,
          kind: v.kind,
          operatorId: user,
          lentTo: v.lentTo,
          first: at,
          last: at,
          events: b.doc_count,
        });
      break;
    }
  }
  return [...out.values()].sort((a, b) => a.cardId.localeCompare(b.cardId) || a.first.getTime() - b.first.getTime());
}

/** The registry's cards of the scope (narrowed to one organisation when given), each with its register entry and loans. */
export async function listCards(scope: Scope, organizationId?: string) {
  const s = scope.narrow(organizationId);
  const [cards, records] = await Promise.all([
    db().icCard.findMany({
      where: { operator: { ...s.where("organizationId") } },
      include: { operator: { select: { id: true, organizationId: true } } },
      orderBy: { id: "asc" },
    }),
    db().cardRecord.findMany({ where: s.where(), include: { loans: { orderBy: { lentAt: "desc" } } } }),
  ]);
  const byCard = new Map(records.map((r) => [r.cardId, r]));
  return cards.map((c) => ({ cardId: c.id, organizationId: c.operator.organizationId, owner: c.operator.id, record: byCard.get(c.id) ?? null }));
}

/** One registry card in scope with its register entry: 403 when it belongs to an organisation outside the scope, 404 when unknown. */
export async function getCard(scope: Scope, cardId: string) {
  const card = await db().icCard.findUnique({ where: { id: cardId }, include: { operator: { select: { id: true, organizationId: true } } } });
  if (!card) throw new AuthError(404, `no card ${cardId}`);
  if (!scope.includes(card.operator.organizationId))
    throw new AuthError(403, `card ${cardId} belongs to organisation ${card.operator.organizationId}, outside your scope`);
  const record = await db().cardRecord.findFirst({ where: { cardId, ...scope.where() }, include: { loans: { orderBy: { lentAt: "desc" } } } });
  return { cardId, organizationId: card.operator.organizationId, owner: card.operator.id, record };
}

async function recordOf(scope: Scope, cardId: string) {
  const card = await getCard(scope, cardId);
  return card.record ?? (await db().cardRecord.create({ data: { cardId, organizationId: card.organizationId }, include: { loans: true } }));
}

const clean = (v: string | undefined, field: string, required = true) => {
  const s = (v ?? "").trim();
  if (required && !s) throw new CardError("bad_input", `${field}: required`);
  if (s.length > 200) throw new CardError("bad_input", `${field}: longer than 200 characters`);
  return s;
};
const dateField = (v: string | undefined, field: string, required = true): Date | null => {
  const key = dateKeyOf((v ?? "").trim());
  if (key === undefined || (required && !key)) throw new CardError("bad_input", `${field}: a date YYYY-MM-DD`);
  return key ? jstMidnight(key) : null;
};

/** Records the card's issue date and expiry. */
export async function setCardDetails(scope: Scope, cardId: string, input: { issuedOn?: string; expiresOn?: string; note?: string }) {
  const r = await recordOf(scope, cardId);
  return db().cardRecord.update({
    where: { id: r.id },
    data: {
      issuedOn: dateField(input.issuedOn, "issuedOn", false),
      expiresOn: dateField(input.expiresOn, "expiresOn", false),
      note: clean(input.note, "note", false) || null,
    },
  });
}

/** Lends the card to an operator of its organisation (`lentBy`: the officer handing it over). */
export async function lendCard(scope: Scope, cardId: string, input: { operatorId: string; lentAt: Date; lentBy: string; dueOn?: string }) {
  const r = await recordOf(scope, cardId);
  if (r.status !== "active") throw new CardError("closed", `card ${cardId} is ${r.status}`);
  if (r.loans.some((l) => !l.returnedAt)) throw new CardError("lent", `card ${cardId} is lent and not returned`);
  if (Number.isNaN(input.lentAt.getTime())) throw new CardError("bad_input", "lentAt: a date and time");
  const operatorId = clean(input.operatorId, "operatorId");
  const op = await db().operator.findFirst({ where: { id: operatorId, organizationId: r.organizationId } });
  if (!op) throw new CardError("bad_input", `operatorId: ${operatorId} is not an operator of ${r.organizationId}`);
  return db().cardLoan.create({
    data: {
      recordId: r.id,
      organizationId: r.organizationId,
      operatorId,
      lentAt: input.lentAt,
      lentBy: clean(input.lentBy, "lentBy"),
      dueOn: dateField(input.dueOn, "dueOn", false),
    },
  });
}

/** Records the return of the card's open loan (`receivedBy`: the officer taking it back). */
export async function returnCard(scope: Scope, cardId: string, input: { returnedAt: Date; receivedBy: string }) {
  const r = await recordOf(scope, cardId);
  const open = r.loans.find((l) => !l.returnedAt);
  if (!open) throw new CardError("not_lent", `card ${cardId} is not lent`);
  if (Number.isNaN(input.returnedAt.getTime()) || input.returnedAt < open.lentAt) throw new CardError("bad_input", "returnedAt: after the lending");
  return db().cardLoan.update({ where: { id: open.id }, data: { returnedAt: input.returnedAt, receivedBy: clean(input.receivedBy, "receivedBy") } });
}

/** Records the card lost (it stays lost; revoke it too) or revoked (失効). */
export async function closeCard(scope: Scope, cardId: string, input: { what: "lost" | "revoked"; at: Date; by: string }) {
  const r = await recordOf(scope, cardId);
  if (Number.isNaN(input.at.getTime())) throw new CardError("bad_input", "at: a date and time");
  const by = clean(input.by, "by");
  if (input.what === "lost")
    return db().cardRecord.update({ where: { id: r.id }, data: { status: r.status === "revoked" ? "revoked" : "lost", lostAt: input.at } });
  return db().cardRecord.update({ where: { id: r.id }, data: { status: "revoked", revokedAt: input.at, revokedBy: by } });
}

// ---- reminders, figures, audit tables ----

/** Cards lent and not returned by their due date (or lent with no due date for longer than a fiscal year). */
export const cardReminders: ReminderSource = async (scope, now) => {
  const loans = await db().cardLoan.findMany({ where: { ...scope.where(), returnedAt: null }, include: { record: true }, orderBy: { lentAt: "asc" } });
  const out: RegisterReminder[] = [];
  for (const l of loans) {
    const overdue = l.dueOn ? l.dueOn <= now : false;
    const closed = l.record.status !== "active";
    if (!overdue && !closed) continue;
    out.push({
      kind: "card_not_returned",
      organizationId: l.organizationId,
      subject: `${l.record.cardId}（${l.operatorId}）`,
      due: l.dueOn,
      href: `/registers/cards/${encodeURIComponent(l.record.cardId)}`,
    });
  }
  return out;
};

export const CARD_SIGNALS = ["cards_lent", "cards_unreturned", "cards_revoked", "cards_misused"] as const;

/**
 * Figures of one organisation's fiscal year: cards lent now (of the cards in the register), loans overdue or of a
 * closed card not returned, cards revoked or lost in the year, and cards with a finding in the year.
 */
export const cardFigures: FigureSource = async (scope, organizationId, fy, now) => {
  const s = scope.narrow(organizationId);
  const range = fiscalYearRange(fy);
  const [records, open] = await Promise.all([
    db().cardRecord.findMany({ where: s.where() }),
    db().cardLoan.findMany({ where: { ...s.where(), returnedAt: null, lentAt: { lt: range.to } }, include: { record: true } }),
  ]);
  const asOf = now < range.to ? now : range.to;
  const findings = await cardFindings(s, { from: range.from, to: asOf });
  const href = `/registers/cards?organization=${organizationId}`;
  return {
    cards_lent: { value: new Set(open.map((l) => l.recordId)).size, of: records.length, href },
    cards_unreturned: { value: open.filter((l) => (l.dueOn && l.dueOn <= asOf) || l.record.status !== "active").length, href: `${href}&view=unreturned` },
    cards_revoked: {
      value: records.filter(
        (r) => (r.revokedAt && r.revokedAt >= range.from && r.revokedAt < range.to) || (r.lostAt && r.lostAt >= range.from && r.lostAt < range.to),
      ).length,
      href: `${href}&view=closed`,
    },
    cards_misused: { value: new Set(findings.map((f) => f.cardId)).size, href: `${href}&view=findings` },
  };
};

/** The audit report's table: cards unreturned at the period's end, and cards with a finding (used after return or revocation, or by another operator) in it. */
export const cardAuditTables: AuditTableSource = async (scope, organizationId, period) => {
  const s = scope.narrow(organizationId);
  const open = await db().cardLoan.findMany({
    where: { ...s.where(), lentAt: { lt: period.to }, OR: [{ returnedAt: null }, { returnedAt: { gte: period.to } }] },
    include: { record: true },
    orderBy: { lentAt: "asc" },
  });
  const unreturned = open.filter((l) => (l.dueOn && l.dueOn < period.to) || l.record.status !== "active");
  const findings = await cardFindings(s, period);
  return [
    {
      title: "registers.cards.audit.unreturned",
      columns: [
        "registers.cards.col.card",
        "registers.cards.col.lentTo",
        "registers.cards.col.lentAt",
        "registers.cards.col.dueOn",
        "registers.cards.col.status",
      ],
      rows: unreturned.map((l) => [
        l.record.cardId,
        l.operatorId,
        dateCell(l.lentAt),
        dateCell(l.dueOn),
        t(`registers.cards.status.${l.record.status}` as MessageKey),
      ]),
    },
    {
      title: "registers.cards.audit.findings",
      columns: [
        "registers.cards.col.card",
        "registers.cards.col.finding",
        "registers.cards.col.usedBy",
        "registers.cards.col.lentTo",
        "registers.cards.col.first",
        "registers.cards.col.last",
      ],
      rows: findings.map((f) => [
        f.cardId,
        t(`registers.cards.finding.${f.kind}` as MessageKey),
        f.operatorId ?? "",
        f.lentTo ?? "",
        dateCell(f.first),
        dateCell(f.last),
      ]),
    },
  ];
};

/** For the reminders: the current fiscal year of `now` (re-exported for pages). */
export const currentFiscalYear = (now: Date) => fiscalYear(now);

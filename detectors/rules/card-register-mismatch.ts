import type { estypes } from "@elastic/elasticsearch";
import { judgeUse, type CardFacts, type FindingKind } from "../../domain/registers/cards";
import { scopedBuckets } from "../../lib/es/scoped";
import { dayKey, dayWindow } from "../days";
import { reproduce, SPAN_AND_SAMPLES, samplesOf } from "../evidence";
import { defineRule, timeRange, type AlertCandidate } from "../rule";

const REASON_JA: Record<FindingKind, string> = {
  used_after_revocation: "失効後の使用",
  used_after_loss: "紛失届後の使用",
  used_after_return: "返却後の使用",
  other_operator: "貸与先以外の操作者による使用",
};

/** Most serious first: the alert's summary names the first reason found. */
const ORDER: FindingKind[] = ["used_after_revocation", "used_after_loss", "used_after_return", "other_operator"];

export default defineRule({
  id: "card-register-mismatch",
  name: { ja: "ICカード管理簿との不一致", en: "IC card used against its register" },
  description: {
    ja: "操作者用ICカードが、管理簿上の返却後・紛失届後・失効後に使われた、又は貸与先以外の操作者の操作で使われた。",
    en: "An operator IC card was used after the register records its return, loss or revocation, or by an operator other than the one it is lent to.",
  },
  severity: "high",
  riskScore: 78,
  entityType: "card",
  control: "操作者用ICカードの管理簿による貸与・返却管理と紛失時の失効 (セキュリティ基準 第4-2; seed 004: ICカードの管理)",
  falsePositives: [
    "A return or lending recorded in the register with the wrong time: correct the register (管理簿) and the alert stops for later days.",
    "Cards without a register entry, or never lent, are not judged: the rule knows only what the register records.",
  ],
  bucket: "day",
  params: { minEvents: 1 },
  async run(ctx) {
    const register: Map<string, CardFacts> = ctx.registry.cardRegister ?? new Map();
    const judged = [...register.values()].filter((c) => c.loans.length || c.lostAt || c.revokedAt);
    if (!judged.length) return [];
    const cardFilter: estypes.QueryDslQueryContainer = { terms: { "jukinet.auth.card_id": judged.map((c) => c.cardId).sort() } };
    const range = timeRange(ctx.window.from, ctx.window.to);

    const byAlert = new Map<string, AlertCandidate & { reasons: Set<FindingKind>; users: Set<string>; lentTo: Set<string> }>();
    for await (const b of scopedBuckets(
      ctx.scope,
      "events",
      { bool: { filter: [range, cardFilter] } },
      [
        { org: { terms: { field: "organization.id" } } },
        { card: { terms: { field: "jukinet.auth.card_id" } } },
        { user: { terms: { field: "user.id", missing_bucket: true } } },
        { hour: { date_histogram: { field: "@timestamp", fixed_interval: "1h" } } },
      ],
      SPAN_AND_SAMPLES,
    )) {
      const card = register.get(b.key.card as string);
      if (!card) continue;
      const user = (b.key.user as string | null) ?? null;
      const ends = [new Date(b.first.value as number), new Date(b.last.value as number)];
      const verdicts = ends.map((t) => ({ t, v: judgeUse(card, t, user) })).filter((x) => x.v);
      if (!verdicts.length || b.doc_count < ctx.params(b.key.org as string).minEvents) continue;
      const { t, v } = verdicts[0];
      const day = dayKey(t.getTime());
      const org = b.key.org as string;
      const id = [org, card.cardId, day].join("\u0000");
      let alert = byAlert.get(id);
      if (!alert) {
        const window = dayWindow(day);
        alert = {
          reasons: new Set(),
          users: new Set(),
          lentTo: new Set(),
          entity: { type: "card", id: card.cardId },
          organization: org,
          window,
          summary: "",
          evidence: {
            counts: { events: 0 },
            first: b.first.value_as_string as string,
            last: b.last.value_as_string as string,
            register: {
              status: card.status,
              lost_at: card.lostAt?.toISOString() ?? null,
              revoked_at: card.revokedAt?.toISOString() ?? null,
              loans: card.loans.map((l) => ({ operator: l.operatorId, lent_at: l.lentAt.toISOString(), returned_at: l.returnedAt?.toISOString() ?? null })),
            },
            ...reproduce(undefined, [timeRange(window.start, window.end), { term: { "jukinet.auth.card_id": card.cardId } }]),
          },
        };
        byAlert.set(id, alert);
      }
      alert.reasons.add(v!.kind);
      if (user) alert.users.add(user);
      if (v!.lentTo) alert.lentTo.add(v!.lentTo);
      alert.evidence.counts.events += b.doc_count;
      if ((b.first.value_as_string as string) < (alert.evidence.first as string)) alert.evidence.first = b.first.value_as_string;
      if ((b.last.value_as_string as string) > (alert.evidence.last as string)) alert.evidence.last = b.last.value_as_string;
      alert.evidence.sample_events = [...alert.evidence.sample_events, ...samplesOf(b.samples)].slice(0, 5);
    }
    return [...byAlert.values()].map(({ reasons, users, lentTo, ...c }) => {
      const ordered = ORDER.filter((r) => reasons.has(r));
      c.evidence.reasons = ordered;
      c.evidence.users = [...users].sort();
      c.evidence.lent_to = [...lentTo].sort();
      c.summary = `ICカード ${c.entity.id} の${ordered.map((r) => REASON_JA[r]).join("・")}（${[...users].sort().join("・") || "操作者不明"}、${dayKey(Date.parse(c.window.start))}）`;
      return c;
    });
  },
});

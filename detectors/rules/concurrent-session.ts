import type { estypes } from "@elastic/elasticsearch";
import { scopedBuckets, scopedSearch, streamIndex } from "../../lib/es/scoped";
import { aggsOf, type Count, type Histogram, type SampleHits, type Terms } from "../aggs";
import { dayWindow } from "../days";
import { sampleHits, samplesOf } from "../evidence";
import { personActivity } from "../registry";
import { defineRule, timeRange, type AlertCandidate, type RuleContext } from "../rule";

const MINUTE = 60_000;

export interface Minute {
  t: number;
  n: number;
  logins: number;
  logouts: number;
  anchors: number;
}
export interface Session {
  start: number;
  end: number;
  events: number;
  anchors: number;
}

/** Activity sessions at one terminal from per-minute counts: a login starts one, a logout or an idle gap over `gapMinutes` ends it. */
export function sessionsOf(minutes: Minute[], gapMinutes: number): Session[] {
  const out: Session[] = [];
  let cur: Session | undefined;
  let closed = false;
  for (const m of [...minutes].sort((a, b) => a.t - b.t)) {
    if (!cur || closed || m.t - cur.end > gapMinutes * MINUTE || (m.logins > 0 && cur.events > 0))
      out.push((cur = { start: m.t, end: m.t, events: 0, anchors: 0 }));
    cur.end = m.t + MINUTE;
    cur.events += m.n;
    cur.anchors += m.anchors;
    closed = m.logouts > 0;
  }
  return out;
}

/** Overlaps of sessions at different terminals, longest first. */
export function overlaps(byHost: Map<string, Session[]>): { hosts: [string, string]; start: number; end: number; minutes: number }[] {
  const hosts = [...byHost.keys()].sort();
  const out: { hosts: [string, string]; start: number; end: number; minutes: number }[] = [];
  for (let i = 0; i < hosts.length; i++)
    for (let j = i + 1; j < hosts.length; j++)
      for (const a of byHost.get(hosts[i])!)
        for (const b of byHost.get(hosts[j])!) {
          const start = Math.max(a.start, b.start);
          const end = Math.min(a.end, b.end);
          if (end > start) out.push({ hosts: [hosts[i], hosts[j]], start, end, minutes: (end - start) / MINUTE });
        }
  return out.sort((x, y) => y.minutes - x.minutes);
}

/** Successful work at a terminal by a named operator (failed logins and locks are not a session). */
const ACTIVE: estypes.QueryDslQueryContainer = {
  bool: {
    filter: [{ exists: { field: "user.id" } }, { exists: { field: "host.id" } }],
    must_not: [{ terms: { "event.action": ["auth_failure", "card_locked"] } }, { term: { "event.outcome": "failure" } }],
  },
};
const iso = (t: number) => new Date(t).toISOString();
type Params = { minOverlapMinutes: number; sessionGapMinutes: number };

/** Per-terminal sessions of the events matching `filter` on one day; sessions without an anchor event are dropped when `anchor` is given. */
async function terminalSessions(
  ctx: RuleContext<Params>,
  window: { start: string; end: string },
  filter: estypes.QueryDslQueryContainer[],
  gap: number,
  anchor?: estypes.QueryDslQueryContainer,
) {
  const res = await scopedSearch(ctx.scope, "events", {
    size: 0,
    query: { bool: { filter: [timeRange(window.start, window.end), ACTIVE, ...filter] } },
    aggs: {
      hosts: {
        terms: { field: "host.id", size: 20 },
        aggs: {
          minutes: {
            date_histogram: { field: "@timestamp", fixed_interval: "1m", min_doc_count: 1 },
            aggs: {
              logins: { filter: { term: { "event.action": "login" } } },
              logouts: { filter: { term: { "event.action": "logout" } } },
              anchors: { filter: anchor ?? { match_none: {} } },
            },
          },
          samples: sampleHits(3),
        },
      },
    },
  });
  const byHost = new Map<string, Session[]>();
  const samples = new Map<string, AlertCandidate["evidence"]["sample_events"]>();
  type MinuteBucket = { logins: Count; logouts: Count; anchors: Count };
  for (const h of aggsOf<{ hosts: Terms<{ minutes: Histogram<MinuteBucket>; samples: SampleHits }> }>(res).hosts.buckets) {
    const minutes: Minute[] = h.minutes.buckets.map((m) => ({
      t: m.key,
      n: m.doc_count,
      logins: m.logins.doc_count,
      logouts: m.logouts.doc_count,
      anchors: m.anchors.doc_count,
    }));
    const sessions = sessionsOf(minutes, gap).filter((s) => !anchor || s.anchors > 0);
    if (sessions.length) byHost.set(h.key, sessions);
    samples.set(h.key, samplesOf(h.samples));
  }
  return { byHost, samples };
}

export default defineRule({
  id: "concurrent-session",
  name: { ja: "同一操作者・ICカードの同時利用", en: "Concurrent session" },
  description: {
    ja: "同じ操作者または同じ操作者ICカードが、時間の重なる2つのセッションで別々の端末を使用した（ログアウトして別の端末でログインし直す場合は該当しない）。",
    en: "One operator, or one operator IC card, was active on two different terminals in sessions that overlap in time (logging out of one terminal and into another is not concurrent).",
  },
  severity: "high",
  riskScore: 70,
  entityType: "operator",
  control:
    "操作者ICカードの貸与・返却と管理簿による本人限定の利用、認証IDの適正な利用の確認（なりすまし・カードの共用の防止）(seed 004, DOMAIN operator controls)",
  falsePositives: [
    "A clerk who logs out of one terminal and logs in at another a few minutes later: sessions end at logout, and they must overlap by `minOverlapMinutes`.",
    "A terminal left logged in while the clerk works elsewhere after an idle gap longer than `sessionGapMinutes` counts as a new session, so long-abandoned sessions are not compared.",
  ],
  bucket: "day",
  params: { minOverlapMinutes: 3, sessionGapMinutes: 30 },
  async run(ctx) {
    // Operator sessions only: system activity (no user.id, or a registry account of kind system) is left out.
    const range: estypes.QueryDslQueryContainer = { bool: { filter: [timeRange(ctx.window.from, ctx.window.to), personActivity(ctx.registry)] } };
    const out: AlertCandidate[] = [];
    const judge = async (
      org: string,
      day: string,
      entity: AlertCandidate["entity"],
      filter: estypes.QueryDslQueryContainer[],
      anchor?: estypes.QueryDslQueryContainer,
    ) => {
      const p = ctx.params(org);
      const window = dayWindow(day);
      const { byHost, samples } = await terminalSessions(ctx, window, filter, p.sessionGapMinutes, anchor);
      const found = overlaps(byHost);
      if (!found.length || found[0].minutes < p.minOverlapMinutes) return;
      const [a, b] = found[0].hosts;
      const label = entity.type === "card" ? `ICカード ${entity.id}` : entity.id;
      out.push({
        entity,
        organization: org,
        window,
        summary: `${label} が端末 ${a} と ${b} で同時に利用（重なり ${found[0].minutes} 分、${day}）`,
        evidence: {
          counts: { terminals: byHost.size, overlap_minutes: found[0].minutes, overlapping_pairs: found.length },
          thresholds: { minOverlapMinutes: p.minOverlapMinutes, sessionGapMinutes: p.sessionGapMinutes },
          overlaps: found.slice(0, 5).map((o) => ({ hosts: o.hosts, start: iso(o.start), end: iso(o.end), minutes: o.minutes })),
          sessions: Object.fromEntries([...byHost].map(([h, ss]) => [h, ss.map((s) => ({ start: iso(s.start), end: iso(s.end), events: s.events }))])),
          sample_events: [...(samples.get(a) ?? []).slice(0, 3), ...(samples.get(b) ?? []).slice(0, 2)],
          query: {
            index: streamIndex("events"),
            query: { bool: { filter: [timeRange(window.start, window.end), ACTIVE, ...filter, { terms: { "host.id": [...byHost.keys()] } }] } },
          },
        },
      });
    };

    // Operators with work at two or more terminals in the window, then on a day, are compared session by session.
    const ORG = { org: { terms: { field: "organization.id" } } };
    const USER = { user: { terms: { field: "user.id" } } };
    const DAY = { day: { terms: { field: "jukinet.time.date" } } };
    const hostCount = { hosts: { cardinality: { field: "host.id" } } };
    const roaming: string[] = [];
    for await (const b of scopedBuckets(ctx.scope, "events", { bool: { filter: [range, ACTIVE] } }, [ORG, USER], hostCount)) {
      if ((b.hosts.value ?? 0) >= 2) roaming.push(b.key.user as string);
    }
    if (roaming.length) {
      const roamingQuery = { bool: { filter: [range, ACTIVE, { terms: { "user.id": roaming } }] } };
      for await (const b of scopedBuckets(ctx.scope, "events", roamingQuery, [ORG, USER, DAY], hostCount)) {
        const { org, user, day } = b.key as Record<string, string>;
        if ((b.hosts.value ?? 0) >= 2)
          await judge(org, day, { type: "operator", id: user }, [{ term: { "organization.id": org } }, { term: { "user.id": user } }]);
      }
    }

    // A card logged in at two terminals under different operator ids (the operator check cannot see it):
    // the sessions of those operators at those terminals that started with this card.
    const loginQuery = { bool: { filter: [range, ACTIVE, { term: { "event.action": "login" } }, { exists: { field: "jukinet.auth.card_id" } }] } };
    const cardSources = [ORG, { card: { terms: { field: "jukinet.auth.card_id" } } }, DAY];
    for await (const b of scopedBuckets(ctx.scope, "events", loginQuery, cardSources, {
      hosts: { terms: { field: "host.id", size: 20 } },
      users: { terms: { field: "user.id", size: 20 } },
    })) {
      const { org, card, day } = b.key as Record<string, string>;
      const hosts = (b.hosts.buckets as { key: string }[]).map((h) => h.key);
      const users = (b.users.buckets as { key: string }[]).map((u) => u.key);
      if (hosts.length < 2 || users.length < 2) continue;
      const anchor = { bool: { filter: [{ term: { "event.action": "login" } }, { term: { "jukinet.auth.card_id": card } }] } };
      await judge(
        org,
        day,
        { type: "card", id: card },
        [{ term: { "organization.id": org } }, { terms: { "user.id": users } }, { terms: { "host.id": hosts } }],
        anchor,
      );
    }
    return out;
  },
});

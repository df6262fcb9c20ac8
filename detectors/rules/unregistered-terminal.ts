import type { estypes } from "@elastic/elasticsearch";
import { scopedBuckets } from "../../lib/es/scoped";
import { dayWindow } from "../days";
import { reproduce, samplesOf, SPAN_AND_SAMPLES, spanOf } from "../evidence";
import { personActivity, type RegistrySnapshot } from "../registry";
import { defineRule, timeRange, type AlertCandidate, type EntityType, termCounts } from "../rule";

interface Origin {
  org: string;
  host: string | null;
  ip: string | null;
}

type Reason = "unregistered_host" | "other_organization" | "address_mismatch" | "unregistered_address";

const REASON_JA: Record<Reason, string> = {
  unregistered_host: "未登録の端末",
  other_organization: "他団体の登録端末",
  address_mismatch: "登録と異なるIPアドレス",
  unregistered_address: "未登録のIPアドレス",
};

/** What is wrong with an (organisation, host, address) triple, or null when it matches the registry. */
export function checkOrigin(
  registry: RegistrySnapshot,
  { org, host, ip }: Origin,
): { entity: { type: EntityType; id: string }; reason: Reason; registeredIp?: string | null } | null {
  if (host) {
    const t = registry.terminals.get(host);
    if (!t) return { entity: { type: "host", id: host }, reason: "unregistered_host" };
    if (t.organizationId !== org) return { entity: { type: "terminal", id: host }, reason: "other_organization" };
    if (ip && t.ip && ip !== t.ip) return { entity: { type: "terminal", id: host }, reason: "address_mismatch", registeredIp: t.ip };
    return null;
  }
  if (!ip) return null; // no terminal: system work between servers
  const terminal = registry.terminalByIp.get(ip);
  if (!terminal) return { entity: { type: "host", id: ip }, reason: "unregistered_address" };
  if (registry.terminals.get(terminal)!.organizationId !== org) return { entity: { type: "host", id: ip }, reason: "other_organization" };
  return null;
}

const valueOrMissing = (field: string, v: string | null): estypes.QueryDslQueryContainer =>
  v === null ? { bool: { must_not: [{ exists: { field } }] } } : { term: { [field]: v } };
const originQuery = (o: Origin): estypes.QueryDslQueryContainer => ({
  bool: { filter: [{ term: { "organization.id": o.org } }, valueOrMissing("host.id", o.host), valueOrMissing("source.ip", o.ip)] },
});

export default defineRule({
  id: "unregistered-terminal",
  name: { ja: "未登録端末からの操作", en: "Unregistered terminal" },
  description: {
    ja: "団体に登録されていない端末（端末ID）から、または登録端末でも登録と異なる・未登録のIPアドレスから操作が行われた。",
    en: "An operator action came from a terminal id not registered to the organisation, or from an address that is not the registered address of that terminal or not registered at all.",
  },
  severity: "high",
  riskScore: 73,
  entityType: "host",
  control:
    "住基ネット専用端末の限定と登録管理（情報資産管理・アクセス管理）; 専用回線・相互認証された機器以外からの接続の禁止 (DOMAIN: dedicated network, registered terminals)",
  falsePositives: [
    "A terminal replaced or re-addressed before the registry was updated: import the new terminal/IP and the alert stops for later days.",
    "Server-to-server work (batch provisions, notifications by system accounts) has no terminal and is not checked.",
  ],
  bucket: "day",
  params: { minEvents: 1 },
  async run(ctx) {
    // Operator actions only: system activity (no user.id, or a registry account of kind system) is left out.
    const range: estypes.QueryDslQueryContainer = { bool: { filter: [timeRange(ctx.window.from, ctx.window.to), personActivity(ctx.registry)] } };
    const fromTerminal: estypes.QueryDslQueryContainer = {
      bool: { should: [{ exists: { field: "host.id" } }, { exists: { field: "source.ip" } }], minimum_should_match: 1 },
    };
    const originSources: Record<string, estypes.AggregationsCompositeAggregationSource>[] = [
      { org: { terms: { field: "organization.id" } } },
      { host: { terms: { field: "host.id", missing_bucket: true } } },
      { ip: { terms: { field: "source.ip", missing_bucket: true } } },
    ];
    // 1. Distinct origins (organisation, terminal id, address) in the window, checked against the registry.
    const bad: Origin[] = [];
    for await (const b of scopedBuckets(ctx.scope, "events", { bool: { filter: [range, fromTerminal] } }, originSources)) {
      const o = b.key as unknown as Origin;
      if (checkOrigin(ctx.registry, o)) bad.push(o);
    }
    if (!bad.length) return [];

    // 2. Evidence per bad origin and day; origins naming the same entity on one day make one alert.
    const byAlert = new Map<string, AlertCandidate & { origins: Origin[] }>();
    for await (const b of scopedBuckets(
      ctx.scope,
      "events",
      { bool: { filter: [range, { bool: { should: bad.map(originQuery), minimum_should_match: 1 } }] } },
      [...originSources, { day: { terms: { field: "jukinet.time.date" } } }],
      {
        users: { terms: { field: "user.id", size: 10 } },
        actions: { terms: { field: "event.action", size: 15 } },
        ...SPAN_AND_SAMPLES,
      },
    )) {
      const { day, ...key } = b.key as unknown as Origin & { day: string };
      const origin = key as Origin;
      const verdict = checkOrigin(ctx.registry, origin)!;
      if (b.doc_count < ctx.params(origin.org).minEvents) continue;
      const window = dayWindow(day);
      const id = [origin.org, verdict.entity.type, verdict.entity.id, day].join("\u0000");
      const users = (b.users.buckets as { key: string }[]).map((u) => u.key);
      const actions = termCounts(b.actions);
      const prev = byAlert.get(id);
      if (prev) {
        const c = prev.evidence.counts;
        c.events += b.doc_count;
        for (const [k, v] of Object.entries(actions)) c[k] = (c[k] ?? 0) + v;
        prev.origins.push(origin);
        if (b.first.value_as_string < (prev.evidence.first as string)) prev.evidence.first = b.first.value_as_string;
        if (b.last.value_as_string > (prev.evidence.last as string)) prev.evidence.last = b.last.value_as_string;
        (prev.evidence.users as string[]).push(...users.filter((u) => !(prev.evidence.users as string[]).includes(u)));
        prev.evidence.sample_events = [...prev.evidence.sample_events, ...samplesOf(b.samples)].slice(0, 5);
        continue;
      }
      byAlert.set(id, {
        origins: [origin],
        entity: verdict.entity,
        organization: origin.org,
        window,
        summary: `${REASON_JA[verdict.reason]}（${[origin.host, origin.ip].filter(Boolean).join(" / ")}）から ${users.join("・") || "不明な操作者"} が操作（${day}）`,
        evidence: {
          counts: { events: b.doc_count, ...actions },
          reason: verdict.reason,
          host: origin.host,
          source_ips: [origin.ip],
          registered_ip: verdict.registeredIp ?? null,
          users,
          ...spanOf(b),
          // The query is set below, once every origin of the alert is known.
          ...reproduce(b.samples, { match_all: {} }),
        },
      });
    }
    return [...byAlert.values()].map(({ origins, ...c }) => {
      c.evidence.source_ips = [...new Set(origins.map((o) => o.ip))];
      c.evidence.query.query = {
        bool: {
          filter: [
            timeRange(c.window.start, c.window.end),
            personActivity(ctx.registry),
            { bool: { should: origins.map(originQuery), minimum_should_match: 1 } },
          ],
        },
      };
      return c;
    });
  },
});

import type { estypes } from "@elastic/elasticsearch";
import { scopedBuckets } from "../../lib/es/scoped";
import { dayWindow } from "../days";
import { reproduce, SPAN_AND_SAMPLES, spanOf } from "../evidence";
import { AUTH_STRENGTH, requiredAuthMethod } from "../registry";
import { defineRule, timeRange, type AlertCandidate } from "../rule";

/** What a login sent without `jukinet.auth.method` is grouped under: it does not show the required method. */
const NO_METHOD = "(none)";

const METHOD_TEXT: Record<string, string> = {
  ic_card_password: "ICカード＋パスワード",
  biometric: "生体認証",
  ic_card_biometric: "ICカード＋生体認証",
  [NO_METHOD]: "方式の記録なし",
};

/**
 * A successful login with a weaker method than the operator must use (§5 `required_auth_method` of the operator
 * or its organisation, the stronger of the two): biometric required and card + password used, or card + vein
 * required and vein alone. A login that does not record its method does not show the requirement was met and
 * counts as weaker. Quiet for every operator and organisation with nothing required.
 */
export default defineRule({
  id: "weak-operator-auth",
  name: { ja: "必須の認証方式によらない操作者認証", en: "Operator login weaker than required" },
  description: {
    ja: "生体認証等の認証方式が必須とされた団体・操作者が、それより弱い方式（ICカード＋パスワード等）でログインした。",
    en: "An operator whose organisation or own registry entry requires an authentication method (biometric, IC card + biometric) signed in successfully with a weaker one.",
  },
  severity: "medium",
  riskScore: 55,
  entityType: "operator",
  control: "操作者認証に生体認証を用いる (seed 000); 認証IDの適正な利用の確認 (DOMAIN: log checks)",
  falsePositives: [
    "A vein reader out of order with the card + password fallback approved for the day: record an exception for the operator and period.",
    "An organisation that has stopped requiring biometrics but whose registry entry still says so: update required_auth_method.",
  ],
  bucket: "day",
  params: { minLogins: 1 },
  async run(ctx) {
    const { registry } = ctx;
    const requiringOrgs = [...registry.organizations.values()].filter((o) => o.requiredAuthMethod).map((o) => o.id);
    const requiringOps = [...registry.operators.values()].filter((o) => o.requiredAuthMethod).map((o) => o.id);
    if (!requiringOrgs.length && !requiringOps.length) return [];
    const range = timeRange(ctx.window.from, ctx.window.to);
    const logins: estypes.QueryDslQueryContainer[] = [range, { term: { "event.action": "login" } }, { term: { "event.outcome": "success" } }];
    // Only the operators with a requirement of their own when no organisation has one; otherwise every login (per
    // operator and day, a few groups) is judged against its operator's and organisation's requirement below.
    const concerned: estypes.QueryDslQueryContainer[] = requiringOrgs.length ? [] : [{ terms: { "user.id": requiringOps } }];

    // Per operator, day and method: the logins weaker than that operator's requirement.
    const weak = new Map<string, { org: string; user: string; day: string; required: string; methods: Record<string, number> }>();
    for await (const b of scopedBuckets(ctx.scope, "events", { bool: { filter: [...logins, ...concerned] } }, [
      { org: { terms: { field: "organization.id" } } },
      { user: { terms: { field: "user.id" } } },
      { day: { terms: { field: "jukinet.time.date" } } },
      { method: { terms: { field: "jukinet.auth.method", missing_bucket: true } } },
    ])) {
      const { org, user, day } = b.key as Record<string, string>;
      const method = (b.key.method as string | null) ?? NO_METHOD;
      const required = requiredAuthMethod(registry, user, org);
      if (!required || (AUTH_STRENGTH[method] ?? 0) >= AUTH_STRENGTH[required]) continue;
      const key = `${org}\u0000${user}\u0000${day}`;
      const w = weak.get(key) ?? weak.set(key, { org, user, day, required, methods: {} }).get(key)!;
      w.methods[method] = b.doc_count;
    }

    const out: AlertCandidate[] = [];
    for (const w of weak.values()) {
      const window = dayWindow(w.day);
      const methods = Object.keys(w.methods);
      const known = methods.filter((m) => m !== NO_METHOD);
      const methodFilter: estypes.QueryDslQueryContainer = {
        bool: {
          should: [
            ...(known.length ? [{ terms: { "jukinet.auth.method": known } }] : []),
            ...(w.methods[NO_METHOD] ? [{ bool: { must_not: [{ exists: { field: "jukinet.auth.method" } }] } }] : []),
          ],
          minimum_should_match: 1,
        },
      };
      const filter = [
        timeRange(window.start, window.end),
        { term: { "event.action": "login" } },
        { term: { "event.outcome": "success" } },
        { term: { "organization.id": w.org } },
        { term: { "user.id": w.user } },
        methodFilter,
      ];
      for await (const b of scopedBuckets(ctx.scope, "events", { bool: { filter } }, [{ day: { terms: { field: "jukinet.time.date" } } }], {
        ...SPAN_AND_SAMPLES,
      })) {
        if (b.doc_count < ctx.params(w.org).minLogins) continue;
        const ownRequirement = registry.operators.get(w.user)?.requiredAuthMethod === w.required;
        out.push({
          entity: { type: "operator", id: w.user },
          organization: w.org,
          window,
          summary: `${w.user} が ${METHOD_TEXT[w.required]} 必須のところ ${methods.map((m) => METHOD_TEXT[m] ?? m).join("・")} で ${b.doc_count} 回ログイン（${w.day}）`,
          evidence: {
            counts: { weak_logins: b.doc_count },
            required_method: w.required,
            required_by: ownRequirement ? "operator" : "organization",
            methods: w.methods,
            ...spanOf(b),
            ...reproduce(b.samples, filter),
          },
        });
      }
    }
    return out;
  },
});

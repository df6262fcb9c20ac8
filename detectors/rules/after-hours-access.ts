import type { estypes } from "@elastic/elasticsearch";
import { DEFAULT_BUSINESS_HOURS } from "../../lib/calendar";
import { outsideBusinessHours } from "../../lib/es/indices";
import { scopedBuckets } from "../../lib/es/scoped";
import { dayWindow } from "../days";
import { reproduce, SPAN_AND_SAMPLES, spanOf } from "../evidence";
import { personActivity, type RegistrySnapshot } from "../registry";
import { PER_OPERATOR_DAY, defineRule, timeRange, type AlertCandidate, termCounts } from "../rule";

/** Actions a person does at a terminal; provisions and notices between systems run at any hour. */
export const OPERATOR_ACTIONS = ["login", "search", "view", "update", "export", "print"];

const MINUTE_MS = 60_000;
type Permit = RegistrySnapshot["afterHoursPermits"][number];

/** Does the permit apply to this operator of this organisation? (No operators named = all of the organisation.) */
const permits = (p: Permit, org: string, user: string) => p.organizationId === org && (!p.operators.length || p.operators.includes(user));

/** The work a permit covers: its organisation (and operators, if named) in [start, end). */
function covered(p: Permit): estypes.QueryDslQueryContainer {
  return {
    bool: {
      filter: [
        { term: { "organization.id": p.organizationId } },
        timeRange(p.start, p.end),
        ...(p.operators.length ? [{ terms: { "user.id": p.operators } }] : []),
      ],
    },
  };
}

export default defineRule({
  id: "after-hours-access",
  name: { ja: "業務時間外の操作", en: "After-hours access" },
  description: {
    ja: "業務時間外・土日祝日・年末年始（12/29〜1/3）に、時間外使用の承認なしに操作者が本人確認情報を照会・更新・出力した。",
    en: "An operator worked on identity records outside the organisation's business hours, on a weekend, a national holiday or during the year-end closure, not covered by an after-hours permit.",
  },
  severity: "medium",
  riskScore: 47,
  entityType: "operator",
  control: "業務時間外の利用の確認（操作履歴の点検）; 業務時間外の端末の施錠保管 (seed 004)",
  falsePositives: [
    "Night-time online-batch provisions and notices by system accounts: only person accounts and terminal actions count.",
    "Approved overtime (時間外使用の承認): register an after-hours permit (registry `after_hours_permits` or /admin/permits); work inside it is left out. Work outside the permit still fires, however short; a permit that ended or started within `permitNearMinutes` of the work is listed in the evidence.",
  ],
  bucket: "day",
  params: { minEvents: 1, highSeverityEvents: 20, permitNearMinutes: 30 },
  async run(ctx) {
    const { registry } = ctx;
    // Organisations grouped by their business hours; one clause per distinct schedule.
    const groups = new Map<string, string[]>();
    for (const o of registry.organizations.values()) {
      const k = `${o.hours.start}-${o.hours.end}`;
      (groups.get(k) ?? groups.set(k, []).get(k)!).push(o.id);
    }
    const known = [...registry.organizations.keys()];
    const clauses: estypes.QueryDslQueryContainer[] = [...groups].map(([k, orgs]) => {
      const [start, end] = k.split("-");
      return { bool: { filter: [{ terms: { "organization.id": orgs } }, outsideBusinessHours({ start, end })] } };
    });
    // Organisations missing from the registry get the default hours.
    clauses.push({ bool: { must_not: [{ terms: { "organization.id": known } }], filter: [outsideBusinessHours(DEFAULT_BUSINESS_HOURS)] } });
    // Permits overlapping the window: the work they cover is left out.
    const from = ctx.window.from.getTime();
    const to = ctx.window.to.getTime();
    const inWindow = registry.afterHoursPermits.filter((p) => p.start.getTime() < to && p.end.getTime() > from);
    const base: estypes.QueryDslQueryContainer[] = [
      { terms: { "event.action": OPERATOR_ACTIONS } },
      personActivity(registry),
      { bool: { should: clauses, minimum_should_match: 1 } },
      ...(inWindow.length ? [{ bool: { must_not: inWindow.map(covered) } }] : []),
    ];
    const query: estypes.QueryDslQueryContainer = { bool: { filter: [timeRange(ctx.window.from, ctx.window.to), ...base] } };
    const out: AlertCandidate[] = [];
    for await (const b of scopedBuckets(ctx.scope, "events", query, PER_OPERATOR_DAY, {
      actions: { terms: { field: "event.action", size: 10 } },
      ...SPAN_AND_SAMPLES,
    })) {
      const { user, org, day } = b.key as Record<string, string>;
      const p = ctx.params(org);
      if (b.doc_count < p.minEvents) continue;
      const actions = termCounts(b.actions);
      const window = dayWindow(day);
      const exportsOrPrints = (actions.export ?? 0) + (actions.print ?? 0);
      // Permits of this operator that ended or started close to the uncovered work (it nearly covered it).
      const [first, last] = [Date.parse(b.first.value_as_string), Date.parse(b.last.value_as_string)];
      const near = p.permitNearMinutes * MINUTE_MS;
      const nearPermits = registry.afterHoursPermits
        .filter((x) => permits(x, org, user) && x.start.getTime() - near <= last && x.end.getTime() + near >= first)
        .map((x) => ({ id: x.id, start: x.start.toISOString(), end: x.end.toISOString(), operators: x.operators, reason: x.reason }));
      out.push({
        entity: { type: "operator", id: user },
        organization: org,
        window,
        severity: b.doc_count >= p.highSeverityEvents || exportsOrPrints > 0 ? "high" : undefined,
        summary: `${user} が業務時間外に ${b.doc_count} 件の操作（${day}）${nearPermits.length ? "（時間外使用承認の範囲外）" : ""}`,
        evidence: {
          counts: { events: b.doc_count, ...actions },
          ...spanOf(b),
          business_hours: registry.organizations.get(org)?.hours ?? DEFAULT_BUSINESS_HOURS,
          near_permits: nearPermits,
          ...reproduce(b.samples, [timeRange(window.start, window.end), { term: { "user.id": user } }, { term: { "organization.id": org } }, ...base]),
        },
      });
    }
    return out;
  },
});

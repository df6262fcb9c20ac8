/** Entity pages (operator, terminal, node): registry facts, activity and alerts, within the caller's scope. */
import { ensureAlertsIndex, type StoredAlert } from "./alerts";
import type { Scope } from "../lib/auth/scope";
import { db } from "../lib/db";
import { scopedSearch, totalHits } from "../lib/es/scoped";
import { systemActivityQuery } from "./events/system";

export const ENTITY_TYPES = ["operator", "terminal", "node"] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

const FIELD: Record<EntityType, string> = { operator: "user.id", terminal: "host.id", node: "observer.id" };

/** undefined when the entity does not exist or belongs to an organisation outside the scope (the page answers 404). */
export async function entitySummary(type: EntityType, id: string, range: { from: string; to: string }, scope: Scope) {
  const where = { id, ...scope.where() };
  const registry =
    type === "operator"
      ? await db().operator.findFirst({ where, include: { cards: true } })
      : type === "terminal"
        ? await db().terminal.findFirst({ where })
        : await db().node.findFirst({ where });
  if (!registry) return undefined;
  await ensureAlertsIndex();
  const filter = [{ term: { [FIELD[type]]: id } }, { range: { "@timestamp": { gte: range.from, lt: range.to } } }];
  const [activity, alerts] = await Promise.all([
    scopedSearch(scope, "events", {
      size: 0,
      query: { bool: { filter } },
      aggs: {
        perDay: { date_histogram: { field: "@timestamp", calendar_interval: "1d", time_zone: "Asia/Tokyo" } },
        actions: { terms: { field: "event.action", size: 20 } },
        operators: { terms: { field: "user.id", size: 20 } },
        system: { filter: systemActivityQuery },
        terminals: { terms: { field: "host.id", size: 20 } },
        last: { max: { field: "@timestamp" } },
        afterHours: {
          filter: {
            bool: {
              should: [
                { term: { "jukinet.time.business_day": false } },
                { range: { "jukinet.time.hour": { lt: 8 } } },
                { range: { "jukinet.time.hour": { gte: 18 } } },
              ],
              minimum_should_match: 1,
            },
          },
        },
      },
    }),
    scopedSearch<StoredAlert>(scope, "alerts", {
      size: 50,
      query: { term: { "entity.id": id } },
      sort: [{ "window.start": "desc" }],
    }),
  ]);
  const a = activity.aggregations as any;
  const terms = (agg: any) => (agg.buckets as any[]).map((b) => ({ key: b.key as string, count: b.doc_count as number }));
  return {
    type,
    id,
    organizationId: registry.organizationId,
    registry,
    total: totalHits(activity),
    perDay: (a.perDay.buckets as any[]).map((b) => ({ day: b.key_as_string as string, count: b.doc_count as number })),
    actions: terms(a.actions),
    operators: terms(a.operators),
    /** Events of this terminal or node done by a system without an operator (shown as システム). */
    systemEvents: a.system.doc_count as number,
    terminals: terms(a.terminals),
    lastEvent: a.last.value_as_string as string | undefined,
    afterHours: a.afterHours.doc_count as number,
    alerts: alerts.hits.hits.map((h) => h._source!),
  };
}

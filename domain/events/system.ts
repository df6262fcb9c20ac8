/**
 * System activity (INTERFACE.md §1): `update`, `provide`, `batch_provide`,
 * `notify` and `code_change` may be sent without `user.id` when a system
 * originated them (the resident-records system, a nightly batch). The
 * console shows them as システム, never as an empty operator.
 */
import type { estypes } from "@elastic/elasticsearch";

export const SYSTEM_CAPABLE_ACTIONS = ["update", "provide", "batch_provide", "notify", "code_change"] as const;

const capable: ReadonlySet<string> = new Set(SYSTEM_CAPABLE_ACTIONS);

/** An event done by a system rather than an operator: a system-capable action without `user.id`. */
export function isSystemActivity(e: { action: string; operator?: string | null }): boolean {
  return !e.operator && capable.has(e.action);
}

/** Elasticsearch filter of system activity. */
export const systemActivityQuery: estypes.QueryDslQueryContainer = {
  bool: { filter: [{ terms: { "event.action": [...SYSTEM_CAPABLE_ACTIONS] } }], must_not: [{ exists: { field: "user.id" } }] },
};

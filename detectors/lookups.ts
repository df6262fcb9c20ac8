/**
 * Look-ups of residents (search/view by person accounts) and the densest span of
 * a series of time bins, shared by the rules about who looked whom up.
 */
import type { estypes } from "@elastic/elasticsearch";
import { personActivity, systemAccounts, type RegistrySnapshot } from "./registry";
import type { TallyFilter } from "./series";

/** What counts as looking a resident up. Provisions and notices (system accounts) are not look-ups. */
export const LOOKUP_ACTIONS = ["search", "view"];

/** Look-ups (search/view) by person accounts (no system activity, §1), optionally only those naming a subject. */
export function lookupQuery(registry: RegistrySnapshot, withSubject = false): estypes.QueryDslQueryContainer {
  return {
    bool: {
      filter: [{ terms: { "event.action": LOOKUP_ACTIONS } }, personActivity(registry), ...(withSubject ? [{ exists: { field: "jukinet.subject.ref" } }] : [])],
    },
  };
}

/** `lookupQuery(registry)` in the six-hour tallies' terms (series.ts): look-ups by person accounts. */
export function lookupTallies(registry: RegistrySnapshot): TallyFilter {
  return { actions: LOOKUP_ACTIONS, excludeUsers: systemAccounts(registry) };
}

/** The densest span of `spanMs` over time bins (start → value): the start of the best span and the sum of its bins. */
export function densestSpan(bins: { start: number; value: number }[], spanMs: number): { start: number; end: number; value: number } | undefined {
  let best: { start: number; end: number; value: number } | undefined;
  let sum = 0;
  let j = 0;
  for (let i = 0; i < bins.length; i++) {
    while (j < bins.length && bins[j].start < bins[i].start + spanMs) sum += bins[j++].value;
    if (!best || sum > best.value) best = { start: bins[i].start, end: bins[i].start + spanMs, value: sum };
    sum -= bins[i].value;
  }
  return best;
}

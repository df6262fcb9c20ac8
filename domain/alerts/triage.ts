/**
 * Triage of alerts: state transitions (only the actions valid for an alert's
 * state), assignment to a user whose scope covers the alert, comments, each
 * appended to the alert's history. Optimistic concurrency (seq_no/primary_term), one bulk write per
 * chunk and one refresh.
 */
import type { estypes } from "@elastic/elasticsearch";
import type { Scope } from "../../lib/auth/scope";
import { es } from "../../lib/es/client";
import { scopedSearch } from "../../lib/es/scoped";
import { alertsIndex, type AlertHistoryEntry, type AlertStatus, type StoredAlert } from "./store";

export type TriageAction = "acknowledge" | "assign" | "close" | "reopen" | "note";

/** The triage actions valid for an alert in a state ("note" is a comment, valid always). */
export const VALID_ACTIONS: Record<AlertStatus, TriageAction[]> = {
  open: ["acknowledge", "assign", "close", "note"],
  acknowledged: ["assign", "close", "note"],
  closed: ["reopen", "note"],
};

export function isValidAction(status: AlertStatus, action: TriageAction): boolean {
  return VALID_ACTIONS[status].includes(action);
}

export interface TriageChange {
  action: TriageAction;
  assignee?: string | null;
  disposition?: AlertHistoryEntry["disposition"];
  note?: string;
}

export interface TriageResult {
  /** Alerts changed. */
  changed: string[];
  /** Alerts in scope whose state does not allow the action (left unchanged). */
  invalid: string[];
  /** Alerts whose organisation the assignee's scope does not cover (left unchanged). */
  notCovered: string[];
}

export class TriageError extends Error {
  constructor(readonly reason: "disposition" | "note") {
    super(reason === "disposition" ? "closing an alert needs a disposition" : "a comment needs text");
  }
}

/**
 * Applies a triage change to alerts in scope. Ids outside the scope are
 * ignored (the caller cannot tell them from unknown ids). `canAssign` says
 * whether the assignee may take an alert of that organisation.
 */
export async function triageAlerts(
  ids: string[],
  change: TriageChange,
  by: string,
  scope: Scope,
  canAssign: (organizationId: string) => boolean = () => true,
): Promise<TriageResult> {
  if (change.action === "close" && !change.disposition) throw new TriageError("disposition");
  if (change.action === "note" && !change.note?.trim()) throw new TriageError("note");
  const result: TriageResult = { changed: [], invalid: [], notCovered: [] };
  const at = new Date().toISOString();
  // In chunks: one scoped read and one bulk write each; alerts changed meanwhile (version conflict) are read again.
  for (let i = 0; i < ids.length; i += 1000) {
    let pending = ids.slice(i, i + 1000);
    for (let attempt = 0; attempt < 5 && pending.length; attempt++) {
      const res = await scopedSearch<StoredAlert>(scope, "alerts", { size: pending.length, seq_no_primary_term: true, query: { terms: { id: pending } } });
      const operations: (estypes.BulkOperationContainer | { doc: object })[] = [];
      const order: string[] = [];
      for (const hit of res.hits.hits) {
        const a = hit._source!;
        if (!isValidAction(a.status, change.action)) result.invalid.push(a.id);
        else if (change.action === "assign" && change.assignee && !canAssign(a.organization.id)) result.notCovered.push(a.id);
        else {
          operations.push(
            { update: { _index: hit._index, _id: hit._id!, if_seq_no: hit._seq_no, if_primary_term: hit._primary_term } },
            { doc: applied(a, change, by, at) },
          );
          order.push(a.id);
        }
      }
      if (!order.length) break;
      const bulk = await es().bulk({ operations });
      const retry: string[] = [];
      bulk.items.forEach((item, k) => {
        const r = item.update!;
        if (!r.error) result.changed.push(order[k]);
        else if (r.error.type === "version_conflict_engine_exception") retry.push(order[k]);
        else throw new Error(`triage of alert ${order[k]}: ${r.error.type}: ${r.error.reason}`);
      });
      pending = retry;
    }
  }
  if (result.changed.length) await es().indices.refresh({ index: alertsIndex() });
  const position = new Map(ids.map((id, k) => [id, k]));
  for (const list of [result.changed, result.invalid, result.notCovered]) list.sort((x, y) => position.get(x)! - position.get(y)!);
  return result;
}

/** The partial document of a triage change to one alert, its history entry appended. */
function applied(a: StoredAlert, change: TriageChange, by: string, at: string) {
  const status: AlertStatus =
    change.action === "acknowledge" ? "acknowledged" : change.action === "close" ? "closed" : change.action === "reopen" ? "open" : a.status;
  const entry: AlertHistoryEntry = {
    at,
    by,
    action: change.action,
    ...(status !== a.status ? { status } : {}),
    ...(change.action === "assign" ? { assignee: change.assignee ?? null } : {}),
    ...(change.action === "close" && change.disposition ? { disposition: change.disposition } : {}),
    ...(change.note ? { note: change.note } : {}),
  };
  return {
    status,
    ...(change.action === "assign" ? { assignee: change.assignee ?? null } : {}),
    ...(change.action === "close" ? { disposition: change.disposition } : change.action === "reopen" ? { disposition: null } : {}),
    history: [...(a.history ?? []), entry],
  };
}

/**
 * Appends an entry that changes nothing but the history (an incident linked,
 * an investigation requested or answered) to an alert in scope; false when
 * the alert is not in scope. Retries on a concurrent change.
 */
export async function appendAlertHistory(id: string, entry: AlertHistoryEntry, scope: Scope): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const res = await scopedSearch<StoredAlert>(scope, "alerts", { size: 1, seq_no_primary_term: true, query: { term: { id } } });
    const hit = res.hits.hits[0];
    if (!hit) return false;
    try {
      await es().update({
        index: hit._index,
        id: hit._id!,
        if_seq_no: hit._seq_no,
        if_primary_term: hit._primary_term,
        doc: { history: [...(hit._source!.history ?? []), entry] },
        refresh: "wait_for",
      });
      return true;
    } catch (e) {
      if (!String(e).includes("version_conflict")) throw e;
    }
  }
  throw new Error(`alert ${id}: history append kept conflicting`);
}

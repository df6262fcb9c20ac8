/**
 * Triage of alerts: state transitions (only the actions valid for an alert's
 * state), assignment to a user whose scope covers the alert, comments, each
 * appended to the alert's history. Optimistic concurrency (seq_no/primary_term).
 */
import type { Scope } from "../../lib/auth/scope";
import { es } from "../../lib/es/client";
import { scopedSearch } from "../../lib/es/scoped";
import type { AlertHistoryEntry, AlertStatus, StoredAlert } from "./store";

export type TriageAction = AlertHistoryEntry["action"];

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
  for (const id of ids) {
    for (let attempt = 0; attempt < 5; attempt++) {
      const res = await scopedSearch<StoredAlert>(scope, "alerts", { size: 1, seq_no_primary_term: true, query: { term: { id } } });
      const hit = res.hits.hits[0];
      if (!hit) break;
      const a = hit._source!;
      if (!isValidAction(a.status, change.action)) {
        result.invalid.push(id);
        break;
      }
      if (change.action === "assign" && change.assignee && !canAssign(a.organization.id)) {
        result.notCovered.push(id);
        break;
      }
      const status: AlertStatus =
        change.action === "acknowledge" ? "acknowledged" : change.action === "close" ? "closed" : change.action === "reopen" ? "open" : a.status;
      const entry: AlertHistoryEntry = {
        at: new Date().toISOString(),
        by,
        action: change.action,
        ...(status !== a.status ? { status } : {}),
        ...(change.action === "assign" ? { assignee: change.assignee ?? null } : {}),
        ...(change.action === "close" && change.disposition ? { disposition: change.disposition } : {}),
        ...(change.note ? { note: change.note } : {}),
      };
      const doc = {
        status,
        ...(change.action === "assign" ? { assignee: change.assignee ?? null } : {}),
        ...(change.action === "close" ? { disposition: change.disposition } : change.action === "reopen" ? { disposition: null } : {}),
        history: [...(a.history ?? []), entry],
      };
      try {
        await es().update({ index: hit._index, id: hit._id!, doc, if_seq_no: hit._seq_no, if_primary_term: hit._primary_term, refresh: "wait_for" });
        result.changed.push(id);
        break;
      } catch (e) {
        if (!String(e).includes("version_conflict")) throw e;
      }
    }
  }
  return result;
}

/**
 * Binding of ingested access events to the node that sent them (INTERFACE.md
 * §1, §3): `observer.id` is the node, `observer.type` its registered type,
 * and `organization.id` the node's organisation or, for a prefectural server
 * or the national centre, an organisation in that organisation's subtree.
 * The allowed organisations are computed once per request or file import.
 */
import { subtree } from "../../lib/auth/scope";

export interface IngestNode {
  id: string;
  type: string;
  organizationId: string;
}

/** Node types that send on behalf of the organisations below their own (the contract's wording). */
export const SUBTREE_NODE_TYPES: ReadonlySet<string> = new Set(["prefectural_server", "national_center"]);

/** A sending node with the organisations its events may name. */
export interface Sender extends IngestNode {
  organizations: ReadonlySet<string>;
}

export async function senderOf(node: IngestNode): Promise<Sender> {
  const organizations = SUBTREE_NODE_TYPES.has(node.type) ? new Set(await subtree(node.organizationId)) : new Set([node.organizationId]);
  return { id: node.id, type: node.type, organizationId: node.organizationId, organizations };
}

/** Why an event may not come from this sender (a reason naming the field), or undefined when it may. */
export function senderMismatch(sender: Sender, e: { observer: { id: string; type: string }; organization: { id: string } }): string | undefined {
  if (e.observer.id !== sender.id) return `observer.id "${e.observer.id}" is not the sending node "${sender.id}"`;
  if (e.observer.type !== sender.type) {
    return `observer.type "${e.observer.type}" is not the registered type "${sender.type}" of node "${sender.id}"`;
  }
  if (!sender.organizations.has(e.organization.id)) {
    return SUBTREE_NODE_TYPES.has(sender.type)
      ? `organization.id "${e.organization.id}" is neither the organisation "${sender.organizationId}" of node "${sender.id}" nor one below it`
      : `organization.id "${e.organization.id}" is not the organisation "${sender.organizationId}" of node "${sender.id}"`;
  }
  return undefined;
}

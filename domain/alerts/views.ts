/**
 * Saved views of the alert queue: a user's named query strings of /alerts.
 * A view belongs to one user and is read and removed only by that user; the
 * query is re-checked against the scope when the page opens it, like any URL.
 */
import { z } from "zod";
import { db } from "../../lib/db";

export const viewInput = z.object({
  name: z.string().trim().min(1).max(60),
  /** The query string without "?"; only the queue's own parameters are kept. */
  query: z.string().max(2000),
});

const KEPT = ["range", "from", "to", "status", "severity", "rule", "organization", "mine", "sort", "dir", "size"];

/** Keeps only the queue's filter and sort parameters (not the page number). */
export function viewQuery(query: string): string {
  const src = new URLSearchParams(query);
  const out = new URLSearchParams();
  for (const k of KEPT) {
    const v = src.get(k);
    if (v) out.set(k, v);
  }
  return out.toString();
}

export async function listViews(userId: string) {
  return db().savedView.findMany({ where: { userId, page: "alerts" }, orderBy: { name: "asc" }, select: { id: true, name: true, query: true } });
}

/** Saves (or replaces, by name) a view of the user. */
export async function saveView(userId: string, input: z.infer<typeof viewInput>) {
  const query = viewQuery(input.query);
  return db().savedView.upsert({
    where: { userId_page_name: { userId, page: "alerts", name: input.name } },
    create: { userId, page: "alerts", name: input.name, query },
    update: { query },
  });
}

/** Removes a view of the user; false when the user has no such view. */
export async function deleteView(userId: string, id: number): Promise<boolean> {
  return (await db().savedView.deleteMany({ where: { id, userId } })).count > 0;
}

/**
 * A user's in-console notification list: newest first, the unread count for
 * the console header, marking read. Only the user's own rows, and only of
 * organisations still in the user's scope (a user moved elsewhere no longer
 * reads the old organisation's titles).
 */
import { db } from "../../lib/db";
import type { Scope } from "../../lib/auth/scope";

export const PAGE_SIZE = 50;

export interface InboxItem {
  id: number;
  type: string;
  severity: string;
  organizationId: string;
  title: string;
  lines: string[];
  path: string;
  at: Date;
  read: boolean;
}

const own = (userId: string, scope: Scope) => ({ userId, event: scope.where("organizationId") });

export async function unreadCount(userId: string, scope: Scope): Promise<number> {
  return db().notification.count({ where: { ...own(userId, scope), readAt: null } });
}

export async function listNotifications(
  userId: string,
  scope: Scope,
  opts: { unreadOnly?: boolean; page?: number } = {},
): Promise<{ items: InboxItem[]; total: number }> {
  const where = { ...own(userId, scope), ...(opts.unreadOnly ? { readAt: null } : {}) };
  const page = Math.max(0, Math.floor(opts.page ?? 0));
  const [rows, total] = await Promise.all([
    db().notification.findMany({ where, include: { event: true }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: page * PAGE_SIZE, take: PAGE_SIZE }),
    db().notification.count({ where }),
  ]);
  return {
    total,
    items: rows.map((r) => ({
      id: r.id,
      type: r.event.type,
      severity: r.event.severity,
      organizationId: r.event.organizationId,
      title: r.event.title,
      lines: safeLines(r.event.lines),
      path: r.event.path,
      at: r.createdAt,
      read: !!r.readAt,
    })),
  };
}

function safeLines(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

/** Marks the user's own notifications read (the given ids, or all); ids of other users change nothing. Returns how many changed. */
export async function markRead(userId: string, scope: Scope, ids: number[] | "all", now = new Date()): Promise<number> {
  const res = await db().notification.updateMany({
    where: { ...own(userId, scope), readAt: null, ...(ids === "all" ? {} : { id: { in: ids } }) },
    data: { readAt: now },
  });
  return res.count;
}

/**
 * The archive as the console and `npm run archive` see it: the list of
 * archived months, a month restored for an audit or a disclosure request
 * (searchable again through the stream's read alias, hence through the normal
 * scopes, until released), released again, and which months of a searched
 * period are archived (the pages' banner). Restore and release are written to
 * the audit trail with the reason. Both are idempotent and safe to kill: they
 * look at the cluster first (the restored index exists or not) and a rerun
 * finishes what a killed one began.
 *
 * Who may restore: the admins of a prefecture or of the national centre (or
 * the CLI), because a restored month is deployment-wide (every organisation's
 * documents of that month come back, each still read only through its scope).
 */
import { recordAudit, type AuditEntry } from "../../lib/audit/trail";
import type { SessionUser } from "../../lib/auth/principal";
import { db } from "../../lib/db";
import { addAlias, deleteIndex, indexExists, restoreAs, snapshotState } from "./es-ops";
import { ArchiveError, monthsBetween, parseMonth, restoredIndexOf, streamDef, type ArchiveStream } from "./streams";

export type ArchiveActor = Pick<AuditEntry, "actorId" | "actorLogin" | "actorOrganizationId" | "scope">;

/** Organisation kinds whose admins manage the archive. */
const ARCHIVE_ADMIN_KINDS = new Set(["prefecture", "national"]);

export async function managesArchive(user: Pick<SessionUser, "role" | "organizationId">): Promise<boolean> {
  if (user.role !== "admin") return false;
  const org = await db().organization.findUnique({ where: { id: user.organizationId }, select: { kind: true } });
  return ARCHIVE_ADMIN_KINDS.has(org?.kind ?? "");
}

export async function listArchive(stream?: ArchiveStream) {
  return db().archivedMonth.findMany({ where: stream ? { stream } : {}, orderBy: [{ stream: "asc" }, { month: "desc" }] });
}

const MAX_REASON = 500;

async function recordOf(stream: string, month: string) {
  const def = streamDef(stream);
  const m = parseMonth(month);
  const rec = await db().archivedMonth.findUnique({ where: { stream_month: { stream: def.stream, month: m } } });
  if (!rec) throw new ArchiveError("not_found", `${def.stream} ${m} is not archived`);
  return { def, month: m, rec };
}

/** Restores an archived month (for an audit or a disclosure request): searchable through the normal aliases and scopes until released. */
export async function restoreMonth(stream: string, month: string, reason: string, actor: ArchiveActor): Promise<{ index: string; docCount: number | null }> {
  const why = reason.trim();
  if (!why) throw new ArchiveError("reason_required", "a reason is required (the audit or the disclosure request)");
  const { def, month: m, rec } = await recordOf(stream, month);
  if (rec.state !== "archived" && rec.state !== "restored") throw new ArchiveError("not_archived", `${def.stream} ${m} is ${rec.state}, not archived`);
  const index = restoredIndexOf(def, m);
  if (!(await indexExists(index))) {
    const snap = await snapshotState(rec.repository, rec.snapshot);
    if (snap?.state !== "SUCCESS") throw new ArchiveError("snapshot_missing", `snapshot ${rec.snapshot} is ${snap?.state ?? "missing"} in ${rec.repository}`);
    await restoreAs(rec.repository, rec.snapshot, rec.sourceIndex, index);
  }
  if (def.readAlias) await addAlias(index, def.readAlias);
  await db().archivedMonth.update({
    where: { id: rec.id },
    data: { state: "restored", restoredAt: new Date(), restoredBy: actor.actorLogin ?? null, restoreReason: why.slice(0, MAX_REASON) },
  });
  await recordAudit({
    ...actor,
    action: "archive_month_restored",
    target: `${def.stream} ${m}`,
    details: { reason: why.slice(0, MAX_REASON), index, docCount: rec.docCount },
  });
  return { index, docCount: rec.docCount };
}

/** Releases a restored month: its restored copy is deleted (the snapshot stays). */
export async function releaseMonth(stream: string, month: string, actor: ArchiveActor): Promise<void> {
  const { def, month: m, rec } = await recordOf(stream, month);
  if (rec.state !== "restored" && rec.state !== "archived") throw new ArchiveError("not_restored", `${def.stream} ${m} is ${rec.state}, not restored`);
  const index = restoredIndexOf(def, m);
  const was = rec.state === "restored" || (await indexExists(index));
  await deleteIndex(index);
  await db().archivedMonth.update({ where: { id: rec.id }, data: { state: "archived", restoredAt: null, restoredBy: null, restoreReason: null } });
  if (was) await recordAudit({ ...actor, action: "archive_month_released", target: `${def.stream} ${m}`, details: { index } });
}

export interface ArchivedPart {
  /** Months of the period whose data is only in the archive (not searchable now). */
  archived: string[];
  /** Months of the period restored for the moment (searchable). */
  restored: string[];
  /** Months of the period past the total retention (deleted for good). */
  expired: string[];
}

/** Which months of [from, to) of a stream are archived, restored or expired (the banner of the pages that search a period). */
export async function archivedPartOf(stream: ArchiveStream, from: Date, to: Date): Promise<ArchivedPart> {
  const months = monthsBetween(from, to);
  const out: ArchivedPart = { archived: [], restored: [], expired: [] };
  if (!months.length) return out;
  const rows = await db().archivedMonth.findMany({ where: { stream, month: { in: months } }, orderBy: { month: "asc" } });
  for (const r of rows) {
    // A month verified but not yet deleted is still searchable: nothing to say about it.
    if (r.state === "archived") out.archived.push(r.month);
    else if (r.state === "restored") out.restored.push(r.month);
    else if (r.state === "expired") out.expired.push(r.month);
  }
  return out;
}

/**
 * The note of a page that searched a period part of which is archived
 * (domain/archive): the archived months, not in the results, with the way to
 * restore them — a link to the archive page for its admins, a plain note for
 * everyone else — and the restored or expired months. Pure: the server
 * banner (ArchiveBanner) and the disclosure form (a client component) both use it.
 */
import Link from "@/components/Link";
import type { ArchivedPart } from "@/domain/archive/restore";
import { messages as m } from "@/lib/i18n";

export function ArchiveNotice({ part, admin, stream }: { part: ArchivedPart; admin: boolean; stream: string }) {
  if (!part.archived.length && !part.restored.length && !part.expired.length) return null;
  return (
    <div className="notice" role="note" data-testid="archive-banner">
      {part.archived.length > 0 && (
        <p>
          {m["archive.banner.archived"]}
          {part.archived.join("、")}{" "}
          {admin ? (
            <Link href={`/admin/archive?stream=${stream}&month=${part.archived.join(",")}`}>{m["archive.banner.restoreLink"]}</Link>
          ) : (
            m["archive.banner.askAdmin"]
          )}
        </p>
      )}
      {part.restored.length > 0 && (
        <p>
          {m["archive.banner.restored"]}
          {part.restored.join("、")}
        </p>
      )}
      {part.expired.length > 0 && (
        <p>
          {m["archive.banner.expired"]}
          {part.expired.join("、")}
        </p>
      )}
    </div>
  );
}

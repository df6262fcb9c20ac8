/** The archive note of a server page that searched [from, to) of a stream (see ArchiveNotice). */
import type { SessionUser } from "@/lib/auth/principal";
import { archivedPartOf, managesArchive } from "@/domain/archive/restore";
import type { ArchiveStream } from "@/domain/archive/streams";
import { ArchiveNotice } from "./ArchiveNotice";

export async function ArchiveBanner({ stream, from, to, user }: { stream: ArchiveStream; from: string | Date; to: string | Date; user: SessionUser }) {
  const f = new Date(from);
  const t = new Date(to);
  if (Number.isNaN(f.getTime()) || Number.isNaN(t.getTime())) return null;
  const part = await archivedPartOf(stream, f, t);
  if (!part.archived.length && !part.restored.length && !part.expired.length) return null;
  return <ArchiveNotice part={part} admin={await managesArchive(user)} stream={stream} />;
}

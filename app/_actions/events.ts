"use server";
/**
 * The log explorer's search form is posted here, so that a typed 住民票コード
 * never lands in a URL, the browser history or a server log: the code is
 * turned into its keyed reference and the page is opened with the reference.
 */
import { redirect } from "next/navigation";
import { requireUser } from "../../lib/auth/pages";
import { filterFromParams, resolveFilterOrganization, subjectReferences } from "../../domain/events/explorer";

const KEEP = ["range", "from", "to"] as const;

export async function searchEventsAction(form: FormData): Promise<void> {
  await requireUser();
  const fields = Object.fromEntries([...form.entries()].filter(([k, v]) => typeof v === "string" && !k.startsWith("$")).map(([k, v]) => [k, String(v)]));
  // A typed organisation name becomes its code; one that matches nothing stays, for the page to say so.
  const { filter: resolved, unknownOrganization } = await resolveFilterOrganization(filterFromParams(fields));
  const filter = unknownOrganization ? { ...resolved, organization: unknownOrganization } : resolved;
  if (filter.subject) filter.subject = subjectReferences(filter.subject).join(",");
  const query = new URLSearchParams();
  for (const k of KEEP) if (fields[k]) query.set(k, fields[k]);
  for (const [k, v] of Object.entries(filter)) if (v) query.set(k, v);
  redirect(`/events?${query.toString()}`);
}

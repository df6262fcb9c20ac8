/**
 * Resident disclosure (本人確認情報の提供状況の開示): every provision of one
 * resident's identity records in a period, in time order, for the officer's
 * table and the letter to the resident.
 *
 * Which provisions: those recorded by the organisations in scope, and — when
 * the resident's record is known to the scope (some event of the scope's
 * nodes concerns it: the municipality holds or has handled that record) —
 * also those recorded by the nodes above the scope (the prefecture's server,
 * the national centre), which make most provisions to the 別表 recipients.
 * A record the scope never handled gets only the scope's own provisions, so
 * a typed code cannot be used to read the upstream provisions of strangers.
 *
 * The 住民票コード is turned into its reference (`residentRef`) here and goes
 * no further: it is not stored, logged, returned, nor part of any error
 * message. Each lookup is written to the audit trail with the period, the
 * number of rows and the first 12 characters of the reference.
 */
import type { estypes } from "@elastic/elasticsearch";
import { recordAudit } from "../../lib/audit/trail";
import type { Role } from "../../lib/auth/principal";
import { db } from "../../lib/db";
import { es } from "../../lib/es/client";
import { aliasName } from "../../lib/es/indices";
import { residentRef } from "../../lib/ingest/pseudonym";
import { channelLabel, provisionQuery, purposeLabel, recipientName } from "./provisions";
import { dateKeyOf, daysPeriod } from "./period";

export class DisclosureError extends Error {
  constructor(
    readonly code: "invalid_code" | "invalid_period",
    message: string,
  ) {
    super(message);
  }
}

/** Who answers disclosure requests: municipal officers, and the prefecture's staff. Auditors do not. */
export const DISCLOSURE_ROLES: Role[] = ["municipal_officer", "monitor", "admin"];

/** Characters of the reference kept in the audit trail: enough to find the lookups of one resident again, not the whole key. */
export const AUDIT_REF_LENGTH = 12;

/**
 * The 11-digit 住民票コード from what an officer typed: full-width digits are
 * read as digits and spaces or hyphens between groups are ignored. There is no
 * check digit rule to apply (the codes are random 11-digit numbers as far as
 * this console knows), so anything else than 11 digits is refused. The error
 * never repeats the input.
 */
export function parseResidentCode(input: string): string {
  const code = input.normalize("NFKC").replace(/[\s\-‐]/g, "");
  if (!/^\d{11}$/.test(code)) throw new DisclosureError("invalid_code", "a 住民票コード is exactly 11 digits");
  return code;
}

export interface DisclosureRow {
  /** ISO instant of the provision. */
  time: string;
  /** "YYYY-MM-DD", JST (提供年月日). */
  date: string;
  /** 提供元: the organisation whose node recorded the provision. */
  provider: { id: string; name: string };
  recipient: { id: string; name: string };
  schedule: string;
  item: string;
  purpose: string;
  channel: string;
  channelLabel: string;
  records: number;
}

export interface Disclosure {
  /** "YYYY-MM-DD" JST, inclusive. */
  from: string;
  to: string;
  rows: DisclosureRow[];
  generatedAt: Date;
}

const SORT: estypes.Sort = [{ "@timestamp": "asc" }, { "observer.id": "asc" }, { "event.id": "asc" }];
const SOURCE = ["@timestamp", "organization.id", "jukinet.recipient", "jukinet.purpose", "jukinet.channel", "jukinet.record_count"];

/**
 * The organisations above the scope (parents up to the national centre) whose
 * provisions of this record may be disclosed: none unless a node in scope has
 * recorded an event about the record.
 */
async function upstreamProviders(organizations: string[], ref: string): Promise<string[]> {
  const all = await db().organization.findMany({ select: { id: true, parentId: true } });
  const parent = new Map(all.map((o) => [o.id, o.parentId]));
  const above = new Set<string>();
  for (const id of organizations) for (let p = parent.get(id); p; p = parent.get(p)) above.add(p);
  for (const id of organizations) above.delete(id);
  if (!above.size) return [];
  const known = await es().count({
    index: aliasName("events"),
    ignore_unavailable: true,
    allow_no_indices: true,
    query: { bool: { filter: [{ terms: { "organization.id": organizations } }, { term: { "jukinet.subject.ref": ref } }] } },
  });
  return known.count > 0 ? [...above] : [];
}

/**
 * The provisions of the resident's records from `from` to `to` (JST days,
 * inclusive) by the organisations (the caller's scope, already checked),
 * recorded in the audit trail as done by `requestedBy`. Throws a
 * DisclosureError for a malformed code or period.
 */
export async function disclosureFor(opts: {
  residentCode: string;
  organizations: string[];
  from: string;
  to: string;
  requestedBy: { id: string; login?: string };
  now?: Date;
}): Promise<Disclosure> {
  const ref = residentRef(parseResidentCode(opts.residentCode));
  let period;
  try {
    period = daysPeriod(opts.from, opts.to);
  } catch (e) {
    if (e instanceof RangeError) throw new DisclosureError("invalid_period", e.message);
    throw e;
  }
  const providers = [...opts.organizations, ...(await upstreamProviders(opts.organizations, ref))];
  const query = provisionQuery(providers, period, [{ term: { "jukinet.subject.ref": ref } }]);

  const hits: estypes.SearchHit<any>[] = [];
  for (let after: estypes.SortResults | undefined; ; ) {
    const res = await es().search<any>({ index: aliasName("events"), size: 1000, query, sort: SORT, _source: SOURCE, ...(after ? { search_after: after } : {}) });
    hits.push(...res.hits.hits);
    if (res.hits.hits.length < 1000) break;
    after = res.hits.hits[res.hits.hits.length - 1].sort;
  }

  const orgIds = [...new Set(hits.map((h) => h._source.organization.id as string))];
  const orgs = new Map((await db().organization.findMany({ where: { id: { in: orgIds } }, select: { id: true, name: true } })).map((o) => [o.id, o.name]));
  const rows = hits.map((h): DisclosureRow => {
    const s = h._source;
    const j = s.jukinet ?? {};
    const schedule = j.purpose?.schedule ?? "";
    const item = j.purpose?.item ?? "";
    const channel = j.channel ?? "";
    return {
      time: s["@timestamp"],
      date: dateKeyOf(Date.parse(s["@timestamp"])),
      provider: { id: s.organization.id, name: orgs.get(s.organization.id) ?? s.organization.id },
      recipient: { id: j.recipient?.id ?? "", name: recipientName(j.recipient?.id ?? "", j.recipient?.name) },
      schedule,
      item,
      purpose: purposeLabel(schedule, item),
      channel,
      channelLabel: channelLabel(channel),
      records: j.record_count ?? 1,
    };
  });

  await recordAudit({
    actorId: opts.requestedBy.id,
    actorLogin: opts.requestedBy.login,
    action: "resident_disclosure",
    scope: opts.organizations,
    details: { from: opts.from, to: opts.to, rows: rows.length, upstream: providers.length > opts.organizations.length, ref: ref.slice(0, AUDIT_REF_LENGTH) },
  });
  return { from: opts.from, to: opts.to, rows, generatedAt: opts.now ?? new Date() };
}

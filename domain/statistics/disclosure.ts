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
import { systemScope, type Scope } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { scopedCount, scopedQuery, scopedSearch } from "../../lib/es/scoped";
import { subjectLinks } from "../events/subject-links";
import { residentRefs } from "../ingest/pseudonym";
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
  /** `jukinet.batch.id` of a per-resident record of an online-batch or media provision; null for an immediate one. */
  batch: string | null;
  /**
   * "asked": made under the code typed; "linked": under another code of the same person (before or after a
   * change of code, see `codeChanges`).
   */
  code: "asked" | "linked";
}

export interface Disclosure {
  /** "YYYY-MM-DD" JST, inclusive. */
  from: string;
  to: string;
  rows: DisclosureRow[];
  /** JST dates ("YYYY-MM-DD") of the changes of code that link the rows, in time order. */
  codeChanges: string[];
  generatedAt: Date;
}

const SORT: estypes.Sort = [{ "@timestamp": "asc" }, { "observer.id": "asc" }, { "event.id": "asc" }];
const SOURCE = [
  "@timestamp",
  "organization.id",
  "jukinet.recipient",
  "jukinet.purpose",
  "jukinet.channel",
  "jukinet.record_count",
  "jukinet.batch.id",
  "jukinet.subject.ref",
];

/**
 * The organisations above the scope (parents up to the national centre, none
 * of them in the scope) whose provisions of this record may be disclosed:
 * none unless a node in scope has recorded an event about the record (counted
 * within the caller's own scope).
 */
async function upstreamProviders(scope: Scope, refs: string[]): Promise<string[]> {
  const mine = scope.organizations;
  if (!mine) return []; // a system scope has no "above"
  const all = await db().organization.findMany({ select: { id: true, parentId: true } });
  const parent = new Map(all.map((o) => [o.id, o.parentId]));
  const above = new Set<string>();
  const seen = new Set<string>();
  // Walks each parent chain once (a cycle in a broken registry ends the walk).
  for (const id of mine) {
    for (let p = parent.get(id); p && !seen.has(p); p = parent.get(p)) {
      seen.add(p);
      above.add(p);
    }
  }
  for (const id of mine) above.delete(id);
  if (!above.size) return [];
  const known = await scopedCount(scope, "events", { terms: { "jukinet.subject.ref": refs } });
  return known > 0 ? [...above].sort() : [];
}

/**
 * The one read of this module beyond the caller's scope: the provisions that
 * the nodes ABOVE the scope (prefectural server, national centre) made of a
 * record the scope itself handles. Seed 003's disclosure letter must list
 * them, and the caller cannot read those organisations otherwise, so it is
 * an explicit, named system scope, and the query it runs is restricted to
 * (the caller's own scope) OR (exactly those upstream organisations AND this
 * one record reference), see `disclosureFor`.
 */
const upstreamDisclosureScope = () => systemScope("disclosure");

/**
 * The provisions of the resident's records from `from` to `to` (JST days,
 * inclusive) within the caller's scope (plus the upstream rule above),
 * recorded in the audit trail as done by `requestedBy`. Throws a
 * DisclosureError for a malformed code or period.
 */
export async function disclosureFor(
  scope: Scope,
  opts: {
    residentCode: string;
    from: string;
    to: string;
    requestedBy: { id: string; login?: string };
    now?: Date;
  },
): Promise<Disclosure> {
  const code = parseResidentCode(opts.residentCode);
  let period;
  try {
    period = daysPeriod(opts.from, opts.to);
  } catch (e) {
    if (e instanceof RangeError) throw new DisclosureError("invalid_period", e.message);
    throw e;
  }
  // The current key's reference first, then those of keys kept after a rotation, then the references
  // of the same person before or after a change of code (code_change) that the scope recorded.
  const asked = residentRefs(code);
  const links = await subjectLinks(scope, asked);
  const refs = links.refs;
  const ref = refs[0];
  const upstream = await upstreamProviders(scope, refs);
  const subject = { terms: { "jukinet.subject.ref": refs } };
  const query = provisionQuery(period, [subject]);
  // Without an upstream provider the caller's own scope reads everything; with one, the
  // wider (system) read is limited to the caller's scope OR the upstream organisations.
  const read = upstream.length ? upstreamDisclosureScope() : scope;
  const restricted = upstream.length
    ? { bool: { filter: [query, { bool: { should: [scopedQuery(scope, "events"), { terms: { "organization.id": upstream } }], minimum_should_match: 1 } }] } }
    : query;

  const hits: estypes.SearchHit<any>[] = [];
  for (let after: estypes.SortResults | undefined; ;) {
    const res = await scopedSearch<any>(read, "events", {
      size: 1000,
      query: restricted,
      sort: SORT,
      _source: SOURCE,
      ...(after ? { search_after: after } : {}),
    });
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
      batch: j.batch?.id ?? null,
      code: asked.includes(j.subject?.ref) ? "asked" : "linked",
    };
  });

  await recordAudit({
    actorId: opts.requestedBy.id,
    actorLogin: opts.requestedBy.login,
    action: "resident_disclosure",
    scope: scope.recorded,
    details: { from: opts.from, to: opts.to, rows: rows.length, upstream: upstream.length > 0, ref: ref.slice(0, AUDIT_REF_LENGTH) },
  });
  const codeChanges = links.changes.map((c) => dateKeyOf(Date.parse(c.time)));
  return { from: opts.from, to: opts.to, rows, codeChanges, generatedAt: opts.now ?? new Date() };
}

/**
 * The one scope mechanism. A Scope says which organisations' data a caller
 * may read and, for auditors, which period of it (the audit period of each
 * engagement). It can only be made from an authenticated principal
 * (`scopeOf`) or as an explicit, named system scope (`systemScope`) for the
 * detection worker, ingest and the server's own CLIs.
 *
 * Every query on organisation-owned data takes its filter from a Scope:
 * Elasticsearch reads through `lib/es/scoped.ts` (which adds `esFilter`),
 * Prisma reads with `scope.where()` in their `where`. Domain functions take
 * a Scope, never a bare list of organisations.
 */
import type { estypes } from "@elastic/elasticsearch";
import { db } from "../db";
import { AuthError, type Principal } from "./principal";

export interface Period {
  from: Date;
  to: Date;
}

/**
 * What a Scope is asked to filter: the Elasticsearch streams of organisation-owned documents (access events,
 * IDS alerts, detector alerts, and the six-hour tallies of events in domain/events/tallies.ts).
 */
export type ScopedStream = "events" | "ids" | "alerts" | "tallies";

export type SystemScopeName = "detector" | "ingest" | "cli" | "demo" | "bench" | "test" | "disclosure" | "tallies";

const KEY = Symbol("scope");

/** Organisation → the periods it may be read in (empty list: any time). */
export type Grants = ReadonlyMap<string, readonly Period[]>;

export class Scope {
  readonly #grants: Grants | null;

  /** Made only in this module (`scopeOf`, `systemScope`): the key is not exported, so nothing else can construct one. */
  constructor(
    key: symbol,
    /** "user:<id>", "api_token:<id>" or "system:<name>": who the scope was made for (audit trail, errors). */
    readonly label: string,
    grants: Grants | null,
    readonly principal?: Principal,
  ) {
    if (key !== KEY) throw new Error("a Scope is made by scopeOf() or systemScope()");
    this.#grants = grants;
  }

  /** True for a system scope, which sees every organisation. */
  get isSystem(): boolean {
    return this.#grants === null;
  }

  /** The organisations in scope (sorted); undefined for a system scope (all of them). */
  get organizations(): string[] | undefined {
    return this.#grants ? [...this.#grants.keys()].sort() : undefined;
  }

  /** For the audit trail: the organisations, or ["*"] for a system scope. */
  get recorded(): string[] {
    return this.organizations ?? ["*"];
  }

  /** The periods an organisation may be read in (empty: any time); undefined when outside the scope. */
  periodsOf(organizationId: string): readonly Period[] | undefined {
    return this.#grants ? this.#grants.get(organizationId) : [];
  }

  includes(organizationId: string | null | undefined): boolean {
    if (!organizationId) return false;
    return this.#grants === null || this.#grants.has(organizationId);
  }

  /** 403 when a requested organisation is outside the scope (never an empty answer that would leak counts). */
  require(organizationId: string | null | undefined): void {
    if (organizationId && !this.includes(organizationId)) throw new AuthError(403, `organisation ${organizationId} is outside your scope`);
  }

  /**
   * The same scope narrowed to one requested organisation (403 when outside);
   * unchanged when none is requested.
   */
  narrow(organizationId: string | null | undefined): Scope {
    if (!organizationId) return this;
    this.require(organizationId);
    const periods = this.periodsOf(organizationId) ?? [];
    return new Scope(KEY, this.label, new Map([[organizationId, periods]]), this.principal);
  }

  /** Prisma `where` fragment for rows owned by an organisation (column `field`). */
  where<F extends string = "organizationId">(field?: F): { [K in F]?: { in: string[] } } {
    const orgs = this.organizations;
    return (orgs ? { [field ?? "organizationId"]: { in: orgs } } : {}) as { [K in F]?: { in: string[] } };
  }

  /** True when some organisation is granted for a period only (an auditor's scope). */
  get periodLimited(): boolean {
    return !!this.#grants && [...this.#grants.values()].some((periods) => periods.length > 0);
  }

  /**
   * Elasticsearch filter clauses for a stream: the organisations, and for
   * organisations granted for a period only (auditors), that period on the
   * document's time (`@timestamp`, or the alert's window overlapping it).
   */
  esFilter(stream: ScopedStream): estypes.QueryDslQueryContainer[] {
    return this.#grants ? grantsFilter(this.#grants, stream) : [];
  }
}

/** The Elasticsearch clauses of a set of grants (pure; exported for its unit test). */
export function grantsFilter(grants: Grants, stream: ScopedStream): estypes.QueryDslQueryContainer[] {
  const anyTime: string[] = [];
  const timed: estypes.QueryDslQueryContainer[] = [];
  for (const [org, periods] of grants) {
    if (!periods.length) {
      anyTime.push(org);
      continue;
    }
    for (const p of periods) timed.push({ bool: { filter: [{ term: { "organization.id": org } }, ...periodClauses(stream, p)] } });
  }
  // No organisation at all matches nothing (an empty `terms` would too, but say it plainly).
  if (!anyTime.length && !timed.length) return [{ bool: { must_not: { match_all: {} } } }];
  if (!timed.length) return [{ terms: { "organization.id": anyTime.sort() } }];
  const should: estypes.QueryDslQueryContainer[] = [...(anyTime.length ? [{ terms: { "organization.id": anyTime.sort() } }] : []), ...timed];
  return [{ bool: { should, minimum_should_match: 1 } }];
}

/** A tally's bucket, six hours (domain/events/tallies.ts): the scope admits only whole buckets inside a period. */
export const TALLY_BUCKET_MS = 6 * 3600_000;

function periodClauses(stream: ScopedStream, p: Period): estypes.QueryDslQueryContainer[] {
  const from = p.from.toISOString();
  const to = p.to.toISOString();
  if (stream === "alerts") return [{ range: { "window.end": { gt: from } } }, { range: { "window.start": { lt: to } } }];
  // A tally counts its whole bucket (stamped with the bucket's start): only buckets wholly inside the period.
  if (stream === "tallies") return [{ range: { "@timestamp": { gte: from, lte: new Date(p.to.getTime() - TALLY_BUCKET_MS).toISOString() } } }];
  return [{ range: { "@timestamp": { gte: from, lt: to } } }];
}

/** An explicit, named scope over every organisation: the detection worker, ingest, the server's CLIs. */
export function systemScope(name: SystemScopeName): Scope {
  return new Scope(KEY, `system:${name}`, null);
}

/**
 * Deletes one organisation-owned row by id inside the scope, the delete's
 * `where` taken from the scope: 403 when the row belongs to an organisation
 * outside it, 404 when there is none. Returns the row removed.
 */
export async function deleteInScope<T extends { organizationId: string }>(
  scope: Scope,
  what: string,
  id: number,
  rows: { find: (id: number) => Promise<T | null>; deleteMany: (where: { id: number; organizationId?: { in: string[] } }) => Promise<{ count: number }> },
): Promise<T> {
  const row = await rows.find(id);
  if (row && !scope.includes(row.organizationId)) throw new AuthError(403, `${what} ${id} belongs to organisation ${row.organizationId}, outside your scope`);
  const res = await rows.deleteMany({ id, ...scope.where("organizationId") });
  if (!row || !res.count) throw new AuthError(404, `no ${what} ${id}`);
  return row;
}

/** The organisation and all its descendants (cycle-safe: each organisation is visited once). */
export async function subtree(organizationId: string): Promise<string[]> {
  const all = await db().organization.findMany({ select: { id: true, parentId: true } });
  const children = new Map<string, string[]>();
  for (const o of all) if (o.parentId) (children.get(o.parentId) ?? children.set(o.parentId, []).get(o.parentId)!).push(o.id);
  const out: string[] = [];
  const seen = new Set<string>();
  const stack = [organizationId];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(id);
    for (const c of children.get(id) ?? []) stack.push(c);
  }
  return out;
}

/** The fiscal year (April–March, JST) as a period: the audit period of an engagement that names none. */
function fiscalYearPeriod(fiscalYear: number): Period {
  return { from: new Date(`${fiscalYear}-04-01T00:00:00+09:00`), to: new Date(`${fiscalYear + 1}-04-01T00:00:00+09:00`) };
}

/**
 * The scope of an authenticated principal: admins and monitors their
 * organisation's subtree, municipal officers their own municipality,
 * auditors the municipalities of their engagements whose access period
 * contains `now`, each only for that engagement's audit period (none → 403).
 */
export async function scopeOf(p: Principal, now = new Date()): Promise<Scope> {
  const label = `${p.kind}:${p.id}`;
  switch (p.role) {
    case "admin":
    case "monitor":
      return new Scope(KEY, label, new Map((await subtree(p.organizationId)).map((o) => [o, []])), p);
    case "municipal_officer":
      return new Scope(KEY, label, new Map([[p.organizationId, []]]), p);
    case "auditor": {
      const engagements = await db().auditEngagement.findMany({
        where: { auditors: { some: { userId: p.id } }, accessFrom: { lte: now }, accessTo: { gt: now } },
        include: { organizations: true },
      });
      const grants = new Map<string, Period[]>();
      for (const e of engagements) {
        const period = e.auditFrom && e.auditTo ? { from: e.auditFrom, to: e.auditTo } : fiscalYearPeriod(e.fiscalYear);
        for (const o of e.organizations) (grants.get(o.organizationId) ?? grants.set(o.organizationId, []).get(o.organizationId)!).push(period);
      }
      if (!grants.size) throw new AuthError(403, "no audit engagement of yours is in its access period");
      return new Scope(KEY, label, grants, p);
    }
  }
}

/**
 * The scope an administrator manages (users, tokens, registry rows,
 * suppressions): its organisation's subtree. Only admins have one.
 */
export async function adminScopeOf(p: Principal): Promise<Scope> {
  if (p.role !== "admin") throw new AuthError(403, "only an administrator can do this");
  return scopeOf(p);
}

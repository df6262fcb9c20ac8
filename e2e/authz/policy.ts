/**
 * The authorization matrix's vocabulary: what a target and an entry are,
 * the policy (who may) and the helpers the entries in routes.ts, pages.ts and
 * actions.ts are written with.
 *
 * Expectations are a policy over the caller (role, organisation, intended
 * scope; see CALLERS in world.ts) and the target's organisation, not a table
 * written per caller: "own" and "foreign" follow from the caller's scope.
 * Where a refusal is silent (a list that should leave rows out, an action
 * whose refusal looks like success), a target carries a content judge or a
 * side-effect probe instead of trusting the status code.
 */
import { randomBytes } from "node:crypto";
import { CITY, NATIONAL, OTHER, type Answer, type Call, type Caller, type Outcome, type World } from "./world";

export interface Target {
  name: string;
  /** The organisation whose data or settings the call touches (undefined: the caller's own view). */
  org?: string;
  /** Who may, when it differs from the entry's rule. */
  allow?: (c: Caller, t: Target) => boolean;
  /** Reads logs outside the auditor's audit period (auditors must get nothing). */
  outsidePeriod?: boolean;
  /** Prepares the target before each check (e.g. lock the account again); its result is passed to call and effect. */
  setup?: (w: World, n: number) => Promise<Record<string, string> | void>;
  call: (w: World, c: Caller, n: number, prepared: Record<string, string>) => Call;
  /** For state changes: did the change happen? Decides the outcome when given (a 500 after the change is still a leak). */
  effect?: (w: World, c: Caller, n: number, prepared: Record<string, string>) => Promise<boolean>;
  /** Judge refusals too (the target's normal answer looks like one, e.g. back to /account/totp). */
  judgeAll?: boolean;
  /** Refines an allowed answer: "deny" when the answer carries none of the target's data. */
  judge?: (a: Answer, c: Caller, w: World) => Outcome | undefined;
}

export interface Entry {
  /** Who may, as a function of caller and target. */
  allow: (c: Caller, t: Target) => boolean;
  targets: Target[];
  /** Where to POST a server action (default: a page of the built console that carries it). */
  page?: (w: World) => string;
}

// ------------------------------------------------------------------ policy

export type Role = NonNullable<Caller["role"]>;
export const ALL: Role[] = ["admin", "monitor", "auditor", "municipal_officer"];
export const session = (c: Caller) => c.via === "session";
/** Signed in (or a read token) with a live scope that covers the target; auditors never outside their audit period. */
export const inScope = (c: Caller, t: Target) =>
  c.scope.length > 0 && (t.org === undefined || c.scope.includes(t.org)) && !(t.outsidePeriod && c.role === "auditor");
export const has = (c: Caller, roles: Role[]) => !!c.role && roles.includes(c.role);

export const publicly = () => true;
/** Pages: a signed-in user of one of the roles, the target inside the scope. */
export const page =
  (roles: Role[] = ALL) =>
  (c: Caller, t: Target) =>
    session(c) && has(c, roles) && inScope(c, t);
/** API reads: a session or a read API token. */
export const read =
  (roles: Role[] = ALL) =>
  (c: Caller, t: Target) =>
    (session(c) || c.via === "apiToken") && has(c, roles) && inScope(c, t);
/** Administration of the target's organisation: an admin whose subtree contains it. */
export const administers = (c: Caller, t: Target) => session(c) && c.role === "admin" && inScope(c, t);
/** Changes to the organisation tree: only an admin of a prefecture (or the national centre), inside its subtree. */
export const administersTree = (c: Caller, t: Target) => administers(c, t) && !!c.prefectureStaff;
/** Unlock: an admin of another organisation whose scope contains the locked account's organisation. */
export const unlocks = (c: Caller, t: Target) => administers(c, t) && c.org !== t.org;
/** The engagement's auditor, prefecture staff, or the audited municipality itself. */
export const engagementReader = (c: Caller, t: Target) =>
  session(c) &&
  ((c.role === "auditor" && inScope(c, t)) || (!!c.prefectureStaff && inScope(c, t)) || (has(c, ["municipal_officer", "admin"]) && c.org === t.org));
/** The same for reads through the API: a session or a read API token. */
export const engagementDocReader = (c: Caller, t: Target) => (c.via === "apiToken" ? engagementReader({ ...c, via: "session" }, t) : engagementReader(c, t));
export const engagementAuditor = (c: Caller, t: Target) => session(c) && c.role === "auditor" && inScope(c, t);
export const auditedMunicipality = (c: Caller, t: Target) => session(c) && has(c, ["municipal_officer", "admin"]) && c.org === t.org;
export const checklistEditor = (c: Caller, t: Target) => session(c) && has(c, ["municipal_officer", "admin"]) && c.org === t.org;
export const checklistReviewer = (c: Caller, t: Target) => session(c) && !!c.prefectureStaff && inScope(c, t);
export const ingests = (c: Caller, t: Target) => c.via === "nodeToken" && inScope(c, t);
export const nobody = () => false;

// ------------------------------------------------------------------ helpers

export const q = (o: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(o).filter(([, v]) => v !== undefined) as [string, string][]).toString();
export const get = (url: string): Call => ({ method: "GET", url });
export const json = (a: Answer) => {
  try {
    return JSON.parse(a.body);
  } catch {
    return undefined;
  }
};
/** Targets of the three organisations a caller can ask for: its own municipality, another one, the national centre. */
export const orgTargets = (make: (org: string) => Omit<Target, "name" | "org">): Target[] => [
  { name: `organization ${CITY}`, org: CITY, ...make(CITY) },
  { name: `organization ${OTHER}`, org: OTHER, ...make(OTHER) },
  { name: `organization ${NATIONAL}`, org: NATIONAL, ...make(NATIONAL) },
];
/** A list in the caller's own view that must not show rows of `org`: allowed only if the marker appears. */
export const contentOf = (org: string, marker: (w: World) => string, call: (w: World) => Call): Target => ({
  name: `rows of ${org} in the caller's own view`,
  org,
  call: (w) => call(w),
  judge: (a, _c, w) => (a.body.includes(marker(w)) ? "allow" : "deny"),
});
export const db = async () => (await import("../../lib/db")).db();
export const file = (name: string, text: string) => ({ name, mimeType: name.endsWith(".json") ? "application/json" : "text/plain", buffer: Buffer.from(text) });
export const auditFound = async (action: string, target: string) => (await (await db()).consoleAuditEvent.count({ where: { action, target } })) > 0;
export const engagementOf = (w: World, org: string) => (org === CITY ? w.engagement.own : w.engagement.foreign);
export const FAR = { start: "2031-05-10T18:00", end: "2031-05-11T06:00" };
export const operatorOf = (org: string) => (org === NATIONAL ? "SYS-000001-BATCH" : `OP-${org}-003`);
export const nodeOf = (org: string) => (org === NATIONAL ? "NC-000001" : `CS-${org}`);
export const terminalOf = (org: string) => `TM-${org}-08`;
export const CITY_AND_OTHER = (make: (org: string) => Omit<Target, "name" | "org">): Target[] => [
  { name: `${CITY}'s`, org: CITY, ...make(CITY) },
  { name: `${OTHER}'s`, org: OTHER, ...make(OTHER) },
];
/** An ingest line (INTERFACE.md §1) of `org` sent by 下関市's node. */
export const accessEvent = (org: string) =>
  JSON.stringify({
    "@timestamp": "2021-01-04T10:00:00+09:00",
    event: { id: `authz-${randomBytes(8).toString("hex")}`, action: "view", outcome: "success" },
    observer: { id: `CS-${CITY}`, type: "municipal_cs" },
    organization: { id: org },
    user: { id: `OP-${org}-001` },
    host: { id: `TM-${org}-01` },
    jukinet: { subject: { resident_code: "99999999999" }, purpose: { schedule: "jukiho", item: "jukiho-1" } },
  });

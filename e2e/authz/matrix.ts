/**
 * The authorization matrix: for every route handler, page and server action
 * the console exposes (e2e/authz/discover.ts finds them in the source tree),
 * how to call it against a target of a given organisation, and who may.
 *
 * Expectations are a policy over the caller (role, organisation, intended
 * scope; see CALLERS in world.ts) and the target's organisation, not a table
 * written per caller: "own" and "foreign" follow from the caller's scope.
 * Where a refusal is silent (a list that should leave rows out, an action
 * whose refusal looks like success), a target carries a content judge or a
 * side-effect probe instead of trusting the status code.
 */
import { randomBytes } from "node:crypto";
import { BASE_URL } from "../fixtures";
import { CITY, NATIONAL, OTHER, PREF, type Answer, type Call, type Caller, type Outcome, type World } from "./world";

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

type Role = NonNullable<Caller["role"]>;
const ALL: Role[] = ["admin", "monitor", "auditor", "municipal_officer"];
const session = (c: Caller) => c.via === "session";
/** Signed in (or a read token) with a live scope that covers the target; auditors never outside their audit period. */
const inScope = (c: Caller, t: Target) => c.scope.length > 0 && (t.org === undefined || c.scope.includes(t.org)) && !(t.outsidePeriod && c.role === "auditor");
const has = (c: Caller, roles: Role[]) => !!c.role && roles.includes(c.role);

const publicly = () => true;
/** Pages: a signed-in user of one of the roles, the target inside the scope. */
const page = (roles: Role[] = ALL) => (c: Caller, t: Target) => session(c) && has(c, roles) && inScope(c, t);
/** API reads: a session or a read API token. */
const read = (roles: Role[] = ALL) => (c: Caller, t: Target) => (session(c) || c.via === "apiToken") && has(c, roles) && inScope(c, t);
/** Administration of the target's organisation: an admin whose subtree contains it. */
const administers = (c: Caller, t: Target) => session(c) && c.role === "admin" && inScope(c, t);
/** Changes to the organisation tree: only an admin of a prefecture (or the national centre), inside its subtree. */
const administersTree = (c: Caller, t: Target) => administers(c, t) && !!c.prefectureStaff;
/** Unlock: an admin of another organisation whose scope contains the locked account's organisation. */
const unlocks = (c: Caller, t: Target) => administers(c, t) && c.org !== t.org;
/** The engagement's auditor, prefecture staff, or the audited municipality itself. */
const engagementReader = (c: Caller, t: Target) =>
  session(c) && ((c.role === "auditor" && inScope(c, t)) || (!!c.prefectureStaff && inScope(c, t)) || (has(c, ["municipal_officer", "admin"]) && c.org === t.org));
/** The same for reads through the API: a session or a read API token. */
const engagementDocReader = (c: Caller, t: Target) => (c.via === "apiToken" ? engagementReader({ ...c, via: "session" }, t) : engagementReader(c, t));
const engagementAuditor = (c: Caller, t: Target) => session(c) && c.role === "auditor" && inScope(c, t);
const auditedMunicipality = (c: Caller, t: Target) => session(c) && has(c, ["municipal_officer", "admin"]) && c.org === t.org;
const checklistEditor = (c: Caller, t: Target) => session(c) && has(c, ["municipal_officer", "admin"]) && c.org === t.org;
const checklistReviewer = (c: Caller, t: Target) => session(c) && !!c.prefectureStaff && inScope(c, t);
const ingests = (c: Caller, t: Target) => c.via === "nodeToken" && inScope(c, t);
const nobody = () => false;

// ------------------------------------------------------------------ helpers

const q = (o: Record<string, string | undefined>) => new URLSearchParams(Object.entries(o).filter(([, v]) => v !== undefined) as [string, string][]).toString();
const get = (url: string): Call => ({ method: "GET", url });
const json = (a: Answer) => {
  try {
    return JSON.parse(a.body);
  } catch {
    return undefined;
  }
};
/** Targets of the three organisations a caller can ask for: its own municipality, another one, the national centre. */
const orgTargets = (make: (org: string) => Omit<Target, "name" | "org">): Target[] => [
  { name: `organization ${CITY}`, org: CITY, ...make(CITY) },
  { name: `organization ${OTHER}`, org: OTHER, ...make(OTHER) },
  { name: `organization ${NATIONAL}`, org: NATIONAL, ...make(NATIONAL) },
];
/** A list in the caller's own view that must not show rows of `org`: allowed only if the marker appears. */
const contentOf = (org: string, marker: (w: World) => string, call: (w: World) => Call): Target => ({
  name: `rows of ${org} in the caller's own view`,
  org,
  call: (w) => call(w),
  judge: (a, _c, w) => (a.body.includes(marker(w)) ? "allow" : "deny"),
});
const db = async () => (await import("../../lib/db")).db();
const file = (name: string, text: string) => ({ name, mimeType: name.endsWith(".json") ? "application/json" : "text/plain", buffer: Buffer.from(text) });
const auditFound = async (action: string, target: string) => (await (await db()).consoleAuditEvent.count({ where: { action, target } })) > 0;
const engagementOf = (w: World, org: string) => (org === CITY ? w.engagement.own : w.engagement.foreign);
const FAR = { start: "2031-05-10T18:00", end: "2031-05-11T06:00" };
const operatorOf = (org: string) => (org === NATIONAL ? "SYS-000001-BATCH" : `OP-${org}-003`);
const nodeOf = (org: string) => (org === NATIONAL ? "NC-000001" : `CS-${org}`);
const terminalOf = (org: string) => `TM-${org}-08`;
const CITY_AND_OTHER = (make: (org: string) => Omit<Target, "name" | "org">): Target[] => [
  { name: `${CITY}'s`, org: CITY, ...make(CITY) },
  { name: `${OTHER}'s`, org: OTHER, ...make(OTHER) },
];
/** An ingest line (INTERFACE.md §1) of `org` sent by 下関市's node. */
const accessEvent = (org: string) =>
  JSON.stringify({
    "@timestamp": "2021-01-04T10:00:00+09:00",
    event: { id: `authz-${randomBytes(8).toString("hex")}`, action: "view", outcome: "success" },
    observer: { id: `CS-${CITY}`, type: "municipal_cs" },
    organization: { id: org },
    user: { id: `OP-${org}-001` },
    host: { id: `TM-${org}-01` },
    jukinet: { subject: { resident_code: "99999999999" }, purpose: { schedule: "jukiho", item: "jukiho-1" } },
  });

// ------------------------------------------------------------------ the matrix

export const MATRIX: Record<string, Entry> = {
  // ---------------------------------------------------------------- public
  "GET /api/health": { allow: publicly, targets: [{ name: "health", call: () => get("/api/health") }] },
  "GET /api/auth/[...nextauth]": { allow: publicly, targets: [{ name: "csrf", call: () => get("/api/auth/csrf") }] },
  "POST /api/auth/[...nextauth]": { allow: publicly, targets: [{ name: "sign-out without a csrf token", call: () => ({ method: "POST", url: "/api/auth/signout", form: { callbackUrl: "/" } }) }] },
  "PAGE /signin": { allow: publicly, targets: [{ name: "sign-in page", call: () => get("/signin") }] },
  "PAGE /forbidden": { allow: publicly, targets: [{ name: "forbidden page", call: () => get("/forbidden") }] },
  "PAGE /": { allow: publicly, targets: [{ name: "root (redirects to the dashboard)", call: () => get("/") }] },

  // ---------------------------------------------------------------- ingest (node tokens only, bound to the sender)
  "POST /api/ingest/access": {
    allow: ingests,
    targets: CITY_AND_OTHER((org) => ({
      call: () => ({ method: "POST", url: "/api/ingest/access", data: accessEvent(org) + "\n", headers: { "content-type": "application/x-ndjson" } }),
      judge: (a) => ((json(a)?.accepted ?? 0) > 0 ? "allow" : "deny"),
    })),
  },
  "POST /api/ingest/ids": {
    // None of the callers is an IDS sensor.
    allow: nobody,
    targets: [{ name: "EVE alert", call: () => ({ method: "POST", url: "/api/ingest/ids", data: '{"timestamp":"2021-01-04T10:00:00.000000+0900","event_type":"alert","src_ip":"10.35.201.11","dest_ip":"10.35.100.1","alert":{"signature_id":1,"signature":"authz","severity":2}}\n', headers: { "content-type": "application/x-ndjson" } }), judge: (a) => ((json(a)?.accepted ?? 0) > 0 ? "allow" : "deny") }],
  },

  // ---------------------------------------------------------------- log and alert reads
  "GET /api/alerts": {
    allow: read(),
    targets: [
      ...orgTargets((org) => ({ call: (w) => get(`/api/alerts?${q({ from: w.from, to: w.to, organization: org })}`) })),
      contentOf(OTHER, () => `"id":"${OTHER}"`, (w) => get(`/api/alerts?${q({ from: w.from, to: w.to })}`)),
      { name: `${CITY} after the audit period`, org: CITY, outsidePeriod: true, call: (w) => get(`/api/alerts?${q({ from: w.auditTo, to: w.to, organization: CITY })}`), judge: (a) => ((json(a)?.total ?? 0) > 0 ? "allow" : "deny") },
    ],
  },
  "GET /api/events/export": {
    allow: read(),
    targets: [
      ...orgTargets((org) => ({ call: (w) => get(`/api/events/export?${q({ from: w.from, to: w.to, organization: org })}`) })),
      contentOf(OTHER, () => `,${OTHER},`, (w) => get(`/api/events/export?${q({ from: w.from, to: w.to })}`)),
      { name: `${CITY} after the audit period`, org: CITY, outsidePeriod: true, call: (w) => get(`/api/events/export?${q({ from: w.auditTo, to: w.to, organization: CITY })}`), judge: (a) => (a.body.trim().split("\n").length > 1 ? "allow" : "deny") },
      { name: `${CITY} inside the audit period`, org: CITY, call: (w) => get(`/api/events/export?${q({ from: w.dayStart(7), to: w.auditTo, organization: CITY })}`), judge: (a) => (a.body.trim().split("\n").length > 1 ? "allow" : "deny") },
    ],
  },
  "GET /api/dashboard": {
    allow: read(),
    targets: [
      { name: "own dashboard", call: (w) => get(`/api/dashboard?${q({ from: w.from, to: w.to })}`) },
      contentOf(OTHER, () => `"organization":"${OTHER}"`, (w) => get(`/api/dashboard?${q({ from: w.from, to: w.to })}`)),
      // Detector runs and gaps are deployment-wide: prefecture (or national) staff only.
      { name: "deployment-wide detector runs", org: PREF, call: (w) => get(`/api/dashboard?${q({ from: w.from, to: w.to })}`), judge: (a) => ((json(a)?.detectorRuns?.length ?? 0) + (json(a)?.gaps?.length ?? 0) > 0 ? "allow" : "deny") },
    ],
  },
  "GET /api/reports/usage": { allow: read(), targets: orgTargets((org) => ({ call: () => get(`/api/reports/usage?${q({ organization: org })}`) })) },
  "GET /api/reports/provisions": { allow: read(), targets: orgTargets((org) => ({ call: () => get(`/api/reports/provisions?${q({ organization: org })}`) })) },

  // ---------------------------------------------------------------- self-inspection (checklist)
  "GET /api/checklist/assessments/[id]/export": { allow: read(), targets: CITY_AND_OTHER((org) => ({ call: (w) => get(`/api/checklist/assessments/${w.assessment[org]}/export?format=xlsx`) })) },
  "GET /api/checklist/evidence/[id]": { allow: read(), targets: CITY_AND_OTHER((org) => ({ call: (w) => get(`/api/checklist/evidence/${w.evidence[org]}`) })) },
  "GET /api/checklist/rounds/[id]/summary": { allow: read(), targets: [{ name: "last year's round", call: (w) => get(`/api/checklist/rounds/${w.round}/summary`) }] },
  "POST /api/checklist/assessments/[id]/evidence": {
    // The assessments are accepted (locked): an editor is refused by state ("locked"), anyone else by permission.
    allow: checklistEditor,
    targets: CITY_AND_OTHER((org) => ({ call: (w, _c, n) => ({ method: "POST", url: `/api/checklist/assessments/${w.assessment[org]}/evidence`, form: { itemId: "LOG-01", file: file(`authz-${n}.txt`, "authz\n") } }) })),
  },

  // ---------------------------------------------------------------- external audits
  "GET /api/audits/[id]/[org]/[doc]": {
    allow: engagementDocReader,
    targets: [
      ...CITY_AND_OTHER((org) => ({ call: (w) => get(`/api/audits/${engagementOf(w, org)}/${org}/plan`) })),
      // Issuing the notice changes data: never by GET (issue 10 §6: an explicit POST).
      {
        name: `${CITY}'s notice by GET (a state change)`,
        org: CITY,
        allow: nobody,
        setup: async (w) => void (await (await db()).engagementOrganization.updateMany({ where: { engagementId: w.engagement.own }, data: { noticeIssuedAt: null } })),
        call: (w) => get(`/api/audits/${w.engagement.own}/${CITY}/notice`), effect: async (w) => !!(await (await db()).engagementOrganization.findFirst({ where: { engagementId: w.engagement.own, organizationId: CITY, noticeIssuedAt: { not: null } } })),
      },
    ],
  },
  "GET /api/audits/attachments/[id]": { allow: engagementDocReader, targets: CITY_AND_OTHER((org) => ({ call: (w) => get(`/api/audits/attachments/${w.attachment[org]}`) })) },
  "POST /api/audits/findings/[id]/attachments": {
    allow: (c, t) => engagementAuditor(c, t) || auditedMunicipality(c, t),
    targets: CITY_AND_OTHER((org) => ({
      call: (w, _c, n) => ({ method: "POST", url: `/api/audits/findings/${w.finding[org]}/attachments`, form: { file: file(`authz-${n}.txt`, "authz\n") } }),
      effect: async (w, _c, n) => (await (await db()).auditFindingAttachment.count({ where: { findingId: w.finding[org], fileName: `authz-${n}.txt` } })) > 0,
    })),
  },

  // ---------------------------------------------------------------- pages
  "PAGE /dashboard": { allow: page(), targets: [{ name: "own dashboard", call: (w) => get(`/dashboard?${q({ from: w.from, to: w.to })}`) }, contentOf(OTHER, () => `organization=${OTHER}`, (w) => get(`/dashboard?${q({ from: w.from, to: w.to })}`))] },
  "PAGE /alerts": { allow: page(), targets: orgTargets((org) => ({ call: (w) => get(`/alerts?${q({ from: w.from, to: w.to, organization: org })}`) })) },
  "PAGE /alerts/[id]": {
    allow: page(),
    targets: [
      // 下関市's after-hours alert is two days old: after the auditor's audit period.
      { name: `${CITY}'s alert`, org: CITY, outsidePeriod: true, call: (w) => get(`/alerts/${w.alert[CITY]}`) },
      { name: `${OTHER}'s alert`, org: OTHER, call: (w) => get(`/alerts/${w.alert[OTHER]}`) },
    ],
  },
  "PAGE /events": { allow: page(), targets: orgTargets((org) => ({ call: (w) => get(`/events?${q({ from: w.from, to: w.to, organization: org })}`) })) },
  "PAGE /entities/[type]/[id]": { allow: page(), targets: orgTargets((org) => ({ call: (w) => get(`/entities/operator/${operatorOf(org)}?${q({ from: w.from, to: w.to })}`) })) },
  "PAGE /reports/usage": { allow: page(), targets: orgTargets((org) => ({ call: () => get(`/reports/usage?${q({ organization: org })}`) })) },
  "PAGE /reports/provisions": { allow: page(), targets: orgTargets((org) => ({ call: () => get(`/reports/provisions?${q({ organization: org })}`) })) },
  "PAGE /disclosure": { allow: page(["municipal_officer", "monitor", "admin"]), targets: [{ name: "disclosure form", call: () => get("/disclosure") }] },
  // The engagement list: allowed when it lists what the caller may see (an expired auditor's empty list counts as refused).
  "PAGE /checklist": { allow: page(), targets: [{ name: "checklist home", call: () => get("/checklist") }] },
  "PAGE /checklist/rounds/[id]": { allow: page(), targets: [{ name: "last year's round", call: (w) => get(`/checklist/rounds/${w.round}`) }] },
  "PAGE /checklist/assessments/[id]": { allow: page(), targets: CITY_AND_OTHER((org) => ({ call: (w) => get(`/checklist/assessments/${w.assessment[org]}`) })) },
  "PAGE /audits": { allow: page(), targets: [{ name: "engagement list", call: () => get("/audits"), judge: (a) => (a.body.includes("authz 監査法人") ? "allow" : "deny") }] },
  "PAGE /audits/[id]": { allow: engagementReader, targets: CITY_AND_OTHER((org) => ({ call: (w) => get(`/audits/${engagementOf(w, org)}`) })) },
  "PAGE /audits/[id]/[org]": { allow: engagementReader, targets: CITY_AND_OTHER((org) => ({ call: (w) => get(`/audits/${engagementOf(w, org)}/${org}`) })) },
  "PAGE /account/totp": {
    // Enrolled users are sent on to the dashboard: reached, not refused.
    allow: (c) => session(c),
    targets: [{ name: "TOTP enrolment", call: () => get("/account/totp"), judge: (a) => (a.location && new URL(a.location, BASE_URL).pathname === "/dashboard" ? "allow" : undefined) }],
  },
  "PAGE /admin/users": { allow: page(["admin"]), targets: [{ name: "user list", call: () => get("/admin/users") }, contentOf(OTHER, () => `<td>${OTHER}</td>`, () => get("/admin/users")), contentOf(PREF, () => `<td>${PREF}</td>`, () => get("/admin/users"))] },
  "PAGE /admin/nodes": { allow: page(["admin"]), targets: [{ name: "nodes", call: () => get("/admin/nodes") }, contentOf(OTHER, () => `<td>CS-${OTHER}</td>`, () => get("/admin/nodes"))] },
  "PAGE /admin/registry": { allow: page(["admin"]), targets: [{ name: "registry", call: () => get("/admin/registry") }, contentOf(OTHER, () => `value="${OTHER}"`, () => get("/admin/registry"))] },
  "PAGE /admin/permits": {
    allow: page(["admin"]),
    targets: [
      { name: "after-hours permits", call: () => get("/admin/permits") },
      {
        ...contentOf(OTHER, () => `authz-permit-of-${OTHER}`, () => get("/admin/permits")),
        setup: async () => {
          const key = { organizationId: OTHER, start: new Date("2031-06-01T17:15:00+09:00"), end: new Date("2031-06-01T19:00:00+09:00"), operators: "[]" };
          await (await db()).afterHoursPermit.upsert({ where: { organizationId_start_end_operators: key }, create: { ...key, reason: `authz-permit-of-${OTHER}`, createdBy: "authz" }, update: {} });
        },
      },
    ],
  },
  "ACTION app/_actions/permits.ts#addPermitAction": {
    allow: administers,
    targets: orgTargets((org) => ({
      call: (_w, _c, n) => ({ action: true, form: { organization: org, operators: "", start: "2031-05-29T17:15", end: "2031-05-29T19:00", reason: `authz-${n}` } }),
      effect: async (_w, _c, n) => (await (await db()).afterHoursPermit.count({ where: { reason: `authz-${n}` } })) > 0,
    })),
  },
  "ACTION app/_actions/permits.ts#removePermitAction": {
    allow: administers,
    targets: orgTargets((org) => ({
      setup: async (_w, n) => {
        const row = await (await db()).afterHoursPermit.create({
          data: { organizationId: org, start: new Date(Date.parse("2031-07-01T17:15:00+09:00") + n * 60_000), end: new Date(Date.parse("2031-07-01T19:00:00+09:00") + n * 60_000), operators: "[]", reason: `authz-remove-${n}`, createdBy: "authz" },
        });
        return { id: String(row.id) };
      },
      call: (_w, _c, _n, p) => ({ action: true, form: { id: p.id } }),
      effect: async (_w, _c, _n, p) => (await (await db()).afterHoursPermit.count({ where: { id: Number(p.id) } })) === 0,
    })),
  },
  "PAGE /admin/detection": { allow: page(["admin"]), targets: [{ name: "detection settings", call: () => get("/admin/detection") }, contentOf(OTHER, () => `OP-${OTHER}-003`, () => get("/admin/detection"))] },
  "PAGE /audit-trail": { allow: page(["admin", "monitor"]), targets: [{ name: "audit trail", call: () => get("/audit-trail") }, contentOf(OTHER, () => `<td>${OTHER}</td>`, () => get("/audit-trail"))] },

  // ---------------------------------------------------------------- server actions: administration
  "ACTION app/_actions/admin.ts#addSuppressionAction": {
    allow: administers,
    targets: orgTargets((org) => ({
      call: (_w, _c, n) => ({ action: true, form: { ruleId: "authz-matrix", entityType: "operator", entityId: operatorOf(org), until: "2031-01-31", reason: `authz-${n}`, organization: org } }),
      effect: async (_w, _c, n) => (await (await db()).suppression.count({ where: { reason: `authz-${n}` } })) > 0,
    })),
  },
  "ACTION app/_actions/admin.ts#addExceptionAction": {
    allow: administers,
    targets: orgTargets((org) => ({
      call: (_w, _c, n) => ({ action: true, form: { ruleId: "authz-matrix", entityType: "operator", entityId: operatorOf(org), reason: `authz-${n}`, organization: org } }),
      effect: async (_w, _c, n) => (await (await db()).ruleException.count({ where: { reason: `authz-${n}` } })) > 0,
    })),
  },
  "ACTION app/_actions/admin.ts#removeDetectionSettingAction": {
    allow: administers,
    targets: orgTargets((org) => ({
      // A suppression of that organisation's operator, created through the database.
      setup: async (_w, n) => {
        const data = { ruleId: "authz-matrix", entityType: "operator", entityId: operatorOf(org), until: new Date("2031-01-31"), reason: `authz-remove-${n}`, createdBy: "authz" };
        const row = await (await db()).suppression.create({ data: { ...data, organizationId: org } });
        return { id: String(row.id) };
      },
      call: (_w, _c, _n, p) => ({ action: true, form: { kind: "suppression", id: p.id } }),
      effect: async (_w, _c, _n, p) => (await (await db()).suppression.count({ where: { id: Number(p.id) } })) === 0,
    })),
  },
  "ACTION app/_actions/admin.ts#issueTokenAction": {
    allow: administers,
    targets: orgTargets((org) => ({
      setup: async () => ({ before: String(await (await db()).nodeToken.count({ where: { nodeId: nodeOf(org) } })) }),
      // useActionState: (previous state, form), the token comes back in the state (never in a URL).
      call: () => ({ action: true, form: { nodeId: nodeOf(org) }, previousState: true }),
      effect: async (_w, _c, _n, p) => (await (await db()).nodeToken.count({ where: { nodeId: nodeOf(org) } })) > Number(p.before),
    })),
  },
  "ACTION app/_actions/admin.ts#revokeTokenAction": {
    allow: administers,
    targets: orgTargets((org) => ({
      setup: async () => {
        const { issueNodeToken } = await import("../../domain/registry/tokens");
        const { systemScope } = await import("../../lib/auth/scope");
        return { tokenId: (await issueNodeToken(nodeOf(org), systemScope("test"))).id };
      },
      call: (_w, _c, _n, p) => ({ action: true, form: { tokenId: p.tokenId } }),
      effect: async (_w, _c, _n, p) => !!(await (await db()).nodeToken.findUnique({ where: { id: p.tokenId } }))?.revokedAt,
    })),
  },
  "ACTION app/_actions/admin.ts#importRegistryAction": {
    allow: administers,
    targets: [
      ...orgTargets((org) => ({
        setup: async () => void (await (await db()).terminal.deleteMany({ where: { id: terminalOf(org) } })),
        call: (_w, _c, n) => ({ action: true, form: { file: file(`authz-${n}.json`, JSON.stringify({ terminals: [{ id: terminalOf(org), organization: org, ip: `10.35.250.${n % 250}` }] })) } }),
        effect: async () => (await (await db()).terminal.count({ where: { id: terminalOf(org) } })) > 0,
      })),
      {
        // The organisation tree itself (kind, parent): prefecture admins only. The row is imported unchanged, so an allowed import changes nothing.
        name: `tree: ${OTHER}'s parent and kind`,
        org: OTHER,
        allow: administersTree,
        call: (_w, _c, n) => ({ action: true, form: { file: file(`authz-${n}.json`, JSON.stringify({ organizations: [{ id: OTHER, name: "山口市", kind: "municipality", parent: PREF, business_hours: { start: "08:30", end: "17:30" } }] })) } }),
        effect: async (_w, _c, n) => auditFound("registry_imported", `authz-${n}.json`),
      },
    ],
  },
  "ACTION app/_actions/admin.ts#addMaintenanceWindowAction": {
    allow: administers,
    targets: orgTargets((org) => ({
      call: (_w, _c, n) => ({ action: true, form: { organization: org, start: FAR.start, end: FAR.end, note: `authz-${n}` } }),
      effect: async (_w, _c, n) => (await (await db()).maintenanceWindow.count({ where: { note: `authz-${n}` } })) > 0,
    })),
  },
  "ACTION app/_actions/accounts.ts#unlockAction": {
    allow: unlocks,
    targets: [PREF, CITY, OTHER].map((org) => ({
      name: `locked account of ${org}`,
      org,
      setup: async (w) => void (await (await db()).user.update({ where: { id: w.locked[org] }, data: { lockedAt: new Date(), failedAttempts: 5 } })),
      call: (w) => ({ action: true, form: { userId: w.locked[org] } }),
      effect: async (w) => !(await (await db()).user.findUnique({ where: { id: w.locked[org] } }))?.lockedAt,
    })),
  },
  "ACTION app/_actions/accounts.ts#confirmTotpAction": {
    // Self-service: any signed-in user may try a code (a wrong one goes back to the form).
    allow: (c) => session(c),
    targets: [{ name: "a wrong code", judgeAll: true, call: () => ({ action: true, form: { code: "000000" } }), judge: (a) => (a.location && new URL(a.location, BASE_URL).pathname === "/account/totp" ? "allow" : undefined) }],
  },

  // ---------------------------------------------------------------- server actions: alerts and disclosure
  // Turns the explorer's form (a typed 住民票コード) into a URL with references only; reads nothing.
  "ACTION app/_actions/events.ts#searchEventsAction": {
    allow: (c) => session(c) && !!c.role,
    targets: [{ name: "explorer search form", call: () => ({ action: true, form: { range: "7d", subject: "12345678901" } }) }],
  },
  "ACTION app/_actions/alerts.ts#triageAction": {
    allow: (c, t) => session(c) && has(c, ["admin", "monitor"]) && inScope(c, t),
    targets: CITY_AND_OTHER((org) => ({
      call: (w, _c, n) => ({ action: true, form: { ids: w.alert[org], action: "note", note: `authz-${n}` } }),
      effect: async (w, _c, n) => {
        const { es } = await import("../../lib/es/client");
        const { alertsIndex } = await import("../../domain/alerts");
        const r = await es().search({ index: alertsIndex(), query: { ids: { values: [w.alert[org]] } }, size: 1 });
        return JSON.stringify(r.hits.hits[0]?._source ?? {}).includes(`authz-${n}`);
      },
    })),
  },
  "ACTION app/_actions/disclosure.ts#disclosureAction": {
    allow: page(["municipal_officer", "monitor", "admin"]),
    targets: [{ name: "a resident's disclosure", call: () => ({ action: true, previousState: true, form: { residentCode: "99999999999", from: "2025-04-01", to: "2026-03-31" } }) }],
  },

  // ---------------------------------------------------------------- server actions: checklist (last year's accepted, locked assessments)
  "ACTION app/_actions/checklist.ts#saveAnswerAction": { allow: checklistEditor, targets: CITY_AND_OTHER((org) => ({ call: (w) => ({ action: true, json: [{ assessmentId: w.assessment[org], itemId: "LOG-01", comment: "authz" }] }) })) },
  "ACTION app/_actions/checklist.ts#saveReviewCommentAction": { allow: checklistReviewer, targets: CITY_AND_OTHER((org) => ({ call: (w) => ({ action: true, json: [{ assessmentId: w.assessment[org], itemId: "LOG-01", text: "authz" }] }) })) },
  "ACTION app/_actions/checklist.ts#submitAction": { allow: checklistEditor, targets: CITY_AND_OTHER((org) => ({ call: (w) => ({ action: true, form: { assessmentId: w.assessment[org] } }) })) },
  "ACTION app/_actions/checklist.ts#adoptPreviousAction": { allow: checklistEditor, targets: CITY_AND_OTHER((org) => ({ call: (w) => ({ action: true, form: { assessmentId: w.assessment[org] } }) })) },
  "ACTION app/_actions/checklist.ts#removeEvidenceAction": {
    allow: checklistEditor,
    targets: CITY_AND_OTHER((org) => ({
      // No side-effect probe: the assessment is locked, so even its editors change nothing; the refusal's message tells permission from state.
      call: (w) => ({ action: true, form: { assessmentId: w.assessment[org], evidenceId: w.evidence[org] } }),
    })),
  },
  "ACTION app/_actions/checklist.ts#returnAction": { allow: checklistReviewer, targets: CITY_AND_OTHER((org) => ({ call: (w) => ({ action: true, form: { assessmentId: w.assessment[org] } }) })) },
  "ACTION app/_actions/checklist.ts#acceptAction": { allow: checklistReviewer, targets: CITY_AND_OTHER((org) => ({ call: (w) => ({ action: true, form: { assessmentId: w.assessment[org] } }) })) },
  "ACTION app/_actions/checklist.ts#openRoundAction": {
    // A deadline in the past: prefecture staff get past the permission check and are refused by the date.
    allow: (c) => session(c) && !!c.prefectureStaff,
    targets: [{ name: "a round with a past deadline", call: () => ({ action: true, form: { fiscalYear: "2031", deadline: "2020-01-31" } }) }],
  },

  // ---------------------------------------------------------------- server actions: external audits (inputs invalid after the permission check: nothing changes)
  "ACTION app/_actions/audits.ts#issueNoticeAction": {
    // The engagement's auditors or the prefecture's staff issue the notice; the municipality does not.
    allow: (c, t) => engagementAuditor(c, t) || checklistReviewer(c, t),
    targets: CITY_AND_OTHER((org) => ({
      setup: async (w) => void (await (await db()).engagementOrganization.updateMany({ where: { engagementId: engagementOf(w, org), organizationId: org }, data: { noticeIssuedAt: null } })),
      call: (w) => ({ action: true, form: { engagementId: engagementOf(w, org), organizationId: org } }),
      effect: async (w) => !!(await (await db()).engagementOrganization.findFirst({ where: { engagementId: engagementOf(w, org), organizationId: org, noticeIssuedAt: { not: null } } })),
    })),
  },
  "ACTION app/_actions/audits.ts#createEngagementAction": {
    allow: (c) => session(c) && c.role === "admin" && !!c.prefectureStaff,
    targets: [{ name: `an engagement for ${CITY} without a firm`, org: CITY, call: () => ({ action: true, form: { firm: "", fiscalYear: "2031", accessFrom: "2031-01-01", accessTo: "2031-02-01", auditFrom: "2030-04-01", auditTo: "2031-03-31", organizations: CITY, auditors: "authz-auditor" } }) }],
  },
  "ACTION app/_actions/audits.ts#updatePlanAction": { allow: engagementAuditor, targets: CITY_AND_OTHER((org) => ({ call: (w) => ({ action: true, form: { engagementId: engagementOf(w, org), scope: "authz", phase: "bogus" } }) })) },
  "ACTION app/_actions/audits.ts#createFindingAction": { allow: engagementAuditor, targets: CITY_AND_OTHER((org) => ({ call: (w) => ({ action: true, form: { engagementId: engagementOf(w, org), organizationId: org, title: "", grade: "minor" } }) })) },
  "ACTION app/_actions/audits.ts#updateFindingAction": { allow: engagementAuditor, targets: CITY_AND_OTHER((org) => ({ call: (w) => ({ action: true, form: { engagementId: engagementOf(w, org), organizationId: org, findingId: w.finding[org], title: "", grade: "minor" } }) })) },
  "ACTION app/_actions/audits.ts#respondToFindingAction": { allow: auditedMunicipality, targets: CITY_AND_OTHER((org) => ({ call: (w) => ({ action: true, form: { engagementId: engagementOf(w, org), organizationId: org, findingId: w.finding[org], response: "", remediationPlan: "" } }) })) },
  "ACTION app/_actions/audits.ts#setFindingStatusAction": { allow: engagementAuditor, targets: CITY_AND_OTHER((org) => ({ call: (w) => ({ action: true, form: { engagementId: engagementOf(w, org), organizationId: org, findingId: w.finding[org], status: "bogus" } }) })) },
  "ACTION app/_actions/audits.ts#saveReportAction": { allow: engagementAuditor, targets: CITY_AND_OTHER((org) => ({ call: (w) => ({ action: true, form: { engagementId: engagementOf(w, org), organizationId: org, opinion: "", conclusion: "bogus", scopeAndMethod: "" } }) })) },
  "ACTION app/_actions/audits.ts#moveReportAction": { allow: engagementAuditor, targets: CITY_AND_OTHER((org) => ({ call: (w) => ({ action: true, form: { engagementId: engagementOf(w, org), organizationId: org, to: "review" } }) })) },
};

/**
 * The authorization matrix's world: its own seeded objects (so other specs'
 * data stays as they expect it), the callers, and the plumbing that sends one
 * request per check and classifies the answer as allowed or refused.
 *
 * Seeding runs in the test process against the e2e database and
 * Elasticsearch that global setup started (it passes their environment on).
 */
import fs from "node:fs";
import path from "node:path";
import type { APIRequestContext, APIResponse, Browser } from "@playwright/test";
import { BASE_URL, contextFor, nextCode, PASSWORD, seeded, STATE_FILE, type UserKey } from "../fixtures";

export const PREF = "350001";
export const CITY = "352012"; // 下関市: the municipal callers' own organisation
export const OTHER = "352039"; // 山口市: a municipality of the same prefecture, foreign to them
export const WAKI = "353213";
export const NATIONAL = "000001"; // outside the prefecture: foreign to the prefecture's callers
export const PREF_TREE = [PREF, CITY, OTHER, WAKI];
export const DAY = 86_400_000;

export type CallerKey = "anonymous" | "prefAdmin" | "cityAdmin" | "monitor" | "officer" | "auditor" | "expiredAuditor" | "apiToken" | "nodeToken";
export type Role = "admin" | "monitor" | "auditor" | "municipal_officer";

export interface Caller {
  key: CallerKey;
  /** How it authenticates. */
  via: "none" | "session" | "apiToken" | "nodeToken";
  role?: Role;
  org?: string;
  login?: string;
  /** The organisations it may read (the intended policy, not what the console does). */
  scope: string[];
  /** Prefecture staff (an admin or monitor of a prefecture). */
  prefectureStaff?: boolean;
}

export const CALLERS: Caller[] = [
  { key: "anonymous", via: "none", scope: [] },
  { key: "prefAdmin", via: "session", role: "admin", org: PREF, login: "e2e-pref-admin", scope: PREF_TREE, prefectureStaff: true },
  { key: "cityAdmin", via: "session", role: "admin", org: CITY, login: "e2e-shimonoseki-admin", scope: [CITY] },
  { key: "monitor", via: "session", role: "monitor", org: PREF, login: "e2e-monitor", scope: PREF_TREE, prefectureStaff: true },
  { key: "officer", via: "session", role: "municipal_officer", org: CITY, login: "e2e-shimonoseki", scope: [CITY] },
  // Engaged for 下関市 (engagement E1), access period now, audit period ending three days ago.
  { key: "auditor", via: "session", role: "auditor", org: PREF, login: "authz-auditor", scope: [CITY] },
  { key: "expiredAuditor", via: "session", role: "auditor", org: PREF, login: "e2e-auditor-expired", scope: [] },
  // A read API token of a municipal officer of 下関市.
  { key: "apiToken", via: "apiToken", role: "municipal_officer", org: CITY, scope: [CITY] },
  // 下関市's node (CS-352012): may only ingest its own municipality's events.
  { key: "nodeToken", via: "nodeToken", org: CITY, scope: [CITY] },
];

const AUDITOR_SECRET = "KBQXG43XN5ZGIMJTGM2DKNRXHAZDCMRU";

export interface World {
  from: string;
  to: string;
  /** Start of the JST day `n` days ago. */
  dayStart: (n: number) => string;
  /** End (exclusive) of the auditor's audit period: events after it are outside. */
  auditTo: string;
  alert: Record<string, string>;
  engagement: { own: string; foreign: string };
  finding: Record<string, string>;
  attachment: Record<string, string>;
  assessment: Record<string, string>;
  evidence: Record<string, string>;
  round: string;
  locked: Record<string, string>;
  lockedLogin: Record<string, string>;
  apiToken: string;
  nodeToken: string;
  userId: Record<string, string>;
  /** Incident response objects per organisation: an open incident, an open investigation request with an attachment, a contact. */
  incident: Record<string, string>;
  investigation: Record<string, string>;
  investigationAttachment: Record<string, string>;
  /** Training register (issue 17) per organisation: a session of today with one material. */
  trainingSession: Record<string, string>;
  trainingMaterial: Record<string, string>;
}

const WORLD_FILE = path.join(path.dirname(STATE_FILE), "authz-world.json");

/** Seeds the matrix's own objects once per e2e run (kept in test-results, keyed by the run's seeded engagement, so a retried worker reuses them). */
export async function world(): Promise<World> {
  const state = seeded();
  if (fs.existsSync(WORLD_FILE)) {
    const w = JSON.parse(fs.readFileSync(WORLD_FILE, "utf8"));
    if (w.seededFor === state.expiredEngagement) return { ...w, dayStart: dayStartOf(Date.parse(w.now)) };
  }
  const { db } = await import("../../lib/db");
  const { createUser } = await import("../../lib/auth/accounts");
  const now = Date.now();
  const dayStart = dayStartOf(now);
  const user = async (loginId: string, role: Role, organizationId: string, totpSecret?: string) => {
    await createUser({ loginId, name: `authz ${loginId}`, role, organizationId, password: PASSWORD, totpSecret });
    return db().user.findUniqueOrThrow({ where: { loginId } });
  };
  const auditor = await user("authz-auditor", "auditor", PREF, AUDITOR_SECRET);
  const auditor2 = await user("authz-auditor-2", "auditor", PREF, "KBQXG43XN5ZGIMJTGM2DKNRXHAZDCMRV");
  const locked: Record<string, string> = {};
  const lockedLogin: Record<string, string> = {};
  for (const [org, role] of [
    [PREF, "admin"],
    [CITY, "municipal_officer"],
    [OTHER, "municipal_officer"],
  ] as const) {
    const u = await user(`authz-locked-${org}`, role, org);
    await db().user.update({ where: { id: u.id }, data: { lockedAt: new Date(), failedAttempts: 5 } });
    locked[org] = u.id;
    lockedLogin[org] = u.loginId;
  }
  const auditTo = dayStart(3);
  const engagement = async (org: string, auditorId: string) =>
    (
      await db().auditEngagement.create({
        data: {
          firm: `authz 監査法人 ${org}`,
          prefectureId: PREF,
          fiscalYear: 2025,
          accessFrom: new Date(now - DAY),
          accessTo: new Date(now + 30 * DAY),
          auditFrom: new Date(now - 400 * DAY),
          auditTo: new Date(auditTo),
          organizations: { create: [{ organizationId: org }] },
          auditors: { create: [{ userId: auditorId }] },
        },
      })
    ).id;
  const e1 = await engagement(CITY, auditor.id);
  const e2 = await engagement(OTHER, auditor2.id);
  const finding = async (engagementId: string, organizationId: string, createdById: string) =>
    (
      await db().auditFinding.create({
        data: {
          engagementId,
          organizationId,
          number: 1,
          title: "authz finding",
          criterion: "c",
          condition: "c",
          cause: "c",
          effect: "c",
          recommendation: "r",
          grade: "minor",
          createdById,
        },
      })
    ).id;
  const f1 = await finding(e1, CITY, auditor.id);
  const f2 = await finding(e2, OTHER, auditor2.id);
  const { addFindingAttachment } = await import("../../domain/audits/workflow");
  const actor = (u: { id: string; loginId: string }) => ({ kind: "user" as const, id: u.id, login: u.loginId, role: "auditor" as const, organizationId: PREF });
  const att1 = (await addFindingAttachment(actor(auditor), f1, { name: "authz-own.txt", bytes: Buffer.from("authz own attachment\n") })).id;
  const att2 = (await addFindingAttachment(actor(auditor2), f2, { name: "authz-foreign.txt", bytes: Buffer.from("authz foreign attachment\n") })).id;

  // Last fiscal year's accepted self-inspection (global setup): locked, so allowed state changes are refused by state, not by permission.
  const assessments = await db().assessment.findMany({
    where: { organizationId: { in: [CITY, OTHER] } },
    orderBy: { round: { fiscalYear: "asc" } },
    include: { round: true },
  });
  const a1 = assessments.find((a) => a.organizationId === CITY)!;
  const a2 = assessments.find((a) => a.organizationId === OTHER && a.roundId === a1.roundId)!;
  const { storeEvidence } = await import("../../domain/evidence");
  const evidence: Record<string, string> = {};
  for (const a of [a1, a2]) {
    const stored = storeEvidence({ name: `authz-${a.organizationId}.txt`, bytes: Buffer.from(`authz evidence ${a.organizationId}\n`) });
    evidence[a.organizationId] = (
      await db().assessmentEvidence.create({ data: { assessmentId: a.id, itemId: "LOG-01", ...stored, uploadedById: auditor.id } })
    ).id;
  }
  const { issueApiToken } = await import("../../lib/auth/api-tokens");
  const api = await issueApiToken({ name: "authz matrix", role: "municipal_officer", organizationId: CITY });
  const { issueNodeToken } = await import("../../domain/registry/tokens");
  const { systemScope } = await import("../../lib/auth/scope");
  const node = await issueNodeToken(`CS-${CITY}`, systemScope("test"));
  const incident: Record<string, string> = {};
  const investigation: Record<string, string> = {};
  const investigationAttachment: Record<string, string> = {};
  for (const org of [CITY, OTHER]) {
    const i = await db().incident.create({
      data: {
        title: `authz-incident-of-${org}`,
        kind: "other",
        level: 1,
        levelVersion: 0,
        organizationId: org,
        summary: "authz",
        openedBy: "authz",
        organizations: { create: [{ organizationId: org }] },
      },
    });
    incident[org] = String(i.id);
    const r = await db().investigationRequest.create({
      data: { organizationId: org, incidentId: i.id, question: `authz-request-of-${org}`, dueAt: new Date(now + 30 * DAY), requestedBy: "authz" },
    });
    investigation[org] = String(r.id);
    const stored = storeEvidence({ name: `authz-answer-${org}.txt`, bytes: Buffer.from(`authz answer ${org}\n`) });
    investigationAttachment[org] = (await db().investigationAttachment.create({ data: { requestId: r.id, ...stored, uploadedById: "authz" } })).id;
    await db().contact.create({ data: { organizationId: org, role: "other", name: `authz-contact-of-${org}` } });
  }
  // Training register (issue 17): a session of today per organisation, with a material.
  const trainingSession: Record<string, string> = {};
  const trainingMaterial: Record<string, string> = {};
  for (const org of [CITY, OTHER]) {
    const stored = storeEvidence({ name: `authz-material-${org}.txt`, bytes: Buffer.from(`authz material ${org}\n`) });
    const s = await db().trainingSession.create({
      data: {
        organizationId: org,
        kind: "security_training",
        title: `authz-training-of-${org}`,
        heldOn: new Date(dayStart(0)),
        participantCount: 1,
        recordedBy: "authz",
        materials: { create: [{ ...stored, uploadedById: "authz" }] },
      },
      include: { materials: true },
    });
    trainingSession[org] = String(s.id);
    trainingMaterial[org] = s.materials[0].id;
  }
  const users = await db().user.findMany({ select: { id: true, loginId: true } });
  const w = {
    seededFor: state.expiredEngagement,
    now: new Date(now).toISOString(),
    from: state.from,
    to: state.to,
    auditTo,
    // 下関市's late-night incident of two days ago (its only after-hours work by OP-…-003) lies after the audit period whatever
    // the weekday; the ordinary traffic raises weekend alerts too, whose span can reach back into the period.
    alert: { [CITY]: state.alerts[CITY].find((a) => a.entity === `OP-${CITY}-003`)!.id, [OTHER]: state.alerts[OTHER].at(-1)!.id },
    engagement: { own: e1, foreign: e2 },
    finding: { [CITY]: f1, [OTHER]: f2 },
    attachment: { [CITY]: att1, [OTHER]: att2 },
    assessment: { [CITY]: a1.id, [OTHER]: a2.id },
    evidence,
    round: a1.roundId,
    locked,
    lockedLogin,
    apiToken: api.token,
    nodeToken: node.token,
    userId: Object.fromEntries(users.map((u) => [u.loginId, u.id])),
    incident,
    investigation,
    investigationAttachment,
    trainingSession,
    trainingMaterial,
  };
  fs.writeFileSync(WORLD_FILE, JSON.stringify(w, null, 2));
  return { ...w, dayStart };
}

function dayStartOf(now: number) {
  return (daysAgo: number) => new Date(Math.floor((now + 9 * 3600_000) / DAY - daysAgo) * DAY - 9 * 3600_000).toISOString();
}

// ------------------------------------------------------------------ callers

const FIXTURE_KEYS: Partial<Record<CallerKey, UserKey>> = {
  prefAdmin: "prefAdmin",
  cityAdmin: "cityAdmin",
  monitor: "monitor",
  officer: "shimonoseki",
  expiredAuditor: "expiredAuditor",
};
const CONTEXT = { baseURL: BASE_URL, locale: "ja-JP", timezoneId: "Asia/Tokyo" };

/** One request context per caller: signed in through the API (as fixtures.ts does), or carrying a bearer token. */
export async function requestContexts(browser: Browser, w: World): Promise<Record<CallerKey, { request: APIRequestContext; headers: Record<string, string> }>> {
  const out = {} as Record<CallerKey, { request: APIRequestContext; headers: Record<string, string> }>;
  for (const c of CALLERS) {
    const fixture = FIXTURE_KEYS[c.key];
    if (fixture) out[c.key] = { request: (await contextFor(browser, fixture)).request, headers: {} };
    else if (c.key === "auditor") out[c.key] = { request: await signIn(browser, "authz-auditor", AUDITOR_SECRET), headers: {} };
    else {
      const ctx = await browser.newContext(CONTEXT);
      const token = c.via === "apiToken" ? w.apiToken : c.via === "nodeToken" ? w.nodeToken : undefined;
      out[c.key] = { request: ctx.request, headers: token ? { authorization: `Bearer ${token}` } : {} };
    }
  }
  return out;
}

async function signIn(browser: Browser, loginId: string, secret: string): Promise<APIRequestContext> {
  const file = path.join(path.dirname(STATE_FILE), "e2e-auth", `authz-${loginId}.json`);
  if (fs.existsSync(file)) return (await browser.newContext({ ...CONTEXT, storageState: file })).request;
  const ctx = await browser.newContext(CONTEXT);
  const csrf = (await (await ctx.request.get("/api/auth/csrf")).json()).csrfToken as string;
  const res = await ctx.request.post("/api/auth/callback/credentials", {
    form: { csrfToken: csrf, loginId, password: PASSWORD, totp: nextCode(secret), json: "true" },
  });
  if (!res.ok()) throw new Error(`sign-in of ${loginId} failed: ${res.status()}`);
  const session = await (await ctx.request.get("/api/auth/session")).json();
  if (!session?.user) throw new Error(`sign-in of ${loginId} gave no session`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await ctx.storageState({ path: file });
  return ctx.request;
}

// ------------------------------------------------------------------ requests and outcomes

export type Outcome = "allow" | "deny" | "error";
export interface Answer {
  status: number;
  location?: string;
  body: string;
  outcome: Outcome;
  why: string;
}

/** A request of a check: a route or page (method, url, body) or a server action (its arguments). */
export type Call =
  | {
      method: string;
      url: string;
      form?: Record<string, string | { name: string; mimeType: string; buffer: Buffer }>;
      data?: string;
      headers?: Record<string, string>;
    }
  | { action: true; form?: Record<string, string | { name: string; mimeType: string; buffer: Buffer }>; json?: unknown[]; previousState?: boolean };

const DENY_PATHS = /^\/(signin|forbidden|account\/totp|api\/auth\/signin)(?:[/?#]|$)/;

/** Messages a server action shows when it refuses the caller (as opposed to refusing the input or the state). */
let refusals: string[] | undefined;
async function refusalMessages(): Promise<string[]> {
  if (!refusals) {
    const { t } = await import("../../lib/i18n");
    const keys = [
      "forbidden.title",
      "checklist.error.not_reviewer",
      "checklist.error.not_editor",
      "checklist.error.not_prefecture",
      "audit.error.not_prefecture",
      "audit.error.not_auditor",
      "audit.error.not_municipality",
      "incident.error.not_found",
      "incident.error.not_manager",
      "incident.error.not_prefecture",
      "incident.error.not_answerer",
      "systemWork.error.not_editor",
      "systemWork.error.outside",
      "registers.training.error.not_found",
    ];
    refusals = keys.map((k) => t(k as never)).filter((m) => m && !keys.includes(m));
  }
  return refusals;
}

export async function isRefusalMessage(message: string): Promise<boolean> {
  if ((await refusalMessages()).some((m) => message.includes(m))) return true;
  return /outside (your|the caller's) scope|not allowed|forbidden|permission|権限/i.test(message);
}

const pathOf = (location: string) => {
  try {
    const u = new URL(location, BASE_URL);
    return u.pathname + u.search;
  } catch {
    return location;
  }
};

/** Sends one request and classifies the answer. */
export async function send(
  ctx: { request: APIRequestContext; headers: Record<string, string> },
  call: Call,
  action?: { id: string; page: string },
): Promise<Answer> {
  let res: APIResponse;
  if ("action" in call) {
    if (!action) throw new Error("an action call without an action id");
    const headers = { ...ctx.headers, "next-action": action.id, origin: BASE_URL, accept: "text/x-component" };
    if (call.json) {
      res = await ctx.request.post(action.page, {
        headers: { ...headers, "content-type": "text/plain;charset=UTF-8" },
        data: JSON.stringify(call.json),
        maxRedirects: 0,
        failOnStatusCode: false,
      });
    } else {
      // React's encodeReply of (FormData) or (previousState, FormData): the form's fields under the prefix "1_",
      // then the root "0" LAST (the server resolves "$K1" from the fields that arrived before the root).
      const multipart = new FormData();
      for (const [k, v] of Object.entries(call.form ?? {})) {
        if (typeof v === "string") multipart.append(`1_${k}`, v);
        else multipart.append(`1_${k}`, new File([new Uint8Array(v.buffer)], v.name, { type: v.mimeType }));
      }
      multipart.append("0", call.previousState ? '["$undefined","$K1"]' : '["$K1"]');
      res = await ctx.request.post(action.page, { headers, multipart, maxRedirects: 0, failOnStatusCode: false });
    }
  } else {
    const headers = { ...ctx.headers, ...(call.method !== "GET" ? { origin: BASE_URL } : {}), ...(call.headers ?? {}) };
    res = await ctx.request.fetch(call.url, { method: call.method, headers, multipart: call.form, data: call.data, maxRedirects: 0, failOnStatusCode: false });
  }
  const status = res.status();
  const h = res.headers();
  const location = h["x-action-redirect"]?.replace(/;(push|replace)$/, "") ?? h["location"];
  let body = "";
  try {
    body = (await res.body()).toString("utf8");
  } catch {
    body = "";
  }
  const answer = (outcome: Outcome, why: string): Answer => ({ status, location, body, outcome, why });
  if (status >= 500) return answer("error", `${status}: ${body.slice(0, 200).replace(/\s+/g, " ")}`);
  // 409: refused in this state (e.g. a notice not issued yet) — nothing done; an allowed caller refused so still shows as "wrongly refused".
  if (status === 401 || status === 403 || status === 404 || status === 405 || status === 409) return answer("deny", String(status));
  if (location) {
    const p = pathOf(location);
    if (DENY_PATHS.test(p)) return answer("deny", `→ ${p}`);
    const error = new URL(p, BASE_URL).searchParams.get("error");
    if (error && (await isRefusalMessage(error))) return answer("deny", `→ ${p.slice(0, 80)} (${error})`);
    return answer("allow", `→ ${p.slice(0, 120)}`);
  }
  // A redirect rendered into a streamed page, or the forbidden page rendered in place.
  const meta = /<meta[^>]*id="__next-page-redirect"[^>]*content="\d+;url=([^"]+)"/.exec(body);
  if (meta && DENY_PATHS.test(pathOf(meta[1]))) return answer("deny", `meta → ${meta[1]}`);
  if (status >= 400) return answer("error", `${status} (a bad request: the check's own fault?) ${body.slice(0, 200)}`);
  if ("action" in call) {
    const m = /"ok":false,"error":"((?:[^"\\]|\\.)*)"/.exec(body);
    if (m && (await isRefusalMessage(m[1]))) return answer("deny", `refused: ${m[1]}`);
    return answer("allow", m ? `input refused: ${m[1]}` : String(status));
  }
  // The forbidden page rendered in place of the asked one (the forbidden page itself is public).
  if (!call.url.startsWith("/forbidden") && body.includes(`>${(await refusalMessages())[0]}<`)) return answer("deny", "forbidden page");
  return answer("allow", String(status));
}

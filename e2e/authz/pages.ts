/** Pages: who may open each, against which targets. */
import { BASE_URL } from "../fixtures";
import { session, publicly, page, engagementReader, q, get, orgTargets, contentOf, db, engagementOf, operatorOf, CITY_AND_OTHER, type Entry } from "./policy";
import { CITY, OTHER, PREF } from "./world";

export const PAGES: Record<string, Entry> = {
  "PAGE /signin": { allow: publicly, targets: [{ name: "sign-in page", call: () => get("/signin") }] },
  "PAGE /forbidden": { allow: publicly, targets: [{ name: "forbidden page", call: () => get("/forbidden") }] },
  "PAGE /": { allow: publicly, targets: [{ name: "root (redirects to the dashboard)", call: () => get("/") }] },

  // ---------------------------------------------------------------- pages
  "PAGE /dashboard": {
    allow: page(),
    targets: [
      { name: "own dashboard", call: (w) => get(`/dashboard?${q({ from: w.from, to: w.to })}`) },
      contentOf(
        OTHER,
        () => `organization=${OTHER}`,
        (w) => get(`/dashboard?${q({ from: w.from, to: w.to })}`),
      ),
    ],
  },
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
  "PAGE /entities/[type]/[id]": {
    allow: page(),
    targets: orgTargets((org) => ({ call: (w) => get(`/entities/operator/${operatorOf(org)}?${q({ from: w.from, to: w.to })}`) })),
  },
  "PAGE /reports/usage": { allow: page(), targets: orgTargets((org) => ({ call: () => get(`/reports/usage?${q({ organization: org })}`) })) },
  "PAGE /reports/provisions": { allow: page(), targets: orgTargets((org) => ({ call: () => get(`/reports/provisions?${q({ organization: org })}`) })) },
  "PAGE /disclosure": { allow: page(["municipal_officer", "monitor", "admin"]), targets: [{ name: "disclosure form", call: () => get("/disclosure") }] },
  // The engagement list: allowed when it lists what the caller may see (an expired auditor's empty list counts as refused).
  "PAGE /checklist": { allow: page(), targets: [{ name: "checklist home", call: () => get("/checklist") }] },
  "PAGE /checklist/rounds/[id]": { allow: page(), targets: [{ name: "last year's round", call: (w) => get(`/checklist/rounds/${w.round}`) }] },
  "PAGE /checklist/assessments/[id]": {
    allow: page(),
    targets: CITY_AND_OTHER((org) => ({ call: (w) => get(`/checklist/assessments/${w.assessment[org]}`) })),
  },
  "PAGE /audits": {
    allow: page(),
    targets: [{ name: "engagement list", call: () => get("/audits"), judge: (a) => (a.body.includes("authz 監査法人") ? "allow" : "deny") }],
  },
  "PAGE /audits/[id]": { allow: engagementReader, targets: CITY_AND_OTHER((org) => ({ call: (w) => get(`/audits/${engagementOf(w, org)}`) })) },
  "PAGE /audits/[id]/[org]": { allow: engagementReader, targets: CITY_AND_OTHER((org) => ({ call: (w) => get(`/audits/${engagementOf(w, org)}/${org}`) })) },
  "PAGE /account/totp": {
    // Enrolled users are sent on to the dashboard: reached, not refused.
    allow: (c) => session(c),
    targets: [
      {
        name: "TOTP enrolment",
        call: () => get("/account/totp"),
        judge: (a) => (a.location && new URL(a.location, BASE_URL).pathname === "/dashboard" ? "allow" : undefined),
      },
    ],
  },
  "PAGE /admin/users": {
    allow: page(["admin"]),
    targets: [
      { name: "user list", call: () => get("/admin/users") },
      // A user's organisation is shown by name, its code in the cell's title.
      contentOf(
        OTHER,
        () => `<td title="${OTHER}">`,
        () => get("/admin/users"),
      ),
      contentOf(
        PREF,
        () => `<td title="${PREF}">`,
        () => get("/admin/users"),
      ),
    ],
  },
  "PAGE /admin/nodes": {
    allow: page(["admin"]),
    targets: [
      { name: "nodes", call: () => get("/admin/nodes") },
      contentOf(
        OTHER,
        () => `<td>CS-${OTHER}</td>`,
        () => get("/admin/nodes"),
      ),
    ],
  },
  "PAGE /admin/registry": {
    allow: page(["admin"]),
    targets: [
      { name: "registry", call: () => get("/admin/registry") },
      contentOf(
        OTHER,
        () => `value="${OTHER}"`,
        () => get("/admin/registry"),
      ),
    ],
  },
  "PAGE /admin/permits": {
    allow: page(["admin"]),
    targets: [
      { name: "after-hours permits", call: () => get("/admin/permits") },
      {
        ...contentOf(
          OTHER,
          () => `authz-permit-of-${OTHER}`,
          () => get("/admin/permits"),
        ),
        setup: async () => {
          const key = { organizationId: OTHER, start: new Date("2031-06-01T17:15:00+09:00"), end: new Date("2031-06-01T19:00:00+09:00"), operators: "[]" };
          await (
            await db()
          ).afterHoursPermit.upsert({
            where: { organizationId_start_end_operators: key },
            create: { ...key, reason: `authz-permit-of-${OTHER}`, createdBy: "authz" },
            update: {},
          });
        },
      },
    ],
  },
  "PAGE /admin/detection": {
    allow: page(["admin"]),
    targets: [
      { name: "detection settings", call: () => get("/admin/detection") },
      contentOf(
        OTHER,
        () => `OP-${OTHER}-003`,
        () => get("/admin/detection"),
      ),
    ],
  },
  "PAGE /audit-trail": {
    allow: page(["admin", "monitor"]),
    targets: [
      { name: "audit trail", call: () => get("/audit-trail") },
      contentOf(
        OTHER,
        () => `data-code="${OTHER}"`,
        () => get("/audit-trail"),
      ),
    ],
  },
};

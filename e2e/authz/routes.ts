/** Route handlers (GET/POST /api/…): who may call each, against which targets. */
import {
  publicly,
  read,
  engagementDocReader,
  engagementAuditor,
  auditedMunicipality,
  checklistEditor,
  ingests,
  nobody,
  q,
  get,
  json,
  orgTargets,
  contentOf,
  db,
  file,
  engagementOf,
  CITY_AND_OTHER,
  accessEvent,
  type Entry,
} from "./policy";
import { CITY, OTHER, PREF } from "./world";

export const ROUTES: Record<string, Entry> = {
  // ---------------------------------------------------------------- public
  "GET /api/health": { allow: publicly, targets: [{ name: "health", call: () => get("/api/health") }] },
  "GET /api/auth/[...nextauth]": { allow: publicly, targets: [{ name: "csrf", call: () => get("/api/auth/csrf") }] },
  "POST /api/auth/[...nextauth]": {
    allow: publicly,
    targets: [{ name: "sign-out without a csrf token", call: () => ({ method: "POST", url: "/api/auth/signout", form: { callbackUrl: "/" } }) }],
  },

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
    targets: [
      {
        name: "EVE alert",
        call: () => ({
          method: "POST",
          url: "/api/ingest/ids",
          data: '{"timestamp":"2021-01-04T10:00:00.000000+0900","event_type":"alert","src_ip":"10.35.201.11","dest_ip":"10.35.100.1","alert":{"signature_id":1,"signature":"authz","severity":2}}\n',
          headers: { "content-type": "application/x-ndjson" },
        }),
        judge: (a) => ((json(a)?.accepted ?? 0) > 0 ? "allow" : "deny"),
      },
    ],
  },

  // ---------------------------------------------------------------- log and alert reads
  "GET /api/alerts": {
    allow: read(),
    targets: [
      ...orgTargets((org) => ({ call: (w) => get(`/api/alerts?${q({ from: w.from, to: w.to, organization: org })}`) })),
      contentOf(
        OTHER,
        () => `"id":"${OTHER}"`,
        (w) => get(`/api/alerts?${q({ from: w.from, to: w.to })}`),
      ),
      {
        name: `${CITY} after the audit period`,
        org: CITY,
        outsidePeriod: true,
        call: (w) => get(`/api/alerts?${q({ from: w.auditTo, to: w.to, organization: CITY })}`),
        judge: (a) => ((json(a)?.total ?? 0) > 0 ? "allow" : "deny"),
      },
    ],
  },
  "GET /api/events/export": {
    allow: read(),
    targets: [
      ...orgTargets((org) => ({ call: (w) => get(`/api/events/export?${q({ from: w.from, to: w.to, organization: org })}`) })),
      contentOf(
        OTHER,
        () => `,${OTHER},`,
        (w) => get(`/api/events/export?${q({ from: w.from, to: w.to })}`),
      ),
      {
        name: `${CITY} after the audit period`,
        org: CITY,
        outsidePeriod: true,
        call: (w) => get(`/api/events/export?${q({ from: w.auditTo, to: w.to, organization: CITY })}`),
        judge: (a) => (a.body.trim().split("\n").length > 1 ? "allow" : "deny"),
      },
      {
        name: `${CITY} inside the audit period`,
        org: CITY,
        call: (w) => get(`/api/events/export?${q({ from: w.dayStart(7), to: w.auditTo, organization: CITY })}`),
        judge: (a) => (a.body.trim().split("\n").length > 1 ? "allow" : "deny"),
      },
    ],
  },
  "GET /api/dashboard": {
    allow: read(),
    targets: [
      { name: "own dashboard", call: (w) => get(`/api/dashboard?${q({ from: w.from, to: w.to })}`) },
      contentOf(
        OTHER,
        () => `"organization":"${OTHER}"`,
        (w) => get(`/api/dashboard?${q({ from: w.from, to: w.to })}`),
      ),
      // Detector runs and gaps are deployment-wide: prefecture (or national) staff only.
      {
        name: "deployment-wide detector runs",
        org: PREF,
        call: (w) => get(`/api/dashboard?${q({ from: w.from, to: w.to })}`),
        judge: (a) => ((json(a)?.detectorRuns?.length ?? 0) + (json(a)?.gaps?.length ?? 0) > 0 ? "allow" : "deny"),
      },
    ],
  },
  "GET /api/reports/usage": { allow: read(), targets: orgTargets((org) => ({ call: () => get(`/api/reports/usage?${q({ organization: org })}`) })) },
  "GET /api/reports/provisions": { allow: read(), targets: orgTargets((org) => ({ call: () => get(`/api/reports/provisions?${q({ organization: org })}`) })) },

  // ---------------------------------------------------------------- self-inspection (checklist)
  "GET /api/checklist/assessments/[id]/export": {
    allow: read(),
    targets: CITY_AND_OTHER((org) => ({ call: (w) => get(`/api/checklist/assessments/${w.assessment[org]}/export?format=xlsx`) })),
  },
  "GET /api/checklist/evidence/[id]": { allow: read(), targets: CITY_AND_OTHER((org) => ({ call: (w) => get(`/api/checklist/evidence/${w.evidence[org]}`) })) },
  "GET /api/checklist/rounds/[id]/summary": {
    allow: read(),
    targets: [{ name: "last year's round", call: (w) => get(`/api/checklist/rounds/${w.round}/summary`) }],
  },
  "POST /api/checklist/assessments/[id]/evidence": {
    // The assessments are accepted (locked): an editor is refused by state ("locked"), anyone else by permission.
    allow: checklistEditor,
    targets: CITY_AND_OTHER((org) => ({
      call: (w, _c, n) => ({
        method: "POST",
        url: `/api/checklist/assessments/${w.assessment[org]}/evidence`,
        form: { itemId: "LOG-01", file: file(`authz-${n}.txt`, "authz\n") },
      }),
    })),
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
        setup: async (w) =>
          void (await (await db()).engagementOrganization.updateMany({ where: { engagementId: w.engagement.own }, data: { noticeIssuedAt: null } })),
        call: (w) => get(`/api/audits/${w.engagement.own}/${CITY}/notice`),
        effect: async (w) =>
          !!(await (
            await db()
          ).engagementOrganization.findFirst({ where: { engagementId: w.engagement.own, organizationId: CITY, noticeIssuedAt: { not: null } } })),
      },
    ],
  },
  "GET /api/audits/attachments/[id]": {
    allow: engagementDocReader,
    targets: CITY_AND_OTHER((org) => ({ call: (w) => get(`/api/audits/attachments/${w.attachment[org]}`) })),
  },
  "POST /api/audits/findings/[id]/attachments": {
    allow: (c, t) => engagementAuditor(c, t) || auditedMunicipality(c, t),
    targets: CITY_AND_OTHER((org) => ({
      call: (w, _c, n) => ({ method: "POST", url: `/api/audits/findings/${w.finding[org]}/attachments`, form: { file: file(`authz-${n}.txt`, "authz\n") } }),
      effect: async (w, _c, n) => (await (await db()).auditFindingAttachment.count({ where: { findingId: w.finding[org], fileName: `authz-${n}.txt` } })) > 0,
    })),
  },
};

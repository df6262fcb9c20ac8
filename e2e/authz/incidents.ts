/** Incident response (issue 15): pages, routes and server actions of incidents, investigation requests and the contact chain. */
import { session, inScope, has, page, read, administers, get, db, file, orgTargets, CITY_AND_OTHER, type Entry, type Target } from "./policy";
import type { Caller } from "./world";
import { OTHER } from "./world";

const RESPONDERS = ["admin", "monitor", "municipal_officer"] as const;
/** Incidents are read by their organisations' admins, monitors and officers (not auditors): pages and read routes. */
const responderPage = page([...RESPONDERS]);
const responderRead = read([...RESPONDERS]);
/** Only the requested municipality's officers and admins answer an investigation request. */
const answers = (c: Caller, t: Target) => session(c) && has(c, ["municipal_officer", "admin"]) && c.org === t.org;

/** A list in the caller's own view that must not show the other municipality's row (marker of its seeded object). */
const listWithout = (url: string, marker: string): Target => ({
  name: `rows of ${OTHER} in the caller's own view`,
  org: OTHER,
  call: () => get(url),
  judge: (a) => (a.body.includes(marker) ? "allow" : "deny"),
});

export const INCIDENT_ENTRIES: Record<string, Entry> = {
  "PAGE /incidents": {
    allow: responderPage,
    targets: [{ name: "incident list", call: () => get("/incidents?status=all") }, listWithout("/incidents?status=all", `authz-incident-of-${OTHER}`)],
  },
  "PAGE /incidents/[id]": { allow: responderPage, targets: CITY_AND_OTHER((org) => ({ call: (w) => get(`/incidents/${w.incident[org]}`) })) },
  "PAGE /investigations": {
    allow: responderPage,
    targets: [{ name: "investigation requests", call: () => get("/investigations") }, listWithout("/investigations", `authz-request-of-${OTHER}`)],
  },
  "PAGE /investigations/[id]": { allow: responderPage, targets: CITY_AND_OTHER((org) => ({ call: (w) => get(`/investigations/${w.investigation[org]}`) })) },
  "PAGE /admin/contacts": {
    allow: page(["admin"]),
    targets: [
      { name: "contact chain", call: () => get("/admin/contacts") },
      // Asking for another organisation's chain: shown only to an admin whose scope has it (others get their own).
      listWithout(`/admin/contacts?organization=${OTHER}`, `authz-contact-of-${OTHER}`),
    ],
  },
  "GET /api/incidents/[id]/report": {
    allow: responderRead,
    targets: CITY_AND_OTHER((org) => ({ call: (w) => get(`/api/incidents/${w.incident[org]}/report`) })),
  },
  "GET /api/investigations/attachments/[id]": {
    allow: responderRead,
    targets: CITY_AND_OTHER((org) => ({ call: (w) => get(`/api/investigations/attachments/${w.investigationAttachment[org]}`) })),
  },
  "POST /api/investigations/[id]/answer": {
    // Empty findings: the requested municipality passes the permission check and is refused by the input; nothing changes.
    allow: answers,
    targets: CITY_AND_OTHER((org) => ({
      call: (w) => ({
        method: "POST",
        url: `/api/investigations/${w.investigation[org]}/answer`,
        form: { findings: "", legitimate: "yes", file: file("authz.txt", "authz\n") },
      }),
    })),
  },
  "ACTION app/_actions/incidents.ts#openIncidentAction": {
    allow: (c, t) => session(c) && has(c, ["admin", "monitor"]) && inScope(c, t),
    targets: CITY_AND_OTHER((org) => ({
      call: (_w, _c, n) => ({ action: true, form: { title: `authz-open-${n}`, kind: "other", level: "1", organization: org, back: "/incidents" } }),
      effect: async (_w, _c, n) => (await (await db()).incident.count({ where: { title: `authz-open-${n}` } })) > 0,
    })),
  },
  "ACTION app/_actions/incidents.ts#updateIncidentAction": {
    allow: (c, t) => session(c) && has(c, [...RESPONDERS]) && inScope(c, t),
    targets: CITY_AND_OTHER((org) => ({
      call: (w, _c, n) => ({ action: true, form: { incidentId: w.incident[org], op: "note", note: `authz-note-${n}` } }),
      effect: async (_w, _c, n) => (await (await db()).incidentEvent.count({ where: { text: `authz-note-${n}` } })) > 0,
    })),
  },
  "ACTION app/_actions/incidents.ts#requestInvestigationAction": {
    allow: (c, t) => session(c) && !!c.prefectureStaff && inScope(c, t),
    targets: CITY_AND_OTHER((org) => ({
      call: (w, _c, n) => ({
        action: true,
        form: { organization: org, question: `authz-ask-${n}`, due: "2099-12-31", incidentId: w.incident[org], back: "/investigations" },
      }),
      effect: async (_w, _c, n) => (await (await db()).investigationRequest.count({ where: { question: `authz-ask-${n}` } })) > 0,
    })),
  },
  "ACTION app/_actions/incidents.ts#contactChainAction": {
    allow: administers,
    targets: orgTargets((org) => ({
      call: (_w, _c, n) => ({ action: true, form: { op: "add_contact", organization: org, role: "other", name: `authz-add-${n}` } }),
      effect: async (_w, _c, n) => (await (await db()).contact.count({ where: { name: `authz-add-${n}` } })) > 0,
    })),
  },
};

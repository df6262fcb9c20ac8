/** Server actions of the monitoring, checklist, audit and disclosure pages (app/_actions): who may call each, against which targets, and the side effect that proves a refusal. */
import {
  session,
  inScope,
  has,
  page,
  engagementAuditor,
  auditedMunicipality,
  checklistEditor,
  checklistReviewer,
  db,
  engagementOf,
  CITY_AND_OTHER,
  type Entry,
} from "./policy";
import { CITY } from "./world";

export const ACTIONS: Record<string, Entry> = {
  // ---------------------------------------------------------------- server actions: alerts and disclosure
  // Turns the explorer's form (a typed 住民票コード) into a URL with references only; reads nothing.
  "ACTION app/_actions/events.ts#searchEventsAction": {
    allow: (c) => session(c) && !!c.role,
    targets: [{ name: "explorer search form", call: () => ({ action: true, form: { range: "7d", subject: "12345678901" } }) }],
  },
  "ACTION app/_actions/alerts.ts#triageAction": {
    allow: (c, t) => session(c) && has(c, ["admin", "monitor"]) && inScope(c, t),
    targets: CITY_AND_OTHER((org) => ({
      call: (w, _c, n) => ({ action: true, previousState: true, form: { ids: w.alert[org], action: "note", note: `authz-${n}` } }),
      effect: async (w, _c, n) => {
        const { es } = await import("../../lib/es/client");
        const { alertsIndex } = await import("../../domain/alerts");
        const r = await es().search({ index: alertsIndex(), query: { ids: { values: [w.alert[org]] } }, size: 1 });
        return JSON.stringify(r.hits.hits[0]?._source ?? {}).includes(`authz-${n}`);
      },
    })),
  },
  // Saved views belong to their user: anyone signed in saves their own; nobody removes another user's.
  "ACTION app/_actions/alerts.ts#saveViewAction": {
    allow: (c) => session(c) && !!c.role,
    targets: [
      {
        name: "own saved view",
        call: (_w, _c, n) => ({ action: true, previousState: true, form: { name: `authz-${n}`, query: "status=open" } }),
        effect: async (_w, _c, n) => (await (await db()).savedView.count({ where: { name: `authz-${n}` } })) > 0,
      },
    ],
  },
  "ACTION app/_actions/alerts.ts#deleteViewAction": {
    allow: () => false,
    targets: [
      {
        name: "another user's saved view",
        setup: async (_w, n) => ({
          id: String((await (await db()).savedView.create({ data: { userId: "authz-nobody", name: `authz-other-${n}`, query: "" } })).id),
        }),
        call: (_w, _c, _n, p) => ({ action: true, form: { id: p.id } }),
        effect: async (_w, _c, _n, p) => (await (await db()).savedView.count({ where: { id: Number(p.id) } })) === 0,
      },
    ],
  },
  "ACTION app/_actions/disclosure.ts#disclosureAction": {
    allow: page(["municipal_officer", "monitor", "admin"]),
    targets: [
      {
        name: "a resident's disclosure",
        call: () => ({ action: true, previousState: true, form: { residentCode: "99999999999", from: "2025-04-01", to: "2026-03-31" } }),
      },
    ],
  },

  // ---------------------------------------------------------------- server actions: checklist (last year's accepted, locked assessments)
  "ACTION app/_actions/checklist.ts#saveAnswerAction": {
    allow: checklistEditor,
    targets: CITY_AND_OTHER((org) => ({ call: (w) => ({ action: true, json: [{ assessmentId: w.assessment[org], itemId: "LOG-01", comment: "authz" }] }) })),
  },
  "ACTION app/_actions/checklist.ts#saveReviewCommentAction": {
    allow: checklistReviewer,
    targets: CITY_AND_OTHER((org) => ({ call: (w) => ({ action: true, json: [{ assessmentId: w.assessment[org], itemId: "LOG-01", text: "authz" }] }) })),
  },
  "ACTION app/_actions/checklist.ts#submitAction": {
    allow: checklistEditor,
    targets: CITY_AND_OTHER((org) => ({ call: (w) => ({ action: true, form: { assessmentId: w.assessment[org] } }) })),
  },
  "ACTION app/_actions/checklist.ts#adoptPreviousAction": {
    allow: checklistEditor,
    targets: CITY_AND_OTHER((org) => ({ call: (w) => ({ action: true, form: { assessmentId: w.assessment[org] } }) })),
  },
  "ACTION app/_actions/checklist.ts#removeEvidenceAction": {
    allow: checklistEditor,
    targets: CITY_AND_OTHER((org) => ({
      // No side-effect probe: the assessment is locked, so even its editors change nothing; the refusal's message tells permission from state.
      call: (w) => ({ action: true, form: { assessmentId: w.assessment[org], evidenceId: w.evidence[org] } }),
    })),
  },
  "ACTION app/_actions/checklist.ts#returnAction": {
    allow: checklistReviewer,
    targets: CITY_AND_OTHER((org) => ({ call: (w) => ({ action: true, form: { assessmentId: w.assessment[org] } }) })),
  },
  "ACTION app/_actions/checklist.ts#acceptAction": {
    allow: checklistReviewer,
    targets: CITY_AND_OTHER((org) => ({ call: (w) => ({ action: true, form: { assessmentId: w.assessment[org] } }) })),
  },
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
      setup: async (w) =>
        void (await (
          await db()
        ).engagementOrganization.updateMany({ where: { engagementId: engagementOf(w, org), organizationId: org }, data: { noticeIssuedAt: null } })),
      call: (w) => ({ action: true, form: { engagementId: engagementOf(w, org), organizationId: org } }),
      effect: async (w) =>
        !!(await (
          await db()
        ).engagementOrganization.findFirst({ where: { engagementId: engagementOf(w, org), organizationId: org, noticeIssuedAt: { not: null } } })),
    })),
  },
  "ACTION app/_actions/audits.ts#createEngagementAction": {
    allow: (c) => session(c) && c.role === "admin" && !!c.prefectureStaff,
    targets: [
      {
        name: `an engagement for ${CITY} without a firm`,
        org: CITY,
        call: () => ({
          action: true,
          form: {
            firm: "",
            fiscalYear: "2031",
            accessFrom: "2031-01-01",
            accessTo: "2031-02-01",
            auditFrom: "2030-04-01",
            auditTo: "2031-03-31",
            organizations: CITY,
            auditors: "authz-auditor",
          },
        }),
      },
    ],
  },
  "ACTION app/_actions/audits.ts#updatePlanAction": {
    allow: engagementAuditor,
    targets: CITY_AND_OTHER((org) => ({ call: (w) => ({ action: true, form: { engagementId: engagementOf(w, org), scope: "authz", phase: "bogus" } }) })),
  },
  "ACTION app/_actions/audits.ts#createFindingAction": {
    allow: engagementAuditor,
    targets: CITY_AND_OTHER((org) => ({
      call: (w) => ({ action: true, form: { engagementId: engagementOf(w, org), organizationId: org, title: "", grade: "minor" } }),
    })),
  },
  "ACTION app/_actions/audits.ts#updateFindingAction": {
    allow: engagementAuditor,
    targets: CITY_AND_OTHER((org) => ({
      call: (w) => ({ action: true, form: { engagementId: engagementOf(w, org), organizationId: org, findingId: w.finding[org], title: "", grade: "minor" } }),
    })),
  },
  "ACTION app/_actions/audits.ts#respondToFindingAction": {
    allow: auditedMunicipality,
    targets: CITY_AND_OTHER((org) => ({
      call: (w) => ({
        action: true,
        form: { engagementId: engagementOf(w, org), organizationId: org, findingId: w.finding[org], response: "", remediationPlan: "" },
      }),
    })),
  },
  "ACTION app/_actions/audits.ts#setFindingStatusAction": {
    allow: engagementAuditor,
    targets: CITY_AND_OTHER((org) => ({
      call: (w) => ({ action: true, form: { engagementId: engagementOf(w, org), organizationId: org, findingId: w.finding[org], status: "bogus" } }),
    })),
  },
  "ACTION app/_actions/audits.ts#saveReportAction": {
    allow: engagementAuditor,
    targets: CITY_AND_OTHER((org) => ({
      call: (w) => ({ action: true, form: { engagementId: engagementOf(w, org), organizationId: org, opinion: "", conclusion: "bogus", scopeAndMethod: "" } }),
    })),
  },
  "ACTION app/_actions/audits.ts#moveReportAction": {
    allow: engagementAuditor,
    targets: CITY_AND_OTHER((org) => ({ call: (w) => ({ action: true, form: { engagementId: engagementOf(w, org), organizationId: org, to: "review" } }) })),
  },
  "ACTION app/_actions/audits.ts#saveSearchAction": {
    allow: engagementAuditor,
    targets: CITY_AND_OTHER((org) => ({
      call: (w) => ({ action: true, form: { engagementId: engagementOf(w, org), organizationId: org, name: "", from: "bogus", to: "bogus" } }),
    })),
  },
};

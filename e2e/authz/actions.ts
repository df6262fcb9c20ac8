/** Server actions (app/_actions): who may call each, against which targets, and the side effect that proves a refusal. */
import { BASE_URL } from "../fixtures";
import {
  session,
  inScope,
  has,
  page,
  administers,
  administersTree,
  unlocks,
  engagementAuditor,
  auditedMunicipality,
  checklistEditor,
  checklistReviewer,
  orgTargets,
  db,
  file,
  auditFound,
  engagementOf,
  FAR,
  operatorOf,
  nodeOf,
  terminalOf,
  CITY_AND_OTHER,
  type Entry,
} from "./policy";
import { CITY, OTHER, PREF } from "./world";

export const ACTIONS: Record<string, Entry> = {
  "ACTION app/_actions/permits.ts#addPermitAction": {
    allow: administers,
    targets: orgTargets((org) => ({
      call: (_w, _c, n) => ({
        action: true,
        form: { organization: org, operators: "", start: "2031-05-29T17:15", end: "2031-05-29T19:00", reason: `authz-${n}` },
      }),
      effect: async (_w, _c, n) => (await (await db()).afterHoursPermit.count({ where: { reason: `authz-${n}` } })) > 0,
    })),
  },
  "ACTION app/_actions/permits.ts#removePermitAction": {
    allow: administers,
    targets: orgTargets((org) => ({
      setup: async (_w, n) => {
        const row = await (
          await db()
        ).afterHoursPermit.create({
          data: {
            organizationId: org,
            start: new Date(Date.parse("2031-07-01T17:15:00+09:00") + n * 60_000),
            end: new Date(Date.parse("2031-07-01T19:00:00+09:00") + n * 60_000),
            operators: "[]",
            reason: `authz-remove-${n}`,
            createdBy: "authz",
          },
        });
        return { id: String(row.id) };
      },
      call: (_w, _c, _n, p) => ({ action: true, form: { id: p.id } }),
      effect: async (_w, _c, _n, p) => (await (await db()).afterHoursPermit.count({ where: { id: Number(p.id) } })) === 0,
    })),
  },

  // ---------------------------------------------------------------- server actions: administration
  "ACTION app/_actions/admin.ts#addSuppressionAction": {
    allow: administers,
    targets: orgTargets((org) => ({
      call: (_w, _c, n) => ({
        action: true,
        form: { ruleId: "after-hours-access", entityType: "operator", entityId: operatorOf(org), until: "2031-01-31", reason: `authz-${n}`, organization: org },
      }),
      effect: async (_w, _c, n) => (await (await db()).suppression.count({ where: { reason: `authz-${n}` } })) > 0,
    })),
  },
  "ACTION app/_actions/admin.ts#addExceptionAction": {
    allow: administers,
    targets: orgTargets((org) => ({
      call: (_w, _c, n) => ({
        action: true,
        form: { ruleId: "after-hours-access", entityType: "operator", entityId: operatorOf(org), reason: `authz-${n}`, organization: org },
      }),
      effect: async (_w, _c, n) => (await (await db()).ruleException.count({ where: { reason: `authz-${n}` } })) > 0,
    })),
  },
  "ACTION app/_actions/admin.ts#removeDetectionSettingAction": {
    allow: administers,
    targets: orgTargets((org) => ({
      // A suppression of that organisation's operator, created through the database.
      setup: async (_w, n) => {
        const data = {
          ruleId: "authz-matrix",
          entityType: "operator",
          entityId: operatorOf(org),
          until: new Date("2031-01-31"),
          reason: `authz-remove-${n}`,
          createdBy: "authz",
        };
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
        call: (_w, _c, n) => ({
          action: true,
          form: { file: file(`authz-${n}.json`, JSON.stringify({ terminals: [{ id: terminalOf(org), organization: org, ip: `10.35.250.${n % 250}` }] })) },
          previousState: true,
        }),
        effect: async () => (await (await db()).terminal.count({ where: { id: terminalOf(org) } })) > 0,
      })),
      {
        // The organisation tree itself (kind, parent): prefecture admins only. The row is imported unchanged, so an allowed import changes nothing.
        name: `tree: ${OTHER}'s parent and kind`,
        org: OTHER,
        allow: administersTree,
        call: (_w, _c, n) => ({
          action: true,
          form: {
            file: file(
              `authz-${n}.json`,
              JSON.stringify({
                organizations: [{ id: OTHER, name: "山口市", kind: "municipality", parent: PREF, business_hours: { start: "08:30", end: "17:30" } }],
              }),
            ),
          },
          previousState: true,
        }),
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
  "ACTION app/_actions/admin.ts#updateMaintenanceWindowAction": {
    allow: administers,
    targets: orgTargets((org) => ({
      setup: async (_w, n) => {
        const start = new Date(Date.parse("2031-06-01T18:00:00+09:00") + n * 60_000);
        const end = new Date(start.getTime() + 3_600_000);
        const row = await (await db()).maintenanceWindow.create({ data: { organizationId: org, start, end, note: "authz" } });
        return { id: String(row.id), start: start.toISOString(), end: end.toISOString() };
      },
      call: (_w, _c, n, p) => ({ action: true, form: { id: p.id, organization: org, start: p.start, end: p.end, note: `authz-edit-${n}` } }),
      effect: async (_w, _c, n, p) => (await (await db()).maintenanceWindow.findUnique({ where: { id: Number(p.id) } }))?.note === `authz-edit-${n}`,
    })),
  },
  "ACTION app/_actions/admin.ts#removeMaintenanceWindowAction": {
    allow: administers,
    targets: orgTargets((org) => ({
      setup: async (_w, n) => {
        const start = new Date(Date.parse("2031-06-02T18:00:00+09:00") + n * 60_000);
        const row = await (
          await db()
        ).maintenanceWindow.create({ data: { organizationId: org, start, end: new Date(start.getTime() + 3_600_000), note: "authz" } });
        return { id: String(row.id) };
      },
      call: (_w, _c, _n, p) => ({ action: true, form: { id: p.id } }),
      effect: async (_w, _c, _n, p) => (await (await db()).maintenanceWindow.count({ where: { id: Number(p.id) } })) === 0,
    })),
  },
  "ACTION app/_actions/accounts.ts#createUserAction": {
    allow: administers,
    targets: orgTargets((org) => ({
      call: (_w, _c, n) => ({
        action: true,
        form: { loginId: `authz-new-${org}-${n}`, name: "authz", role: "municipal_officer", organizationId: org, password: "authz-password-1234" },
        previousState: true,
      }),
      effect: async (_w, _c, n) => (await (await db()).user.count({ where: { loginId: `authz-new-${org}-${n}` } })) > 0,
    })),
  },
  "ACTION app/_actions/accounts.ts#manageUserAction": {
    allow: administers,
    targets: orgTargets((org) => ({
      // A fresh user of that organisation, disabled by the call.
      setup: async (_w, n) => {
        const u = await (
          await db()
        ).user.create({
          data: { loginId: `authz-manage-${org}-${n}`, name: "authz", role: "municipal_officer", organizationId: org, passwordHash: "scrypt$1$1$1$x$x" },
        });
        return { id: u.id };
      },
      call: (_w, _c, _n, p) => ({ action: true, form: { userId: p.id, op: "disable" }, previousState: true }),
      effect: async (_w, _c, _n, p) => !!(await (await db()).user.findUnique({ where: { id: p.id } }))?.disabledAt,
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
    targets: [
      {
        name: "a wrong code",
        judgeAll: true,
        call: () => ({ action: true, form: { code: "000000" } }),
        judge: (a) => (a.location && new URL(a.location, BASE_URL).pathname === "/account/totp" ? "allow" : undefined),
      },
    ],
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

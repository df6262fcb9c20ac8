/** Server actions of administration (app/_actions/{admin,accounts,permits}.ts): who may call each, against which targets, and the side effect that proves a refusal. */
import { BASE_URL } from "../fixtures";
import { session, administers, administersTree, unlocks, orgTargets, db, file, auditFound, FAR, operatorOf, nodeOf, terminalOf, type Entry } from "./policy";
import { CITY, OTHER, PREF } from "./world";

export const ADMIN_ACTIONS: Record<string, Entry> = {
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
};

/** Registers (issue 17): pages, routes and the server action of the training and drills register. */
import { session, inScope, has, get, db, file, CITY_AND_OTHER, type Entry, type Target } from "./policy";
import type { Caller } from "./world";
import { OTHER } from "./world";

const KEEPERS = ["admin", "monitor", "municipal_officer"] as const;
/** Signed-in admins, monitors and municipal officers, inside their scope (no API tokens: the register is a console surface). */
const keeper = (c: Caller, t: Target) => session(c) && has(c, [...KEEPERS]) && inScope(c, t);

export const TRAINING_ENTRIES: Record<string, Entry> = {
  "PAGE /registers/training": {
    allow: keeper,
    targets: [
      { name: "training register", call: () => get("/registers/training") },
      // The caller's own view must not list the other municipality's session.
      {
        name: `rows of ${OTHER} in the caller's own view`,
        org: OTHER,
        call: () => get("/registers/training"),
        judge: (a) => (a.body.includes(`authz-training-of-${OTHER}`) ? "allow" : "deny"),
      },
      // Asking for another organisation's register: the forbidden page outside the scope.
      ...CITY_AND_OTHER((org) => ({ call: () => get(`/registers/training?organization=${org}`) })),
    ],
  },
  "PAGE /registers/training/new": {
    allow: keeper,
    targets: CITY_AND_OTHER((org) => ({ call: () => get(`/registers/training/new?organization=${org}`) })),
  },
  "PAGE /registers/training/[id]": { allow: keeper, targets: CITY_AND_OTHER((org) => ({ call: (w) => get(`/registers/training/${w.trainingSession[org]}`) })) },
  "POST /api/registers/training": {
    allow: keeper,
    targets: CITY_AND_OTHER((org) => ({
      call: (_w, _c, n) => ({
        method: "POST",
        url: `/api/registers/training?organization=${org}`,
        form: { kind: "emergency_drill", title: `authz-record-${n}`, heldOn: "2026-04-01", participantCount: "1", file: file("authz.txt", "authz\n") },
      }),
      effect: async (_w, _c, n) => (await (await db()).trainingSession.count({ where: { title: `authz-record-${n}` } })) > 0,
    })),
  },
  "POST /api/registers/training/[id]/materials": {
    allow: keeper,
    targets: CITY_AND_OTHER((org) => ({
      call: (w, _c, n) => ({
        method: "POST",
        url: `/api/registers/training/${w.trainingSession[org]}/materials`,
        form: { file: file(`authz-add-${n}.txt`, "authz\n") },
      }),
      effect: async (_w, _c, n) => (await (await db()).trainingMaterial.count({ where: { fileName: `authz-add-${n}.txt` } })) > 0,
    })),
  },
  "GET /api/registers/training/materials/[id]": {
    allow: keeper,
    targets: CITY_AND_OTHER((org) => ({ call: (w) => get(`/api/registers/training/materials/${w.trainingMaterial[org]}`) })),
  },
  "ACTION app/_actions/training.ts#deleteTrainingSessionAction": {
    allow: keeper,
    targets: CITY_AND_OTHER((org) => ({
      // A fresh session per check: an allowed caller deletes it, a refused one leaves it.
      setup: async (_w, n) => {
        const s = await (
          await db()
        ).trainingSession.create({
          data: {
            organizationId: org,
            kind: "security_training",
            title: `authz-delete-${n}`,
            heldOn: new Date("2026-04-01T00:00:00+09:00"),
            participantCount: 0,
            recordedBy: "authz",
          },
        });
        return { id: String(s.id) };
      },
      call: (_w, _c, _n, p) => ({ action: true, form: { sessionId: p.id } }),
      effect: async (_w, _c, _n, p) => (await (await db()).trainingSession.count({ where: { id: Number(p.id) } })) === 0,
    })),
  },
};

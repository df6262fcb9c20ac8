/**
 * Issue 18: pages and server actions of system-work records (連携制御記録) and of improvement plans on the
 * assessment page. Records are read by their organisations' admins, monitors and officers (not auditors) in scope;
 * kept by the organisation's own admins and officers and by prefecture staff in scope. Every state-changing target
 * prepares a fresh record of the target's organisation and probes whether the change happened.
 */
import { session, inScope, has, page, get, db, checklistEditor, CITY_AND_OTHER, type Entry, type Target } from "./policy";
import type { Caller, World } from "./world";
import { OTHER } from "./world";

const READERS = ["admin", "monitor", "municipal_officer"] as const;
const reads = page([...READERS]);
/** Keeps the target organisation's records: its own admins/officers, or prefecture staff whose scope has it. */
const keeps = (c: Caller, t: Target) => session(c) && ((has(c, ["admin", "municipal_officer"]) && c.org === t.org) || (!!c.prefectureStaff && inScope(c, t)));

type Stage = "planned" | "set" | "confirmed";
/** A fresh record of `org` at a stage of its link control, for one check. */
async function record(org: string, n: number, stage: Stage): Promise<{ id: string }> {
  const now = Date.now();
  const w = await (
    await db()
  ).systemWork.create({
    data: {
      organizationId: org,
      title: `authz-sw-${org}-${stage}-${n}`,
      vendor: "authz",
      purpose: "repair",
      createdById: "authz",
      ...(stage !== "planned" ? { linkControlSetAt: new Date(now - 3 * 3_600_000), linkControlSetBy: "authz" } : {}),
      ...(stage === "confirmed"
        ? { testsEndedAt: new Date(now - 2 * 3_600_000), testsEndedBy: "authz", testDataDeletedAt: new Date(now - 3_600_000), testDataDeletedBy: "authz" }
        : {}),
    },
  });
  return { id: w.id };
}
const row = async (id: string) => (await db()).systemWork.findUnique({ where: { id } });

/** A list in the caller's own view that must not show the other municipality's record. */
const listWithout: Target = {
  name: `records of ${OTHER} in the caller's own view`,
  org: OTHER,
  setup: async (_w, n) => record(OTHER, n, "planned"),
  call: () => get("/system-work"),
  judge: (a, _c, _w) => (a.body.includes(`authz-sw-${OTHER}-planned-`) ? "allow" : "deny"),
};

const onRecord = (
  stage: Stage,
  form: (p: Record<string, string>, n: number) => Record<string, string>,
  done: (p: Record<string, string>, n: number) => Promise<boolean>,
) =>
  CITY_AND_OTHER((org) => ({
    setup: async (_w: World, n: number) => record(org, n, stage),
    call: (_w, _c, n, p) => ({ action: true, form: form(p, n) }),
    effect: async (_w, _c, n, p) => done(p, n),
  }));

export const SYSTEM_WORK_ENTRIES: Record<string, Entry> = {
  "PAGE /system-work": { allow: reads, targets: [{ name: "system-work list", call: () => get("/system-work") }, listWithout] },
  "PAGE /system-work/new": { allow: reads, targets: [{ name: "new record form", call: () => get("/system-work/new") }] },
  "PAGE /system-work/[id]": {
    allow: reads,
    targets: CITY_AND_OTHER((org) => ({ setup: async (_w, n) => record(org, n, "planned"), call: (_w, _c, _n, p) => get(`/system-work/${p.id}`) })),
  },
  "ACTION app/_actions/system-work.ts#createSystemWorkAction": {
    allow: keeps,
    targets: CITY_AND_OTHER((org) => ({
      call: (_w, _c, n) => ({ action: true, form: { organization: org, title: `authz-create-${org}-${n}`, vendor: "authz", purpose: "renewal" } }),
      effect: async (_w, _c, n) => (await (await db()).systemWork.count({ where: { title: `authz-create-${org}-${n}` } })) > 0,
    })),
  },
  "ACTION app/_actions/system-work.ts#updateSystemWorkAction": {
    allow: keeps,
    targets: onRecord(
      "planned",
      (p, n) => ({ id: p.id, title: `authz-update-${n}`, vendor: "authz", purpose: "upgrade" }),
      async (p, n) => (await row(p.id))?.title === `authz-update-${n}`,
    ),
  },
  "ACTION app/_actions/system-work.ts#setLinkControlAction": {
    allow: keeps,
    targets: onRecord(
      "planned",
      (p) => ({ id: p.id, by: "authz" }),
      async (p) => !!(await row(p.id))?.linkControlSetAt,
    ),
  },
  "ACTION app/_actions/system-work.ts#confirmReleaseAction": {
    allow: keeps,
    targets: onRecord(
      "set",
      (p) => ({ id: p.id, kind: "tests_ended", by: "authz" }),
      async (p) => !!(await row(p.id))?.testsEndedAt,
    ),
  },
  "ACTION app/_actions/system-work.ts#releaseLinkControlAction": {
    allow: keeps,
    targets: onRecord(
      "confirmed",
      (p) => ({ id: p.id, by: "authz" }),
      async (p) => !!(await row(p.id))?.linkControlReleasedAt,
    ),
  },
  // Improvement plans on last year's accepted (locked) assessments: editors pass the permission check and are refused
  // by the state (locked); everyone else by permission or scope. Nothing changes either way.
  "ACTION app/_actions/checklist-plans.ts#addPlanAction": {
    allow: checklistEditor,
    targets: CITY_AND_OTHER((org) => ({
      call: (w, _c, n) => ({
        action: true,
        form: { assessmentId: w.assessment[org], itemId: "LOG-01", measure: `authz-plan-${n}`, owner: "authz", dueDate: "2099-03-31" },
      }),
      // No side-effect probe (as removeEvidenceAction): the assessment is locked, so even its editors change nothing; the
      // refusal's message tells permission (not_editor, forbidden) from state (locked).
    })),
  },
  "ACTION app/_actions/checklist-plans.ts#updatePlanAction": {
    allow: checklistEditor,
    targets: CITY_AND_OTHER((org) => ({ call: (w) => ({ action: true, form: { assessmentId: w.assessment[org], planId: "authz-none", status: "done" } }) })),
  },
};

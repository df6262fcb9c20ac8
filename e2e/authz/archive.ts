/**
 * The archive tier (issue 18 item 2): the admin page and its restore/release
 * actions, for the admins of a prefecture or of the national centre only (a
 * restored month is deployment-wide). The target is a month of access events
 * this file archives itself in the e2e cluster (1997-02, used by nothing else).
 */
import { session, get, db, type Entry } from "./policy";
import type { Caller } from "./world";

const MONTH = "1997-02";
const SYSTEM = { actorLogin: "authz-setup" };

/** A prefecture's (or the national centre's) admin. */
const archiveAdmin = (c: Caller) => session(c) && c.role === "admin" && !!c.prefectureStaff;

const state = async () => (await (await db()).archivedMonth.findUnique({ where: { stream_month: { stream: "events", month: MONTH } } }))?.state;

/** The month archived (seeded and run through the job once; released again when a previous check restored it). */
async function ensureArchived(): Promise<void> {
  const { releaseMonth } = await import("../../domain/archive/restore");
  const s = await state();
  if (s === "archived") return;
  if (s === "restored") return void (await releaseMonth("events", MONTH, SYSTEM));
  const { es } = await import("../../lib/es/client");
  const { aliasName, ensureIndexTemplates } = await import("../../lib/es/indices");
  const { runArchivePass } = await import("../../domain/archive/job");
  await ensureIndexTemplates();
  const index = `${aliasName("events")}-${MONTH.replace("-", ".")}`;
  await es().bulk({
    refresh: true,
    operations: [0, 1, 2].flatMap((i) => [
      { index: { _index: index, _id: `authz-archive-${i}` } },
      { "@timestamp": `${MONTH}-1${i}T01:00:00Z`, event: { id: `authz-archive-${i}`, action: "search", outcome: "success" }, organization: { id: "352012" } },
    ]),
  });
  const out = await runArchivePass({ now: new Date("1998-06-10T00:00:00Z"), streams: ["events"], months: [MONTH], log: () => {} });
  if ((await state()) !== "archived") throw new Error(`authz setup: ${MONTH} not archived: ${JSON.stringify(out)}`);
}

async function ensureRestored(): Promise<void> {
  await ensureArchived();
  const { restoreMonth } = await import("../../domain/archive/restore");
  await restoreMonth("events", MONTH, "authz setup", SYSTEM);
}

export const ARCHIVE_ENTRIES: Record<string, Entry> = {
  "PAGE /admin/archive": {
    allow: archiveAdmin,
    targets: [{ name: "archived months", setup: ensureArchived, call: () => get("/admin/archive") }],
  },
  "ACTION app/_actions/archive.ts#restoreArchiveAction": {
    allow: archiveAdmin,
    targets: [
      {
        name: "an archived month",
        setup: ensureArchived,
        call: (_w, _c, n) => ({ action: true, form: { stream: "events", month: MONTH, reason: `authz-${n}` } }),
        effect: async () => (await state()) === "restored",
      },
    ],
  },
  "ACTION app/_actions/archive.ts#releaseArchiveAction": {
    allow: archiveAdmin,
    targets: [
      {
        name: "a restored month",
        setup: ensureRestored,
        call: () => ({ action: true, form: { stream: "events", month: MONTH } }),
        effect: async () => (await state()) === "archived",
      },
    ],
  },
};

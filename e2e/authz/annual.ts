/** The annual operation-status report (issue 18 item 5): its page, document route and narrative action — the prefecture's staff only. */
import { fiscalYear } from "../../lib/calendar";
import { db, get, inScope, session, type Entry } from "./policy";
import type { Caller } from "./world";
import { NATIONAL, PREF } from "./world";

/** A prefecture's admin or monitor, for its own prefecture (never a municipality's staff, an auditor or a token). */
const prefectureStaff = (c: Caller, t: { org?: string }) => session(c) && !!c.prefectureStaff && inScope(c, t as never);
const FY = String(fiscalYear(Date.now()));

export const ANNUAL_ENTRIES: Record<string, Entry> = {
  "PAGE /reports/annual": {
    allow: prefectureStaff,
    targets: [{ name: "the caller's prefecture's report", call: () => get(`/reports/annual?fiscalYear=${FY}`) }],
  },
  "GET /api/reports/annual": {
    allow: prefectureStaff,
    targets: [
      { name: `prefecture ${PREF}`, org: PREF, call: () => get(`/api/reports/annual?fiscalYear=${FY}&prefecture=${PREF}&format=docx`) },
      // Another top organisation: outside every caller's prefecture (403 for all).
      { name: `organisation ${NATIONAL}`, org: NATIONAL, call: () => get(`/api/reports/annual?fiscalYear=${FY}&prefecture=${NATIONAL}&format=docx`) },
    ],
  },
  "ACTION app/_actions/annual.ts#saveAnnualTextAction": {
    allow: prefectureStaff,
    targets: [
      {
        name: `prefecture ${PREF}'s narrative`,
        org: PREF,
        call: (_w, _c, n) => ({ action: true, form: { fiscalYear: FY, history: `authz-annual-${n}` } }),
        effect: async (_w, _c, n) => (await (await db()).annualReportText.count({ where: { history: `authz-annual-${n}` } })) > 0,
      },
    ],
  },
};

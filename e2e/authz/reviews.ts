/** Periodic log review (issue 18 item 1): the list and one review, recording a review, the schedule. */
import { session, has, page, administers, orgTargets, db, get, CITY_AND_OTHER, type Entry, type Target } from "./policy";
import type { Caller } from "./world";
import { OTHER } from "./world";
import { ensureReviewTask } from "../reviews/seed";

/** The matrix's reviews: each municipality's review of the month before last (inside the auditor's audit period). */
const ids: Record<string, string> = {};
const reviewOf = async (org: string) => ({ review: (ids[org] = await ensureReviewTask(org, 2)) });

/** Fill in a review: the organisation's own staff (officers, admins, monitors), never an auditor or another organisation. */
const fillsIn = (c: Caller, t: Target) => session(c) && has(c, ["admin", "monitor", "municipal_officer"]) && c.org === t.org;

export const REVIEW_ENTRIES: Record<string, Entry> = {
  "PAGE /reviews": {
    allow: page(),
    targets: [
      { name: "review list", call: () => get("/reviews") },
      {
        name: `rows of ${OTHER} in the caller's own view`,
        org: OTHER,
        setup: async () => reviewOf(OTHER),
        call: () => get("/reviews"),
        judge: (a) => (a.body.includes(`href="/reviews/${ids[OTHER]}"`) ? "allow" : "deny"),
      },
    ],
  },
  "PAGE /reviews/[id]": {
    allow: page(),
    targets: CITY_AND_OTHER((org) => ({ setup: async () => reviewOf(org), call: (_w, _c, _n, p) => get(`/reviews/${p.review}`) })),
  },
  "ACTION app/_actions/reviews.ts#updateReviewAction": {
    allow: fillsIn,
    targets: CITY_AND_OTHER((org) => ({
      setup: async () => reviewOf(org),
      call: (_w, _c, n, p) => ({ action: true, form: { reviewId: p.review, op: "save", findings: `authz-review-${n}` } }),
      effect: async (_w, _c, n) => (await (await db()).logReview.count({ where: { findings: `authz-review-${n}` } })) > 0,
    })),
  },
  "ACTION app/_actions/reviews.ts#reviewScheduleAction": {
    allow: administers,
    targets: orgTargets((org) => ({
      call: (_w, c, n) => ({ action: true, form: { organization: org, frequency: "monthly", dueDays: String(1 + (n % 59)) } }),
      effect: async (_w, c, n) =>
        (await (await db()).logReviewSchedule.count({ where: { organizationId: org, updatedBy: c.login ?? "-", dueDays: 1 + (n % 59) } })) > 0,
    })),
  },
};

/**
 * The authorization matrix: for every route handler, page and server action
 * the console exposes (e2e/authz/discover.ts finds them in the source tree),
 * how to call it against a target of a given organisation, and who may
 * (policy.ts). Entries: routes.ts, pages.ts, actions.ts, actions-admin.ts, and one file per later area
 * (notifications, incidents, archive, reviews, registers, system-work, …), spread below one per line.
 */
import { ACTIONS } from "./actions";
import { ADMIN_ACTIONS } from "./actions-admin";
import { INCIDENT_ENTRIES } from "./incidents";
import { REGISTER_ENTRIES } from "./registers";
import { TRAINING_ENTRIES } from "./training";
import { ANNUAL_ENTRIES } from "./annual";
import { NOTIFICATION_ENTRIES } from "./notifications";
import { ARCHIVE_ENTRIES } from "./archive";
import { REVIEW_ENTRIES } from "./reviews";
import { PAGES } from "./pages";
import type { Entry } from "./policy";
import { ROUTES } from "./routes";
import { SYSTEM_WORK_ENTRIES } from "./system-work";

export type { Entry, Target } from "./policy";

export const MATRIX: Record<string, Entry> = {
  ...ROUTES,
  ...PAGES,
  ...ACTIONS,
  ...ADMIN_ACTIONS,
  ...NOTIFICATION_ENTRIES,
  ...INCIDENT_ENTRIES,
  ...ARCHIVE_ENTRIES,
  ...REVIEW_ENTRIES,
  ...REGISTER_ENTRIES,
  ...SYSTEM_WORK_ENTRIES,
  ...TRAINING_ENTRIES,
  ...ANNUAL_ENTRIES,
};

/**
 * The authorization matrix: for every route handler, page and server action
 * the console exposes (e2e/authz/discover.ts finds them in the source tree),
 * how to call it against a target of a given organisation, and who may
 * (policy.ts). Entries: routes.ts, pages.ts, actions.ts, actions-admin.ts, notifications.ts, incidents.ts, annual.ts.
 */
import { ACTIONS } from "./actions";
import { ADMIN_ACTIONS } from "./actions-admin";
import { INCIDENT_ENTRIES } from "./incidents";
import { ANNUAL_ENTRIES } from "./annual";
import { NOTIFICATION_ENTRIES } from "./notifications";
import { PAGES } from "./pages";
import type { Entry } from "./policy";
import { ROUTES } from "./routes";

export type { Entry, Target } from "./policy";

export const MATRIX: Record<string, Entry> = {
  ...ROUTES,
  ...PAGES,
  ...ACTIONS,
  ...ADMIN_ACTIONS,
  ...NOTIFICATION_ENTRIES,
  ...INCIDENT_ENTRIES,
  ...ANNUAL_ENTRIES,
};

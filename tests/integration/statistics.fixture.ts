/**
 * Shared fixture of the statistics integration tests (statistics.*.test.ts):
 * the usage report (seed 003 §4(2)), the provision table (seed 001) and the
 * resident disclosure against the real Elasticsearch and SQLite, each checked
 * against hand-computed values and against independent Elasticsearch queries
 * of another shape, plus scope, the XLSX routes and the privacy of the
 * 住民票コード.
 *
 * Dates: fiscal years 2021 and 2022 only (2021-04-01 … 2023-03-31 JST), which
 * no integration test file outside statistics.*.test.ts uses. The events have
 * fixed ids, so each file ingests them all and a second ingest adds nothing.
 */
import { beforeAll } from "vitest";
import type { Principal } from "../../lib/auth/principal";
import { scopeOf, type Scope } from "../../lib/auth/scope";
import { at, ev, ingest, PREF, resident, SHIMONOSEKI, useFixtureRegistry, WAKI, YAMAGUCHI } from "./detectors/harness";

export { PREF, SHIMONOSEKI, WAKI, YAMAGUCHI };

export const ALL = [PREF, SHIMONOSEKI, YAMAGUCHI, WAKI];
/** Scopes of real principals: the prefecture's staff (its subtree: ALL) and one municipality's officer. */
export const staff = () =>
  scopeOf({ kind: "user", id: "it-stats-monitor", login: "it-stats-monitor", role: "monitor", organizationId: PREF } satisfies Principal);
export const officerOf = (org: string): Promise<Scope> =>
  scopeOf({ kind: "user", id: `it-stats-${org}`, login: `it-stats-${org}`, role: "municipal_officer", organizationId: org });
export const SUBJECT = resident(424242);
export const OTHER = resident(424243);
/** A resident 山口市 never handled: only the national centre recorded a provision of them. */
export const STRANGER = resident(424244);
/** SUBJECT's code before 山口市 changed it on request (code_change of 2021-07-20). */
export const OLD_CODE = resident(424246);
export const NATIONAL = "000001";
const BATCH = `SYS-${PREF}-BATCH`;

const search = (t: string, org: string, schedule: string, item: string, over: Record<string, unknown> = {}) => ev({ t, org, schedule, item, ...over });
const provision = (
  t: string,
  org: string,
  over: {
    action?: string;
    schedule: string;
    item: string;
    recipient: string;
    channel: string;
    records?: number;
    resident?: string;
    user?: string;
    outcome?: string;
  },
) => ev({ t, org, action: over.action ?? "provide", ...over });

// ---------------------------------------------------------------- fixtures

const SEARCHES = [
  // FY2022 (2022-04-01 00:00 JST is its first instant, 2023-03-31 23:59:59 JST its last)
  search(at("2022-04-01", "00:00"), PREF, "5", "5-1"),
  search(at("2022-06-10", "10:00"), PREF, "5", "5-1"),
  search(at("2023-03-31", "23:59", 59), PREF, "5", "5-1"),
  search(at("2022-05-12", "10:00"), PREF, "5", "5-2"),
  search(at("2022-11-15", "14:00"), PREF, "5", "5-2"),
  search(at("2022-12-01", "09:30"), PREF, "5", "5-5"),
  search(at("2023-01-10", "10:00"), PREF, "6", "6-1"),
  search(at("2022-07-01", "10:00"), PREF, "ordinance", "ordinance-1"),
  search(at("2022-07-02", "10:00"), PREF, "ordinance", "ordinance-1"),
  search(at("2022-09-01", "10:00"), YAMAGUCHI, "ordinance", "ordinance-3"),
  search(at("2022-04-05", "10:00"), SHIMONOSEKI, "jukiho", "jukiho-1"),
  search(at("2022-08-08", "10:00"), SHIMONOSEKI, "jukiho", "jukiho-1"),
  search(at("2023-02-02", "10:00"), SHIMONOSEKI, "jukiho", "jukiho-1"),
  search(at("2022-10-10", "10:00"), SHIMONOSEKI, "jukiho", "jukiho-2"),
  search(at("2022-05-20", "10:00"), YAMAGUCHI, "jukiho", "jukiho-1"),
  search(at("2022-06-20", "10:00"), YAMAGUCHI, "jukiho", "jukiho-1"),
  // not counted: a failed search, and the view that follows a search
  search(at("2022-06-11", "10:00"), PREF, "5", "5-1", { outcome: "failure" }),
  search(at("2022-06-10", "10:01"), PREF, "5", "5-1", { action: "view" }),
  // FY2021
  search(at("2021-04-01", "00:00"), PREF, "5", "5-1"),
  search(at("2022-03-31", "23:59", 59), PREF, "5", "5-1"),
  search(at("2021-06-01", "10:00"), PREF, "5", "5-3"),
  search(at("2021-12-01", "10:00"), PREF, "5", "5-3"),
  search(at("2021-05-01", "10:00"), PREF, "ordinance", "ordinance-1"),
  search(at("2021-11-01", "10:00"), PREF, "ordinance", "ordinance-2"),
  search(at("2021-07-07", "10:00"), SHIMONOSEKI, "jukiho", "jukiho-1"),
  search(at("2021-08-08", "10:00"), WAKI, "jukiho", "jukiho-1"),
];

const unknownRecipient = (() => {
  const e = provision(at("2022-06-30", "23:59", 59), YAMAGUCHI, { schedule: "6", item: "6-2", recipient: "test-kikan", channel: "media", records: 12 });
  e.jukinet.recipient.name = "試験提供先";
  return e;
})();

const PROVISIONS = [
  provision(at("2022-03-31", "23:00"), PREF, {
    action: "batch_provide",
    schedule: "2",
    item: "2-1",
    recipient: "shichouson-chou",
    channel: "online_batch",
    records: 420,
    user: BATCH,
  }),
  provision(at("2022-04-05", "02:00"), PREF, {
    action: "batch_provide",
    schedule: "6",
    item: "6-1",
    recipient: "pref-kyoiku-iinkai",
    channel: "online_batch",
    records: 650,
    user: BATCH,
  }),
  provision(at("2022-04-12", "02:00"), PREF, {
    action: "batch_provide",
    schedule: "6",
    item: "6-1",
    recipient: "pref-kyoiku-iinkai",
    channel: "online_batch",
    records: 600,
    user: BATCH,
  }),
  provision(at("2022-05-10", "02:00"), PREF, {
    action: "batch_provide",
    schedule: "6",
    item: "6-1",
    recipient: "pref-kyoiku-iinkai",
    channel: "online_batch",
    records: 640,
    user: BATCH,
  }),
  provision(at("2022-05-20", "10:00"), PREF, {
    action: "batch_provide",
    schedule: "6",
    item: "6-1",
    recipient: "pref-kyoiku-iinkai",
    channel: "media",
    records: 30,
  }),
  // no record_count: ingest stores 1. 2022-05-01 00:30 JST is still April 30 in UTC: it belongs to May.
  provision(at("2022-04-01", "00:00", 10), PREF, { schedule: "6", item: "6-3", recipient: "pref-other-shikkou-kikan", channel: "immediate" }),
  provision(at("2022-05-01", "00:30"), PREF, { schedule: "6", item: "6-3", recipient: "pref-other-shikkou-kikan", channel: "immediate" }),
  provision(at("2022-06-15", "10:00"), PREF, { schedule: "6", item: "6-3", recipient: "pref-other-shikkou-kikan", channel: "immediate", records: 3 }),
  provision(at("2022-04-20", "10:00"), PREF, { schedule: "6", item: "6-3", recipient: "pref-other-shikkou-kikan", channel: "immediate", outcome: "failure" }),
  provision(at("2022-04-08", "10:00"), SHIMONOSEKI, { schedule: "jukiho", item: "jukiho-1", recipient: "shichouson-chou", channel: "immediate" }),
  provision(at("2022-06-09", "10:00"), SHIMONOSEKI, { schedule: "jukiho", item: "jukiho-1", recipient: "shichouson-chou", channel: "immediate" }),
  provision(at("2022-05-05", "10:00"), YAMAGUCHI, { schedule: "jukiho", item: "jukiho-2", recipient: "shichouson-chou", channel: "immediate" }),
  unknownRecipient,
];

// The disclosure subject: provisions by 山口市 in April–December 2021, and everything that must stay out.
const codeChange = (() => {
  const e = ev({ t: at("2021-07-20", "11:00"), org: YAMAGUCHI, action: "code_change", resident: SUBJECT });
  e.jukinet.subject.previous_resident_code = OLD_CODE;
  return e;
})();
const DISCLOSURE = [
  // Before the change of code: the same person under the old code (linked by the code_change).
  provision(at("2021-04-20", "10:00"), YAMAGUCHI, {
    schedule: "jukiho",
    item: "jukiho-1",
    recipient: "shichouson-chou",
    channel: "immediate",
    resident: OLD_CODE,
  }),
  codeChange,
  provision(at("2021-05-10", "10:00"), YAMAGUCHI, {
    schedule: "jukiho",
    item: "jukiho-1",
    recipient: "shichouson-chou",
    channel: "immediate",
    resident: SUBJECT,
  }),
  provision(at("2021-09-01", "01:00"), YAMAGUCHI, {
    action: "batch_provide",
    schedule: "jukiho",
    item: "jukiho-5",
    recipient: "shichouson-chou",
    channel: "online_batch",
    records: 5,
    resident: SUBJECT,
    user: `OP-${YAMAGUCHI}-002`,
  }),
  provision(at("2021-12-31", "23:59", 59), YAMAGUCHI, {
    schedule: "jukiho",
    item: "jukiho-2",
    recipient: "shichouson-chou",
    channel: "immediate",
    resident: SUBJECT,
  }),
  // Above 山口市: the prefecture's and the national centre's provisions of the same record (山口市 handles it).
  provision(at("2021-06-15", "10:00"), NATIONAL, { schedule: "1", item: "1-1", recipient: "nenkin-kiko", channel: "immediate", resident: SUBJECT }),
  provision(at("2021-06-16", "10:00"), NATIONAL, { schedule: "1", item: "1-1", recipient: "nenkin-kiko", channel: "immediate", resident: STRANGER }),
  // out of a 山口市 officer's answer: another resident, another municipality, the first instant after the period,
  // a search (not a provision), a failed provision
  provision(at("2021-05-11", "10:00"), YAMAGUCHI, {
    schedule: "jukiho",
    item: "jukiho-1",
    recipient: "shichouson-chou",
    channel: "immediate",
    resident: OTHER,
  }),
  provision(at("2021-07-01", "10:00"), SHIMONOSEKI, {
    schedule: "jukiho",
    item: "jukiho-1",
    recipient: "shichouson-chou",
    channel: "immediate",
    resident: SUBJECT,
  }),
  provision(at("2022-01-01", "00:00"), YAMAGUCHI, {
    schedule: "jukiho",
    item: "jukiho-1",
    recipient: "shichouson-chou",
    channel: "immediate",
    resident: SUBJECT,
  }),
  search(at("2021-05-10", "09:59"), YAMAGUCHI, "jukiho", "jukiho-1", { resident: SUBJECT }),
  provision(at("2021-08-01", "10:00"), YAMAGUCHI, {
    schedule: "jukiho",
    item: "jukiho-1",
    recipient: "shichouson-chou",
    channel: "immediate",
    resident: SUBJECT,
    outcome: "failure",
  }),
  provision(at("2021-06-01", "10:00"), PREF, { schedule: "6", item: "6-1", recipient: "pref-kyoiku-iinkai", channel: "immediate", resident: SUBJECT }),
];

// Fixed ids (ev() draws random ones): ingesting the fixture again is a no-op.
for (const [i, e] of [...SEARCHES, ...PROVISIONS, ...DISCLOSURE].entries()) e.event.id = `it-stats-${i + 1}`;

/** Imports the registry and ingests the fixture events before the file's tests. */
export function useStatisticsData(): void {
  beforeAll(async () => {
    await useFixtureRegistry();
    await ingest([...SEARCHES, ...PROVISIONS, ...DISCLOSURE]);
  });
}

/** The query of the counted events (no failures) of some organisations and actions in [from, to), for the independent checks. */
export const counted = (orgs: string[], actions: string[], from: string, to: string, also: object[] = []) => ({
  bool: {
    filter: [{ terms: { "organization.id": orgs } }, { terms: { "event.action": actions } }, { range: { "@timestamp": { gte: from, lt: to } } }, ...also],
    must_not: [{ term: { "event.outcome": "failure" } }],
  },
});

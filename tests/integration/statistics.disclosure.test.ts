/** Resident disclosure: the subject's provisions within the scope, refusals, and the privacy of the 住民票コード; fixture in statistics.fixture.ts. */
import { describe, expect, it } from "vitest";
import { db } from "../../lib/db";
import { es } from "../../lib/es/client";
import { aliasName } from "../../lib/es/indices";
import { residentRef } from "../../domain/ingest/pseudonym";
import { DisclosureError, disclosureFor } from "../../domain/statistics/disclosure";
import { NATIONAL, officerOf, OLD_CODE, OTHER, PREF, SHIMONOSEKI, staff, STRANGER, SUBJECT, useStatisticsData, YAMAGUCHI } from "./statistics.fixture";

useStatisticsData();

// ---------------------------------------------------------------- resident disclosure

describe("resident disclosure", () => {
  const officer = { id: "it-disclosure-officer", login: "yamaguchi-officer" };

  it("lists exactly the subject's provisions by the organisations in scope within the period, in time order", async () => {
    const d = await disclosureFor(await officerOf(YAMAGUCHI), { residentCode: SUBJECT, from: "2021-04-01", to: "2021-12-31", requestedBy: officer });
    expect(d.rows.map((r) => [r.date, r.provider.id, r.recipient.id, r.item, r.channelLabel, r.records])).toEqual([
      ["2021-04-20", YAMAGUCHI, "shichouson-chou", "jukiho-1", "即時提供", 1],
      ["2021-05-10", YAMAGUCHI, "shichouson-chou", "jukiho-1", "即時提供", 1],
      ["2021-06-01", PREF, "pref-kyoiku-iinkai", "6-1", "即時提供", 1],
      ["2021-06-15", NATIONAL, "nenkin-kiko", "1-1", "即時提供", 1],
      ["2021-09-01", YAMAGUCHI, "shichouson-chou", "jukiho-5", "電気通信回線", 5],
      ["2021-12-31", YAMAGUCHI, "shichouson-chou", "jukiho-2", "即時提供", 1],
    ]);
    expect(d.rows[0].provider.name).toBe("山口市");
    // The old code's provision is the same person's; the old code itself is the one asked for only through the link.
    const old = await disclosureFor(await officerOf(YAMAGUCHI), { residentCode: OLD_CODE, from: "2021-04-01", to: "2021-12-31", requestedBy: officer });
    expect(old.rows.map((r) => r.date)).toEqual(d.rows.map((r) => r.date));
    expect(d.rows[0].purpose).toBe("住基法上の事務 転入通知（転入地市町村から転出地市町村への通知）");
  });

  it("gives upstream provisions only of records the scope handles; widens only with the scope it is given", async () => {
    // 山口市 never handled STRANGER: the national centre's provision of that record is not theirs to read.
    const stranger = await disclosureFor(await officerOf(YAMAGUCHI), { residentCode: STRANGER, from: "2021-04-01", to: "2021-12-31", requestedBy: officer });
    expect(stranger.rows).toEqual([]);
    const d = await disclosureFor(await staff(), { residentCode: SUBJECT, from: "2021-04-01", to: "2021-12-31", requestedBy: officer });
    expect(d.rows.map((r) => `${r.date} ${r.provider.id}`)).toEqual([
      `2021-04-20 ${YAMAGUCHI}`,
      `2021-05-10 ${YAMAGUCHI}`,
      `2021-06-01 ${PREF}`,
      `2021-06-15 ${NATIONAL}`,
      `2021-07-01 ${SHIMONOSEKI}`,
      `2021-09-01 ${YAMAGUCHI}`,
      `2021-12-31 ${YAMAGUCHI}`,
    ]);
    // 下関市 also handled SUBJECT (its own provision), so it sees the upstream ones too, but not 山口市's.
    const shimonoseki = await disclosureFor(await officerOf(SHIMONOSEKI), {
      residentCode: SUBJECT,
      from: "2021-04-01",
      to: "2021-12-31",
      requestedBy: officer,
    });
    expect(shimonoseki.rows.map((r) => `${r.date} ${r.provider.id}`)).toEqual([`2021-06-01 ${PREF}`, `2021-06-15 ${NATIONAL}`, `2021-07-01 ${SHIMONOSEKI}`]);
    const other = await disclosureFor(await officerOf(YAMAGUCHI), { residentCode: OTHER, from: "2021-04-01", to: "2021-12-31", requestedBy: officer });
    expect(other.rows.map((r) => r.date)).toEqual(["2021-05-11"]);
  });

  it("refuses a malformed code or period without looking anything up", async () => {
    const before = await db().consoleAuditEvent.count({ where: { action: "resident_disclosure" } });
    await expect(
      disclosureFor(await officerOf(YAMAGUCHI), { residentCode: "5000042424", from: "2021-04-01", to: "2021-12-31", requestedBy: officer }),
    ).rejects.toBeInstanceOf(DisclosureError);
    await expect(
      disclosureFor(await officerOf(YAMAGUCHI), { residentCode: SUBJECT, from: "2021-12-31", to: "2021-04-01", requestedBy: officer }),
    ).rejects.toMatchObject({ code: "invalid_period" });
    expect(await db().consoleAuditEvent.count({ where: { action: "resident_disclosure" } })).toBe(before);
  });

  it("records each lookup with the period, the rows and a 12-character reference, and never the code, in SQLite or Elasticsearch", async () => {
    await disclosureFor(await officerOf(YAMAGUCHI), { residentCode: SUBJECT, from: "2021-04-01", to: "2021-12-31", requestedBy: officer });
    const last = await db().consoleAuditEvent.findFirst({ where: { action: "resident_disclosure" }, orderBy: { seq: "desc" } });
    expect(last).toMatchObject({ actorId: officer.id, actorLogin: officer.login });
    expect(JSON.parse(last!.details!)).toEqual({ from: "2021-04-01", to: "2021-12-31", rows: 6, upstream: true, ref: residentRef(SUBJECT).slice(0, 12) });

    for (const row of await db().consoleAuditEvent.findMany()) expect(JSON.stringify(row)).not.toMatch(new RegExp(`${SUBJECT}|${OLD_CODE}`));

    await es().indices.refresh({ index: "_all" });
    const anywhere = await es().search({ index: "_all", query: { query_string: { query: `"${SUBJECT}"`, lenient: true } } });
    expect(anywhere.hits.hits).toHaveLength(0);
    const docs = await es().search({ index: aliasName("events"), size: 100, query: { term: { "jukinet.subject.ref": residentRef(SUBJECT) } } });
    expect(docs.hits.hits.length).toBeGreaterThan(0);
    for (const h of docs.hits.hits) expect(JSON.stringify(h._source)).not.toContain(SUBJECT);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { GET } from "../../app/api/alerts/route";
import { issueApiToken } from "../../lib/auth/api-tokens";
import { at, businessWeek, DATES, detect, ev, ingest, resident, SHIMONOSEKI, useFixtureRegistry, YAMAGUCHI } from "./detectors/harness";

const day = businessWeek(DATES.engine.start);
const from = at(day(0), "00:00");
const to = at(day(5), "00:00");

async function get(query: string, token?: string) {
  const res = await GET(new Request(`http://localhost/api/alerts?${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }));
  return { status: res.status, body: (await res.json()) as any };
}

let monitor: string;
let shimonosekiOfficer: string;

beforeAll(async () => {
  await useFixtureRegistry();
  await ingest([
    ev({ t: at(day(1), "22:00"), user: `OP-${SHIMONOSEKI}-004`, resident: resident(901) }),
    ev({ t: at(day(2), "23:00"), org: YAMAGUCHI, user: `OP-${YAMAGUCHI}-003`, resident: resident(902) }),
  ]);
  await detect("after-hours-access", from, to);
  monitor = (await issueApiToken({ name: "t", role: "monitor", organizationId: "350001" })).token;
  shimonosekiOfficer = (await issueApiToken({ name: "t", role: "municipal_officer", organizationId: SHIMONOSEKI })).token;
});

describe("GET /api/alerts", () => {
  const q = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&rule=after-hours-access`;

  it("requires a token", async () => {
    expect((await get(q)).status).toBe(401);
    expect((await get(q, "jkwapi_x_y")).status).toBe(401);
  });

  it("gives the prefecture's monitor every municipality, in the contract's shape", async () => {
    const { status, body } = await get(q, monitor);
    expect(status).toBe(200);
    expect(body.total).toBe(2);
    expect(body.alerts.map((a: any) => a.organization.id).sort()).toEqual([SHIMONOSEKI, YAMAGUCHI]);
    const a = body.alerts[0];
    expect(Object.keys(a)).toEqual(expect.arrayContaining(["id", "rule", "severity", "window", "entity", "organization", "status", "evidence"]));
    expect(a.rule).toEqual({ id: "after-hours-access", name: "業務時間外の操作" });
    expect(a.status).toBe("open");
  });

  it("limits a municipal officer to their municipality and refuses another one with 403", async () => {
    const own = await get(q, shimonosekiOfficer);
    expect(own.status).toBe(200);
    expect(own.body.total).toBe(1);
    expect(own.body.alerts[0].organization.id).toBe(SHIMONOSEKI);
    const other = await get(`${q}&organization=${YAMAGUCHI}`, shimonosekiOfficer);
    expect(other.status).toBe(403);
    expect(other.body).not.toHaveProperty("total");
  });

  it("answers 422 on bad parameters", async () => {
    expect((await get("from=yesterday", monitor)).status).toBe(422);
  });
});

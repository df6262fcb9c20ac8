import { beforeAll, describe, expect, it } from "vitest";
import { isBusinessDay } from "../../../lib/calendar";
import { at, businessWeek, DATES, detect, ev, ingestSystemActivity, plus, PREF, resident, useFixtureRegistry } from "./harness";

const RULE = "provision-volume-anomaly";
const day = businessWeek(DATES[RULE].start);
const NATIONAL = "000001";
const baselineDays = Array.from({ length: 16 }, (_, n) => n); // day(0)…day(15)
const ANOMALY = 16;

function provision(t: string, org: string, recipient: string, name: string, action: "provide" | "batch_provide", extra: Record<string, unknown> = {}) {
  const user = `SYS-${org}-BATCH`;
  const e = ev({ t, org, action, user, host: undefined, recipient, ...extra });
  if (extra.user === null) delete e.user;
  e.jukinet.recipient.name = name;
  delete e.host;
  return e;
}

beforeAll(async () => {
  await useFixtureRegistry();
  const events = [];
  for (const n of [...baselineDays, ANOMALY]) {
    // Nightly online batch of 別表第3 item 3-1 to 都道府県知事 by the prefectural server, without an operator (system activity,
    // §1): about 250 records, ten times that on the anomaly night.
    const chiji = n === ANOMALY ? 2700 : 240 + (n % 5) * 10;
    events.push(provision(at(day(n), "02:10"), PREF, "todofuken-chiji", "都道府県知事", "batch_provide", { records: chiji, schedule: "3", item: "3-1", user: null }));
    // Hard negative: nightly batches to 日本年金機構 of tens of thousands of records, varying ±10 % (the anomaly night too).
    const nenkin = [38_000, 41_000, 36_500, 43_000, 39_500][n % 5] + (n === ANOMALY ? 5_000 : 0);
    events.push(provision(at(day(n), "02:40"), NATIONAL, "nenkin-kiko", "日本年金機構", "batch_provide", { records: nenkin, schedule: "1", item: "1-1" }));
    // Immediate provisions to 国家公務員共済組合連合会 on business days: about 10 a day, 130 on the anomaly day.
    if (!isBusinessDay(day(n))) continue;
    const count = n === ANOMALY ? 130 : 8 + (n % 4);
    for (let i = 0; i < count; i++) {
      events.push(provision(plus(at(day(n), "10:00"), i * 2), NATIONAL, "kokka-koumuin-kyosai", "国家公務員共済組合連合会", "provide", { schedule: "1", item: "1-7", resident: resident(5000 + n * 200 + i) }));
    }
  }
  await ingestSystemActivity(events);
});

describe(RULE, () => {
  it("fires on a recipient's provisions or records far above its 28-day median, not on large usual batches", async () => {
    const { alerts } = await detect(RULE, at(day(0), "00:00"), at(day(ANOMALY + 1), "00:00"));
    const byRecipient = new Map(alerts.map((a) => [a.entity.id, a]));
    expect([...byRecipient.keys()].sort()).toEqual(["kokka-koumuin-kyosai", "todofuken-chiji"]);

    const chiji = byRecipient.get("todofuken-chiji")!;
    expect(chiji.entity.type).toBe("recipient");
    expect(chiji.organization.id).toBe(PREF);
    expect(chiji.window.start).toBe(new Date(at(day(ANOMALY), "00:00")).toISOString());
    expect(chiji.severity).toBe("high"); // ten times the median
    const ce = chiji.evidence as any;
    expect(ce.counts).toEqual({ provisions: 1, records: 2700 });
    expect(ce.exceeded).toEqual(["records"]);
    expect(ce.baseline).toMatchObject({ history_days: 16, median_records: 260 });
    expect(ce.recipient_name).toBe("都道府県知事");
    expect(ce.sample_events).toHaveLength(1);

    const kyosai = byRecipient.get("kokka-koumuin-kyosai")!;
    expect(kyosai.organization.id).toBe(NATIONAL);
    const ke = kyosai.evidence as any;
    expect(ke.counts.provisions).toBe(130);
    expect(ke.exceeded).toEqual(["provisions"]);
    expect(ke.baseline.median_provisions).toBeGreaterThanOrEqual(8);
    expect(ke.baseline.median_provisions).toBeLessThanOrEqual(11);
    expect(ke.channels).toEqual({ immediate: 130 });
    expect(ke.sample_events).toHaveLength(5);
  });

  it("creates no new alerts when rerun", async () => {
    const again = await detect(RULE, at(day(ANOMALY), "00:00"), at(day(ANOMALY + 1), "00:00"));
    expect(again.summary.created).toBe(0);
    expect(again.summary.alerts).toBe(2);
  });
});

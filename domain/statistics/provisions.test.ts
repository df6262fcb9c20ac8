import { describe, expect, it } from "vitest";
import { buildProvisionTable, monthLabel, purposeLabel, recipientName, type ProvisionCell } from "./provisions";

const MONTHS = ["2022-03", "2022-04", "2022-05"];
const cell = (over: Partial<ProvisionCell>): ProvisionCell => ({
  recipientId: "nenkin-kiko",
  schedule: "1",
  item: "1-1",
  channel: "immediate",
  month: "2022-04",
  records: 1,
  ...over,
});

describe("buildProvisionTable", () => {
  const table = buildProvisionTable(MONTHS, [
    cell({ channel: "online_batch", month: "2022-03", records: 300 }),
    cell({ channel: "immediate", month: "2022-04", records: 2 }),
    cell({ channel: "online_batch", month: "2022-05", records: 50 }),
    cell({ channel: "media", month: "2022-05", records: 7 }),
    cell({ recipientId: "kokuzeicho", item: "1-3", channel: "immediate", month: "2022-05", records: 4 }),
    cell({ recipientId: "agency-x", recipientName: "試験機関", schedule: "6", item: "6-9", channel: "media", month: "2022-03", records: 1 }),
  ]);

  it("has one row per recipient × 事務 × channel, channels in seed 001's order and every month", () => {
    const [pension] = table.groups;
    expect(pension.recipient).toEqual({ id: "nenkin-kiko", name: "日本年金機構" });
    expect(pension.purpose).toMatch(/^別表第1 国民年金/);
    expect(pension.rows.map((r) => [r.label, r.months, r.total])).toEqual([
      ["即時提供", [0, 2, 0], 2],
      ["磁気媒体", [0, 0, 7], 7],
      ["電気通信回線", [300, 0, 50], 350],
    ]);
    expect(pension.total).toBe(359);
  });

  it("orders 事務 as purposes.json does and names unknown recipients as sent", () => {
    expect(table.groups.map((g) => `${g.item}/${g.recipient.name}`)).toEqual(["1-1/日本年金機構", "1-3/国税庁", "6-9/試験機関"]);
    expect(table.groups[2].purpose).toBe("別表第6 6-9");
  });

  it("totals every month, every channel and the whole table", () => {
    expect(table.monthTotals).toEqual([301, 2, 61]);
    expect(table.total).toBe(364);
    expect(table.channels.map((r) => [r.channel, r.months, r.total])).toEqual([
      ["immediate", [0, 2, 4], 6],
      ["media", [1, 0, 7], 8],
      ["online_batch", [300, 0, 50], 350],
    ]);
    expect(table.total).toBe(table.groups.reduce((s, g) => s + g.total, 0));
  });

  it("is empty but complete without provisions", () => {
    expect(buildProvisionTable(MONTHS, [])).toEqual({ months: MONTHS, groups: [], channels: [], monthTotals: [0, 0, 0], total: 0 });
  });

  it("refuses a cell outside the months rather than dropping it", () => {
    expect(() => buildProvisionTable(MONTHS, [cell({ month: "2022-06" })])).toThrow(RangeError);
  });
});

describe("labels", () => {
  it("labels months, purposes and recipients", () => {
    expect(monthLabel("2022-04")).toBe("2022年4月");
    expect(purposeLabel("jukiho", "jukiho-99")).toBe("住基法上の事務 jukiho-99");
    expect(recipientName("kokuzeicho", "ignored")).toBe("国税庁");
    expect(recipientName("unknown-agency")).toBe("unknown-agency");
  });
});

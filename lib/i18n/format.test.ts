import { describe, expect, it } from "vitest";
import { formatDateKey, formatDateOnly, formatOfficialDate, formatOfficialDateKey, formatRecordedValue, formatWareki } from "./format";

describe("official dates (和暦 with 西暦)", () => {
  it("writes the JST day in the era and the Western calendar", () => {
    expect(formatOfficialDate(new Date("2026-12-01T10:00:00+09:00"))).toBe("令和8年12月1日（2026年12月1日）");
    // 23:30 UTC on 11/30 is already 12/1 in Japan.
    expect(formatOfficialDate("2026-11-30T23:30:00Z")).toBe("令和8年12月1日（2026年12月1日）");
    expect(formatOfficialDateKey("2027-03-31")).toBe("令和9年3月31日（2027年3月31日）");
  });

  it("changes era on its first day and calls the first year 元年", () => {
    expect(formatWareki("2019-04-30T12:00:00+09:00")).toBe("平成31年4月30日");
    expect(formatWareki("2019-05-01T00:00:00+09:00")).toBe("令和元年5月1日");
    expect(formatWareki("2020-01-01T00:00:00+09:00")).toBe("令和2年1月1日");
    expect(formatWareki("1989-01-07T12:00:00+09:00")).toBe("昭和64年1月7日");
    expect(formatWareki("1989-01-08T00:00:00+09:00")).toBe("平成元年1月8日");
  });
});

describe("dates entered as dates", () => {
  it("stay the day that was entered, without a time", () => {
    expect(formatDateKey("2026-12-31")).toBe("2026/12/31");
    expect(formatDateOnly("2026-12-31")).toBe("2026/12/31");
    // A due date stored as JST midnight (what an <input type=date> of 2027-01-31 becomes).
    expect(formatDateOnly(new Date("2027-01-30T15:00:00.000Z"))).toBe("2027/01/31");
  });

  it("read from a change history: a JST-midnight instant as its date, other instants as JST date-times, text unchanged", () => {
    expect(formatRecordedValue("2027-01-30T15:00:00.000Z")).toBe("2027/01/31");
    expect(formatRecordedValue("2027-01-31T01:02:03.000Z")).toBe("2027/01/31 10:02:03");
    expect(formatRecordedValue("responded")).toBe("responded");
    expect(formatRecordedValue("2027-01-31")).toBe("2027-01-31");
  });
});

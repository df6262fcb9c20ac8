import { describe, expect, it } from "vitest";
import { CHANNELS, EVENT_ACTIONS, OBSERVER_TYPES, PURPOSE_SCHEDULES, QUERY_KINDS } from "../ingest/event";
import { channelLabel, eventActionLabel, evidenceLabel, nodeTypeLabel, queryKindLabel, scheduleLabel, trailActionLabel } from "../../lib/i18n";
import { CSV_COLUMNS, UTF8_BOM } from "./explorer";

/** A label that is the code itself is a code the catalogue does not name. */
const unnamed = (codes: readonly string[], label: (c: string) => string) => codes.filter((c) => label(c) === c || /^[a-z_]+$/.test(label(c)));

describe("every code of the access-log contract has a Japanese label", () => {
  it("actions, node types, query kinds, schedules and channels", () => {
    expect(unnamed(EVENT_ACTIONS, eventActionLabel)).toEqual([]);
    expect(unnamed(OBSERVER_TYPES, nodeTypeLabel)).toEqual([]);
    expect(unnamed(QUERY_KINDS, queryKindLabel)).toEqual([]);
    expect(unnamed(PURPOSE_SCHEDULES, scheduleLabel)).toEqual([]);
    expect(unnamed(CHANNELS, channelLabel)).toEqual([]);
  });

  it("evidence keys read as Japanese, per-action and per-query-kind counts included; an unknown key stays as it is", () => {
    expect(evidenceLabel("distinct_subjects")).toBe("照会対象者数");
    expect(evidenceLabel("search")).toBe("検索");
    expect(evidenceLabel("kind_four_info")).toBe("検索条件：4情報");
    expect(evidenceLabel("some_new_key")).toBe("some_new_key");
  });

  it("audit-trail actions read as Japanese", () => {
    expect(trailActionLabel("event_export")).toBe("ログのCSV出力");
    expect(trailActionLabel("resident_disclosure")).toBe("提供状況の開示の照会");
    expect(trailActionLabel("not_yet_named")).toBe("not_yet_named");
  });
});

describe("the events CSV", () => {
  const row = {
    id: "e1",
    timestamp: "2026-11-30T13:05:00.000Z",
    action: "batch_provide",
    outcome: "success",
    organization: "352012",
    node: "CS-352012",
    schedule: "1",
    item: "1-1",
    channel: "online_batch",
    queryKind: "four_info",
  };
  const cells = Object.fromEntries(CSV_COLUMNS.map(([k, cell]) => [k, cell(row, new Map([["352012", "下関市"]]))]));

  it("shows times in JST, codes as labels and the organisation's name beside its code", () => {
    expect(cells.timestamp).toBe("2026/11/30 22:05:00");
    expect(cells.action).toBe("一括提供");
    expect(cells.outcome).toBe("成功");
    expect(cells.organization).toBe("352012");
    expect(cells.organizationName).toBe("下関市");
    expect(cells.schedule).toBe("別表第1");
    expect(cells.channel).toBe("電気通信回線");
    expect(cells.queryKind).toBe("4情報");
    expect(cells.operator).toBeUndefined();
  });

  it("starts with the byte order mark Excel needs to read UTF-8", () => {
    expect(Buffer.from(UTF8_BOM, "utf8")).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });
});

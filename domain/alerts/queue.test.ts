import { describe, expect, it } from "vitest";
import { dueAt, formatDuration } from "./due";
import { groupIncidents } from "./groups";
import { queueSort, resolveRules } from "./queue";
import { isValidAction } from "./triage";
import { viewQuery } from "./views";

const a = (id: string, org: string, start: string, end: string) => ({ id, organization: { id: org }, window: { start, end } });

describe("incident groups", () => {
  it("puts alerts of one organisation with overlapping windows in one group, across rules, in list order", () => {
    const list = [
      a("op", "352012", "2026-11-02T01:00:00Z", "2026-11-02T02:00:00Z"),
      a("other-org", "352039", "2026-11-02T01:00:00Z", "2026-11-02T02:00:00Z"),
      a("term", "352012", "2026-11-02T01:30:00Z", "2026-11-02T03:00:00Z"),
      a("later", "352012", "2026-11-02T03:00:00Z", "2026-11-02T04:00:00Z"),
    ];
    const groups = groupIncidents(list);
    expect(groups.map((g) => g.members.map((m) => m.id))).toEqual([["op", "term"], ["other-org"], ["later"]]);
    expect(groups[0].head.id).toBe("op");
  });
  it("chains overlaps through a long window", () => {
    const list = [
      a("x", "1", "2026-01-01T00:00:00Z", "2026-01-01T10:00:00Z"),
      a("y", "1", "2026-01-01T09:00:00Z", "2026-01-01T11:00:00Z"),
      a("z", "1", "2026-01-01T02:00:00Z", "2026-01-01T03:00:00Z"),
    ];
    expect(groupIncidents(list)).toHaveLength(1);
  });
});

describe("due times", () => {
  it("gives critical alerts 4 hours", () => {
    expect(dueAt("critical", "2026-12-04T01:00:00Z").toISOString()).toBe("2026-12-04T05:00:00.000Z");
  });
  it("counts business days for high, skipping the weekend (Friday → Monday)", () => {
    // Friday 2026-12-04 10:00 JST
    expect(dueAt("high", "2026-12-04T01:00:00Z").toISOString()).toBe("2026-12-07T01:00:00.000Z");
  });
  it("skips the year-end closure for medium (12/28 → 1/6)", () => {
    // Monday 2026-12-28 10:00 JST: 12/29–1/3 closed, 1/4 Mon, 1/5 Tue, 1/6 Wed
    expect(dueAt("medium", "2026-12-28T01:00:00Z").toISOString()).toBe("2027-01-06T01:00:00.000Z");
  });
  it("formats durations in Japanese", () => {
    expect(formatDuration(8 * 60_000)).toBe("8分");
    expect(formatDuration((5 * 60 + 12) * 60_000)).toBe("5時間12分");
    expect(formatDuration((3 * 24 + 4) * 3600_000)).toBe("3日4時間");
  });
});

describe("the rule filter", () => {
  const rules = [
    { id: "enumeration-scan", name: "本人確認情報の網羅的照会（スキャン）", nameEn: "Enumeration scan" },
    { id: "after-hours-access", name: "業務時間外の操作", nameEn: "After-hours access" },
  ];
  it("finds a rule by part of its Japanese name, its English name or its id", () => {
    expect(resolveRules("スキャン", rules)).toEqual(["enumeration-scan"]);
    expect(resolveRules("ｽｷｬﾝ", rules)).toEqual(["enumeration-scan"]);
    expect(resolveRules("after-hours", rules)).toEqual(["after-hours-access"]);
    expect(resolveRules("Scan", rules)).toEqual(["enumeration-scan"]);
    expect(resolveRules("存在しない", rules)).toEqual([]);
  });

  it("takes a comma-separated list of rules (the checklist's log-check figures link to one)", () => {
    expect(resolveRules("enumeration-scan,after-hours-access", rules)).toEqual(["enumeration-scan", "after-hours-access"]);
    expect(resolveRules("enumeration-scan,no-such-rule", rules)).toEqual(["enumeration-scan"]);
  });
});

describe("the queue", () => {
  it("sorts with a stable tie-break and oldest first for age descending", () => {
    expect(queueSort("time", "desc")).toEqual([{ "window.start": { order: "desc" } }, { id: "asc" }]);
    expect(queueSort("age", "desc")[0]).toEqual({ "detection.first_seen": { order: "asc" } });
    expect(queueSort("severity", "asc")).toEqual([{ "window.start": "desc" }, { id: "asc" }]);
  });
  it("offers only the actions valid for the state", () => {
    expect(isValidAction("open", "acknowledge")).toBe(true);
    expect(isValidAction("acknowledged", "acknowledge")).toBe(false);
    expect(isValidAction("closed", "close")).toBe(false);
    expect(isValidAction("closed", "reopen")).toBe(true);
    expect(isValidAction("open", "reopen")).toBe(false);
    expect(isValidAction("closed", "note")).toBe(true);
  });
  it("saves only the queue's filter and sort in a view", () => {
    expect(viewQuery("status=open&page=3&rule=スキャン&evil=1&sort=age")).toBe("status=open&rule=%E3%82%B9%E3%82%AD%E3%83%A3%E3%83%B3&sort=age");
  });
});

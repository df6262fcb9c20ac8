import { describe, expect, it } from "vitest";
import { checkContact } from "./contacts";
import { describeEvent } from "./describe";
import { isOverdue } from "./incidents";
import { severityOfLevel } from "./notifications";

describe("incident timeline lines", () => {
  it("say what happened in Japanese with its particulars", () => {
    expect(describeEvent({ kind: "status", text: "端末を隔離", detail: { from: "investigating", to: "contained" } })).toBe(
      "状態を変更 調査中 → 封じ込め 端末を隔離",
    );
    expect(describeEvent({ kind: "decision", text: "拡大防止", detail: '{"decision":"disconnect","decidedBy":"統括責任者"}' })).toBe(
      "ネットワーク切断を決定 判断者: 統括責任者 拡大防止",
    );
    expect(describeEvent({ kind: "level", text: "漏えいを確認", detail: { from: 3, to: 4 } })).toBe("脅威度を変更 レベル3 → レベル4 漏えいを確認");
    expect(describeEvent({ kind: "investigation_answered", text: "残業", detail: { organizationId: "352012", legitimate: true } }, () => "下関市")).toBe(
      "調査の回答 下関市: 正当な業務によるもの 残業",
    );
    // An unknown kind shows as itself (a newer entry read by an older console).
    expect(describeEvent({ kind: "future_kind", text: "", detail: null })).toBe("future_kind");
  });
});

describe("the upward report deadline", () => {
  const due = new Date("2026-12-01T10:00:00Z");
  it("is overdue only when past, unreported and the incident open", () => {
    expect(isOverdue({ status: "received", reportDueAt: due, reportedAt: null }, new Date("2026-12-01T10:00:01Z"))).toBe(true);
    expect(isOverdue({ status: "received", reportDueAt: due, reportedAt: null }, new Date("2026-12-01T09:59:59Z"))).toBe(false);
    expect(isOverdue({ status: "received", reportDueAt: due, reportedAt: due }, new Date("2026-12-02T00:00:00Z"))).toBe(false);
    expect(isOverdue({ status: "closed", reportDueAt: due, reportedAt: null }, new Date("2026-12-02T00:00:00Z"))).toBe(false);
    expect(isOverdue({ status: "received", reportDueAt: null, reportedAt: null }, new Date("2026-12-02T00:00:00Z"))).toBe(false);
  });
  it("maps levels to notification severities", () => {
    expect([1, 2, 3, 4].map(severityOfLevel)).toEqual(["low", "medium", "high", "critical"]);
  });
});

describe("contacts", () => {
  it("are checked field by field, naming the bad one", () => {
    expect(
      checkContact({ organizationId: "352012", role: "security_officer", name: " 下関市 ", email: "a@city.example.lg.jp", phone: "083-231-1111 内線123" }),
    ).toMatchObject({
      name: "下関市",
      phone: "083-231-1111 内線123",
    });
    expect(() => checkContact({ organizationId: "x", role: "__proto__", name: "x" })).toThrow(/role/);
    expect(() => checkContact({ organizationId: "x", role: "other", name: "" })).toThrow(/name/);
    expect(() => checkContact({ organizationId: "x", role: "other", name: "x", email: "a@b" })).toThrow(/email/);
    expect(() => checkContact({ organizationId: "x", role: "other", name: "x", email: "=cmd|'/c calc'!A1@x.jp" })).toThrow(/email/);
    expect(() => checkContact({ organizationId: "x", role: "other", name: "x", phone: "=1+1" })).toThrow(/phone/);
  });
});

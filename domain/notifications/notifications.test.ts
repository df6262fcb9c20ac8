import { describe, expect, it } from "vitest";
import { DEFAULT_PREFERENCES, mailNotBefore, preferencesInput, wants } from "./preferences";
import { backoffMs, RETRY_MAX_MS } from "./queue";
import { consoleLink, jstIso, mailOf, redactNumbers, signatureOf, verifySignature, webhookBody, type StoredEvent } from "./text";

const jst = (s: string) => new Date(`${s}+09:00`);

describe("quiet hours (JST)", () => {
  const quiet = { quietStart: "22:00", quietEnd: "07:00" };
  it("hold non-critical mail until they end, across midnight", () => {
    expect(mailNotBefore(quiet, "high", jst("2026-12-02T23:30:00"))).toEqual(jst("2026-12-03T07:00:00"));
    expect(mailNotBefore(quiet, "medium", jst("2026-12-03T03:00:00"))).toEqual(jst("2026-12-03T07:00:00"));
    expect(mailNotBefore(quiet, "low", jst("2026-12-03T07:00:00"))).toEqual(jst("2026-12-03T07:00:00"));
    expect(mailNotBefore(quiet, "low", jst("2026-12-03T12:00:00"))).toEqual(jst("2026-12-03T12:00:00"));
  });
  it("within one day, and never for critical events or without quiet hours", () => {
    const lunch = { quietStart: "12:00", quietEnd: "13:00" };
    expect(mailNotBefore(lunch, "high", jst("2026-12-02T12:30:00"))).toEqual(jst("2026-12-02T13:00:00"));
    expect(mailNotBefore(lunch, "high", jst("2026-12-02T13:30:00"))).toEqual(jst("2026-12-02T13:30:00"));
    expect(mailNotBefore(quiet, "critical", jst("2026-12-02T23:30:00"))).toEqual(jst("2026-12-02T23:30:00"));
    expect(mailNotBefore(DEFAULT_PREFERENCES, "low", jst("2026-12-02T23:30:00"))).toEqual(jst("2026-12-02T23:30:00"));
  });
});

describe("preferences", () => {
  it("filter alert notifications by least severity, the other types by type only", () => {
    const p = { ...DEFAULT_PREFERENCES, minSeverity: "high" as const };
    expect(wants(p, "alert.created", "medium")).toBe(false);
    expect(wants(p, "alert.created", "critical")).toBe(true);
    expect(wants(p, "node.silent", "medium")).toBe(false);
    expect(wants(p, "checklist.deadline", "medium")).toBe(true);
    expect(wants({ ...p, types: ["incident.opened"] }, "checklist.deadline", "high")).toBe(false);
  });
  it("refuse a malformed address, half-set or empty quiet hours and unknown types", () => {
    const ok = { email: "a@b.lg.jp", types: ["alert.created"], mail: true, console: true, minSeverity: "high", quietStart: null, quietEnd: null };
    expect(preferencesInput.safeParse(ok).success).toBe(true);
    expect(preferencesInput.safeParse({ ...ok, email: "a@b.lg.jp\r\nBcc: x@y" }).success).toBe(false);
    expect(preferencesInput.safeParse({ ...ok, quietStart: "22:00" }).success).toBe(false);
    expect(preferencesInput.safeParse({ ...ok, quietStart: "22:00", quietEnd: "22:00" }).success).toBe(false);
    expect(preferencesInput.safeParse({ ...ok, types: ["__proto__"] }).success).toBe(false);
  });
});

describe("text of notifications", () => {
  const event: StoredEvent = {
    id: "ev1",
    type: "alert.created",
    organizationId: "352012",
    severity: "critical",
    title: "アラート：本人確認情報の大量出力 12345678901",
    lines: JSON.stringify(["対象：操作者 OP-352012-001", "個人番号 123456789012", "期間 2026/12/02 21:00"]),
    path: "/alerts/0123456789abcdef01234567",
    createdAt: new Date("2026-12-02T12:03:00Z"),
  };
  it("blank 11- and 12-digit numbers, keep codes, ids and times", () => {
    expect(redactNumbers("住民票コード 12345678901 と 123456789012")).toBe("住民票コード ［番号省略］ と ［番号省略］");
    expect(redactNumbers("352012 OP-352012-001 2026/12/02 0123456789abcdef01234567 1234567890123")).toBe(
      "352012 OP-352012-001 2026/12/02 0123456789abcdef01234567 1234567890123",
    );
  });
  it("mail: Japanese, JST, a console link, no number", () => {
    const m = mailOf(event, "下関市", "https://watch.example.lg.jp");
    expect(m.subject).toBe("【住基ネット監視】［緊急］アラート：本人確認情報の大量出力 ［番号省略］");
    expect(m.text).toContain("日時（日本時間）：2026/12/02 21:03");
    expect(m.text).toContain("https://watch.example.lg.jp/alerts/0123456789abcdef01234567");
    expect(m.text).not.toMatch(/12345678901/);
  });
  it("webhook: §7's fields, signed over the raw body", () => {
    const body = webhookBody(event, "下関市", "https://watch.example.lg.jp");
    expect(JSON.parse(body)).toEqual({
      type: "alert.created",
      id: "ev1",
      severity: "critical",
      organization: { id: "352012", name: "下関市" },
      title: "アラート：本人確認情報の大量出力 ［番号省略］",
      url: "https://watch.example.lg.jp/alerts/0123456789abcdef01234567",
      at: "2026-12-02T21:03:00+09:00",
    });
    const sig = signatureOf("s3cret", body);
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature("s3cret", body, sig)).toBe(true);
    expect(verifySignature("other", body, sig)).toBe(false);
    expect(verifySignature("s3cret", `${body} `, sig)).toBe(false);
    expect(verifySignature("s3cret", body, undefined)).toBe(false);
  });
  it("links stay on the console", () => {
    expect(consoleLink("https://w.example", "//evil.example/x")).toBe("https://w.example/evil.example/x");
    expect(jstIso(new Date("2026-12-31T15:00:00Z"))).toBe("2027-01-01T00:00:00+09:00");
  });
});

describe("backoff", () => {
  it("doubles from 30 s and stops at an hour", () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(backoffMs(30)).toBe(RETRY_MAX_MS);
  });
});

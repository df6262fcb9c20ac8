/**
 * Suppressions with a date as their 期限 (issue 13): a date means through the
 * end of that day in JST, at the form's parsing and where the detection
 * engine applies them (a fixed clock for the parsing, the real engine over a
 * late-evening event for the application); the rule is one of the detection
 * rules, whose ids and Japanese names follow the rule catalogue.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadRules } from "../../detectors/catalogue";
import { systemScope } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { messages } from "../../lib/i18n";
import { addSuppression, exceptionInput, RULE_IDS, suppressionCovers, suppressionInput, suppressionUntil } from "../../domain/registry/suppressions";
import { at, detect, ev, ingest, resident, SHIMONOSEKI, useFixtureRegistry } from "./detectors/harness";

// A fixed clock: a month before the 期限 (the events must lie in the past for ingest).
const NOW = Date.parse("2025-12-01T10:00:00+09:00");
const OPERATOR = `OP-${SHIMONOSEKI}-002`;
const form = (until: string, ruleId = "after-hours-access") => ({ ruleId, entityType: "operator", entityId: OPERATOR, until, reason: "年末の時間外勤務命令" });

beforeAll(async () => {
  await useFixtureRegistry();
  await ingest([ev({ t: at("2025-12-31", "23:00"), user: OPERATOR, resident: resident(9301) })]);
});

afterAll(async () => {
  await db().suppression.deleteMany({ where: { createdBy: "test-until" } });
});

describe("a suppression's 期限 entered as a date", () => {
  it("runs through the end of that day in JST, and not a minute into the next", () => {
    const parsed = suppressionInput.parse(form("2025-12-31"));
    expect(parsed.until.toISOString()).toBe("2025-12-31T15:00:00.000Z"); // 2026-01-01 00:00 JST, exclusive
    const s = { until: parsed.until, createdAt: new Date(NOW) };
    expect(suppressionCovers(s, Date.parse("2025-12-31T23:00:00+09:00"), NOW)).toBe(true);
    expect(suppressionCovers(s, Date.parse("2025-12-31T23:59:59+09:00"), NOW)).toBe(true);
    expect(suppressionCovers(s, Date.parse("2026-01-01T00:00:00+09:00"), NOW)).toBe(false);
    // The day before does not reach 12/31 23:00.
    expect(suppressionCovers({ ...s, until: suppressionUntil("2025-12-30")! }, Date.parse("2025-12-31T23:00:00+09:00"), NOW)).toBe(false);
    // Not before it was made.
    expect(suppressionCovers(s, Date.parse("2025-12-31T23:00:00+09:00"), NOW - 86_400_000 * 31)).toBe(false);
  });

  it("refuses impossible dates, misspelt rules and past dates in Japanese", async () => {
    expect(suppressionUntil("2025-02-31")).toBeUndefined();
    expect(suppressionInput.safeParse(form("2025-02-31")).error?.issues[0].message).toBe(messages["admin.err.until"]);
    expect(suppressionInput.safeParse(form("2025-12-31", "after-hours-acess")).error?.issues[0].message).toBe(messages["admin.err.rule"]);
    expect(exceptionInput.safeParse({ ...form("x", "enumeration-scna"), until: undefined }).success).toBe(false);
    expect(exceptionInput.safeParse({ ...form("x", "*"), until: undefined }).success).toBe(true);
    await expect(addSuppression(suppressionInput.parse(form("2025-11-30")), "test-until", systemScope("test"), NOW)).rejects.toThrow(
      messages["admin.err.untilPast"],
    );
  });

  it("is applied by the detection engine to an alert of 12/31 23:00 JST", async () => {
    const window = [at("2025-12-31", "00:00"), at("2026-01-01", "00:00")] as const;
    const before = await detect("after-hours-access", ...window);
    expect(before.alerts.map((a) => a.entity.id)).toContain(OPERATOR);
    const s = await addSuppression(suppressionInput.parse(form("2025-12-31")), "test-until", systemScope("test"), NOW);
    const after = await detect("after-hours-access", ...window);
    expect(after.summary.suppressed).toBeGreaterThanOrEqual(1);
    await db().suppression.delete({ where: { id: s.id } });
  });
});

describe("the rules a suppression can name", () => {
  it("are the detection rules, each with its Japanese name", async () => {
    const rules = await loadRules();
    expect([...RULE_IDS].sort()).toEqual(rules.map((r) => r.id).sort());
    for (const r of rules) expect(messages[`admin.rule.${r.id}` as keyof typeof messages]).toBe(r.name.ja);
  });
});

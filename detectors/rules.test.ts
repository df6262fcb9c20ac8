import { describe, expect, it } from "vitest";
import { loadRules } from "./catalogue";

/** The contract's rule ids (INTERFACE.md §4). */
const CONTRACT_RULE_IDS = [
  "after-hours-access", "operator-volume-spike", "broad-query", "purpose-not-permitted", "subject-repeat-access",
  "enumeration-scan", "auth-failure-burst", "concurrent-session", "unregistered-terminal", "maintenance-window-update",
  "node-silence", "ids-alert", "provision-volume-anomaly", "bulk-export",
];
const ENTITY_TYPES = ["operator", "terminal", "card", "node", "recipient", "subject", "host", "organization"];

describe("the rule catalogue", async () => {
  const rules = await loadRules();

  it("has exactly one rule per contract rule id", () => {
    expect(rules.map((r) => r.id).sort()).toEqual([...CONTRACT_RULE_IDS].sort());
  });

  for (const rule of rules) {
    it(`${rule.id}: complete metadata`, () => {
      expect(rule.name.ja).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      expect(rule.name.en.length).toBeGreaterThan(3);
      expect(rule.description.ja).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      expect(rule.description.en.length).toBeGreaterThan(20);
      expect(["low", "medium", "high", "critical"]).toContain(rule.severity);
      expect(rule.riskScore).toBeGreaterThanOrEqual(0);
      expect(rule.riskScore).toBeLessThanOrEqual(100);
      expect(ENTITY_TYPES).toContain(rule.entityType);
      expect(rule.control.length).toBeGreaterThan(5);
      expect(rule.falsePositives.length).toBeGreaterThan(0);
      expect(["hour", "day"]).toContain(rule.bucket);
      expect(typeof rule.run).toBe("function");
      for (const [k, v] of Object.entries(rule.params)) {
        expect(["number", "string", "boolean"].includes(typeof v) || Array.isArray(v), `${rule.id}.params.${k}`).toBe(true);
      }
    });
  }
});

import { describe, expect, it } from "vitest";
import { RULE_IDS } from "./scenarios";
import { describeEachDataset } from "./generate.fixture";

describeEachDataset((data) => {
  describe("labels.json", () => {
    it("covers every rule id with anomalies of distinct ids inside the period", () => {
      const rules = new Set(data.labels.anomalies.map((l) => l.rule));
      for (const id of RULE_IDS) expect(rules.has(id), id).toBe(true);
      const ids = [...data.labels.anomalies, ...data.labels.hard_negatives].map((l) => l.id);
      expect(new Set(ids).size).toBe(ids.length);
      const orgs = new Set(data.registry.organizations.map((o) => o.id));
      for (const l of [...data.labels.anomalies, ...data.labels.hard_negatives]) {
        expect(RULE_IDS).toContain(l.rule);
        expect(orgs.has(l.organization)).toBe(true);
        expect(Date.parse(l.start)).toBeGreaterThanOrEqual(Date.parse(data.labels.from));
        expect(Date.parse(l.end)).toBeLessThanOrEqual(Date.parse(data.labels.to));
        expect(Date.parse(l.start)).toBeLessThanOrEqual(Date.parse(l.end));
        expect(l.description.length).toBeGreaterThan(10);
      }
      const options = data.options;
      expect(data.labels).toMatchObject({ seed: options.seed, days: options.days, scale: options.scale });
    });

    it("lists the hard negatives", () => {
      const rules = data.labels.hard_negatives.map((l) => l.rule);
      for (const rule of [
        "operator-volume-spike",
        "after-hours-access",
        "auth-failure-burst",
        "subject-repeat-access",
        "maintenance-window-update",
        "concurrent-session",
      ]) {
        expect(rules).toContain(rule);
      }
    });

    it("records the demo subject's provisions exactly", () => {
      const code = data.labels.demo_subject.resident_code;
      expect(code).toMatch(/^\d{11}$/);
      const provisions = data.events.filter((e) => e.event.action === "provide" && e.jukinet?.subject?.resident_code === code);
      expect(provisions).toHaveLength(data.labels.demo_subject.provisions);
      expect(new Set(provisions.map((e) => e.jukinet?.recipient?.id)).size).toBeGreaterThanOrEqual(2);
      const views = data.events.filter(
        (e) => e.event.action === "view" && e.organization.id === data.labels.demo_subject.organization && e.jukinet?.subject?.resident_code === code,
      );
      expect(views.length).toBeGreaterThanOrEqual(1);
    });
  });
});

import { describe, expect, it } from "vitest";
import { isValidOrgCode } from "../../lib/orgcode";
import { describeEachDataset } from "./generate.fixture";

describeEachDataset((data) => {
  it("reports what it wrote", () => {
    expect(data.summary.events).toBe(data.events.length);
    expect(data.summary.idsAlerts).toBe(data.alerts.length);
    expect(data.summary.labels).toBe(data.labels.anomalies.length);
    expect(data.summary.files).toContain("registry.json");
    expect(data.summary.files).toContain("labels.json");
    expect(data.summary.files).toContain("ids/IDS-350001.ndjson");
  });

  describe("registry.json", () => {
    it("has valid organisation codes and the prefecture tree", () => {
      for (const o of data.registry.organizations) {
        expect(isValidOrgCode(o.id), o.id).toBe(true);
        expect(["national", "prefecture", "municipality", "agency"]).toContain(o.kind);
        expect(o.business_hours.start).toMatch(/^\d{2}:\d{2}$/);
      }
      const municipalities = data.registry.organizations.filter((o) => o.kind === "municipality");
      expect(municipalities).toHaveLength(19);
      for (const m of municipalities) expect(m.parent).toBe("350001");
      expect(data.registry.organizations.find((o) => o.id === "350001")).toMatchObject({ kind: "prefecture", parent: "000001", name: "山口県" });
      expect(data.registry.organizations.find((o) => o.id === "000001")?.kind).toBe("national");
      expect(municipalities.find((o) => o.id === "352012")?.name).toBe("下関市");
    });

    it("refers only to registered organisations and has unique ids", () => {
      const orgs = new Set(data.registry.organizations.map((o) => o.id));
      for (const list of [
        data.registry.nodes,
        data.registry.terminals,
        data.registry.operators,
        data.registry.permitted_purposes,
        data.registry.maintenance_windows,
        data.registry.after_hours_permits,
      ]) {
        for (const x of list) expect(orgs.has(x.organization), JSON.stringify(x)).toBe(true);
      }
      for (const list of [data.registry.nodes, data.registry.terminals, data.registry.operators]) {
        const ids = list.map((x) => x.id);
        expect(new Set(ids).size).toBe(ids.length);
      }
      const ips = data.registry.terminals.map((t) => t.ip);
      expect(new Set(ips).size).toBe(ips.length);
      const cards = data.registry.operators.flatMap((o) => o.cards);
      expect(new Set(cards).size).toBe(cards.length);
    });

    it("has a CS per municipality, the prefectural server, the national centre and the IDS sensor", () => {
      const nodes = new Map(data.registry.nodes.map((n) => [n.id, n]));
      for (const o of data.registry.organizations.filter((x) => x.kind === "municipality")) {
        // 阿武町's CS sends only on business days: its registered interval covers a long weekend.
        expect(nodes.get(`CS-${o.id}`)).toMatchObject({ type: "municipal_cs", expected_interval_minutes: o.id === "355020" ? 5760 : 60 });
      }
      expect(nodes.get("PS-350001")?.type).toBe("prefectural_server");
      expect(nodes.get("NC-000001")?.type).toBe("national_center");
      expect(nodes.get("IDS-350001")?.type).toBe("ids_sensor");
    });

    it("has maintenance windows inside the period", () => {
      expect(data.registry.maintenance_windows.length).toBeGreaterThanOrEqual(3);
      for (const w of data.registry.maintenance_windows) {
        expect(Date.parse(w.start)).toBeGreaterThanOrEqual(Date.parse(data.labels.from));
        expect(Date.parse(w.end)).toBeLessThanOrEqual(Date.parse(data.labels.to));
        expect(Date.parse(w.start)).toBeLessThan(Date.parse(w.end));
      }
    });
  });
});

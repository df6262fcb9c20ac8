import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { allItems, loadTemplate, TEMPLATE_DIR, templateSchema, templateVersions, type ChecklistTemplate } from "./template";

const versions = templateVersions();
/** Read without the schema, so that one broken file fails its own tests rather than the whole suite. */
const rawTemplate = (version: string) => JSON.parse(fs.readFileSync(path.join(TEMPLATE_DIR, `${version}.json`), "utf8"));

/** What changed between two templates, item by item (ids in template order). */
function diff(previous: ChecklistTemplate, current: ChecklistTemplate) {
  const before = new Map(allItems(previous).map((i) => [i.id, i.text]));
  const after = new Map(allItems(current).map((i) => [i.id, i.text]));
  return {
    added: [...after.keys()].filter((id) => !before.has(id)).sort(),
    removed: [...before.keys()].filter((id) => !after.has(id)).sort(),
    reworded: [...after.keys()].filter((id) => before.has(id) && before.get(id) !== after.get(id)).sort(),
  };
}

describe("checklist templates", () => {
  it("finds the template files", () => {
    expect(versions).toEqual(expect.arrayContaining(["fy2025", "fy2026"]));
  });

  describe.each(versions)("%s", (version) => {
    it("loads and validates against the schema", () => {
      expect(() => loadTemplate(version)).not.toThrow();
    });

    it("names the fiscal year of its file name", () => {
      const t = loadTemplate(version);
      expect(t.version).toBe(version);
      expect(t.fiscalYear).toBe(Number(version.slice(2)));
      expect(t.title).toContain(`令和${t.fiscalYear - 2018}年度`);
    });

    it("has at least 60 items and at least 3 in every section", () => {
      const t = loadTemplate(version);
      expect(allItems(t).length).toBeGreaterThanOrEqual(60);
      for (const s of t.sections) expect(s.items.length, `section ${s.id}`).toBeGreaterThanOrEqual(3);
    });

    it("uses every item id once, numbered within its section", () => {
      const ids = allItems(loadTemplate(version)).map((i) => i.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const s of loadTemplate(version).sections) {
        for (const i of s.items) expect(i.id.startsWith(`${s.id}-`), i.id).toBe(true);
      }
    });
  });

  it("the oldest template has no changes block and every later one has", () => {
    versions.forEach((v, n) => {
      if (n === 0) expect(loadTemplate(v).changes, v).toBeUndefined();
      else expect(loadTemplate(v).changes, v).toBeDefined();
    });
  });

  describe.each(versions.filter((v) => rawTemplate(v).changes !== undefined))("changes recorded in %s", (version) => {
    it("match the real differences from its previous template", () => {
      const t = loadTemplate(version);
      const changes = t.changes!;
      expect(versions).toContain(changes.previous);
      expect(changes.previous < version).toBe(true);
      const real = diff(loadTemplate(changes.previous), t);
      expect({ added: [...changes.added].sort(), removed: [...changes.removed].sort(), reworded: [...changes.reworded].sort() }).toEqual(real);
    });
  });
});

describe("templateSchema rejects broken templates at the offending field", () => {
  const raw = rawTemplate("fy2026");
  const sectionIndex = raw.sections.findIndex((s: { id: string }) => s.id === "OPR");
  const itemIndex = raw.sections[sectionIndex].items.findIndex((i: { id: string }) => i.id === "OPR-03");
  const itemPath = ["sections", sectionIndex, "items", itemIndex];

  /** Parses a deep copy of fy2026 with one item changed; returns the issue paths. */
  function issuePaths(change: (item: Record<string, unknown>) => void): string[] {
    const copy = structuredClone(raw);
    change(copy.sections[sectionIndex].items[itemIndex]);
    const result = templateSchema.safeParse(copy);
    expect(result.success).toBe(false);
    return result.success ? [] : result.error.issues.map((i) => i.path.join("."));
  }

  it("finds the item it breaks", () => {
    expect(sectionIndex).toBeGreaterThanOrEqual(0);
    expect(itemIndex).toBeGreaterThanOrEqual(0);
    expect(templateSchema.safeParse(structuredClone(raw)).success).toBe(true);
  });

  it("an item id that does not match its section", () => {
    expect(issuePaths((item) => (item.id = "RUL-99"))).toContain([...itemPath, "id"].join("."));
  });

  it("an unknown signal", () => {
    expect(issuePaths((item) => (item.signals = ["auth_failures", "coffee_breaks"]))).toContain([...itemPath, "signals", 1].join("."));
  });

  it("an English-only question", () => {
    expect(issuePaths((item) => (item.text = "Are operator IC card passwords kept secret?"))).toContain([...itemPath, "text"].join("."));
  });
});

import { describe, expect, it } from "vitest";
import { allItems, loadTemplate, templateVersions } from "../domain/checklist/template";
import { loadRules } from "./catalogue";

// The checklist templates (domain data) name detector rules whose alerts speak to an item; the
// domain layer cannot see the detectors, so the names are checked here, one layer up.
describe("checklist templates name only rules of the catalogue", () => {
  it.each(templateVersions())("%s", async (version) => {
    const ids = new Set((await loadRules()).map((r) => r.id));
    const unknown = allItems(loadTemplate(version)).flatMap((item) => item.rules.filter((r) => !ids.has(r)).map((r) => `${item.id}: ${r}`));
    expect(unknown).toEqual([]);
  });

  it("would name an unknown rule", async () => {
    const ids = new Set((await loadRules()).map((r) => r.id));
    expect(ids.has("no-such-rule")).toBe(false);
    expect(ids.has("enumeration-scan")).toBe(true);
  });
});

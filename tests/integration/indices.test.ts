import { describe, expect, it } from "vitest";
import { es } from "../../lib/es/client";
import { aliasName, applyRetention, ensureIndexTemplates, listMonthlyIndices, monthlyIndex } from "../../lib/es/indices";

describe("index design", () => {
  it("puts events in JST-monthly indices behind the read alias", async () => {
    await ensureIndexTemplates();
    // 2026-03-31T15:30Z is already April in JST.
    expect(monthlyIndex("events", Date.parse("2026-03-31T15:30:00Z"))).toBe(`${aliasName("events")}-2026.04`);
    const index = `${aliasName("events")}-2001.01`;
    await es().index({
      index,
      id: "x",
      document: { "@timestamp": "2001-01-01T00:00:00Z", event: { id: "x", action: "search", outcome: "success" } },
      refresh: true,
    });
    const alias = await es().indices.getAlias({ index });
    expect(Object.keys(alias[index].aliases)).toContain(aliasName("events"));
    const mapping = await es().indices.getMapping({ index });
    expect(mapping[index].mappings.properties?.source).toMatchObject({ properties: { ip: { type: "ip" } } });
    await es().indices.delete({ index });
  });

  it("refuses fields outside the mapping instead of changing it (dynamic: strict)", async () => {
    const index = `${aliasName("events")}-2001.02`;
    const err = await es()
      .index({ index, document: { "@timestamp": "2001-02-01T00:00:00Z", resident_name: "山田太郎" } })
      .catch((e) => e);
    expect(String(err)).toMatch(/strict_dynamic_mapping_exception/);
    await es().indices.delete({ index, ignore_unavailable: true });
  });

  it("drops whole months older than the retention", async () => {
    await ensureIndexTemplates();
    for (const m of ["2000.10", "2000.11", "2000.12"]) await es().indices.create({ index: `${aliasName("ids")}-${m}` });
    const dropped = await applyRetention("ids", 2, Date.parse("2000-12-15T00:00:00+09:00"));
    expect(dropped).toEqual([`${aliasName("ids")}-2000.10`]);
    const left = await listMonthlyIndices("ids");
    expect(left).toEqual(expect.arrayContaining([`${aliasName("ids")}-2000.11`, `${aliasName("ids")}-2000.12`]));
    await es().indices.delete({ index: `${aliasName("ids")}-2000.*` });
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateDemo } from "../../lib/demo/generate";
import { es } from "../../lib/es/client";
import { aliasName } from "../../lib/es/indices";
import { splitLines } from "../../lib/ingest/lines";
import { ingestLines } from "../../lib/ingest/pipeline";
import { registryFileSchema } from "../../lib/registry/import";

describe("demo data through the real pipeline", () => {
  it("validates as a registry file and ingests every generated event and IDS alert with no rejection", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "jukinet-demo-"));
    // A period of its own (2023) so no other test sees these events.
    const summary = await generateDemo({ out, seed: 7, days: 3, scale: 0.05, end: "2023-06-21" });
    const registry = registryFileSchema.parse(JSON.parse(fs.readFileSync(path.join(out, "registry.json"), "utf8")));
    expect(registry.organizations).toHaveLength(21);
    const nodes = new Map(registry.nodes.map((n) => [n.id, n]));
    let stored = 0;
    for (const [dir, stream] of [["events", "events"], ["ids", "ids"]] as const) {
      for (const file of fs.readdirSync(path.join(out, dir))) {
        const node = nodes.get(file.replace(/\.ndjson$/, ""))!;
        const r = await ingestLines(stream, splitLines(fs.createReadStream(path.join(out, dir, file)), 65536), {
          id: node.id,
          type: node.type,
          organizationId: node.organization,
        });
        expect(r.rejected, `${file}: ${JSON.stringify(r.rejected.slice(0, 2))}`).toEqual([]);
        stored += r.accepted + r.duplicates;
      }
    }
    expect(stored).toBe(summary.events + summary.idsAlerts);
    await es().indices.refresh({ index: `${aliasName("events")},${aliasName("ids")}` });
    const inPeriod = await es().count({ index: aliasName("events"), query: { range: { "@timestamp": { gte: "2023-06-19T00:00:00+09:00", lt: "2023-06-22T00:00:00+09:00" } } } });
    expect(inPeriod.count).toBe(summary.events);
  });
});

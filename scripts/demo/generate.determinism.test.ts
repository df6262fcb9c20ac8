import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generateDemo } from "./generate";
import { BASE, useDatasets } from "./generate.fixture";

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path.join(dir, entry.name), rel)));
    else out.push(rel);
  }
  return out.sort();
}

const fixture = useDatasets(["november"]);
let dirA: string;
let dirB: string;
let dirC: string;

beforeAll(async () => {
  dirA = path.join(fixture.root, "november");
  dirB = path.join(fixture.root, "again");
  dirC = path.join(fixture.root, "other-seed");
  await generateDemo({ ...BASE, out: dirB });
  await generateDemo({ ...BASE, seed: 8, out: dirC });
}, 120_000);

describe("determinism", () => {
  it("writes byte-identical files for the same options", async () => {
    const files = await listFiles(dirA);
    expect(files).toEqual(await listFiles(dirB));
    for (const f of files) expect((await readFile(path.join(dirB, f))).equals(await readFile(path.join(dirA, f))), f).toBe(true);
  });

  it("writes different data for another seed", async () => {
    const a = await readFile(path.join(dirA, "events", "CS-352012.ndjson"), "utf8");
    const c = await readFile(path.join(dirC, "events", "CS-352012.ndjson"), "utf8");
    expect(a).not.toEqual(c);
    const la = JSON.parse(await readFile(path.join(dirA, "labels.json"), "utf8"));
    const lc = JSON.parse(await readFile(path.join(dirC, "labels.json"), "utf8"));
    expect(la.demo_subject.resident_code).not.toEqual(lc.demo_subject.resident_code);
  });
});

import { describe, expect, it } from "vitest";
import { AREAS } from "./catalogue";

const namespace = (key: string) => key.split(".")[0];

/** Namespaces defined in more than one area file, and namespaces that differ only by a plural "s". */
function catalogueProblems(areas: Record<string, Record<string, string>>): string[] {
  const owner = new Map<string, string>();
  const problems: string[] = [];
  for (const [area, messages] of Object.entries(areas)) {
    for (const ns of new Set(Object.keys(messages).map(namespace))) {
      const other = owner.get(ns);
      if (other && other !== area) problems.push(`"${ns}.*" is defined in ${other} and in ${area}`);
      owner.set(ns, area);
    }
  }
  for (const ns of owner.keys()) if (owner.has(`${ns}s`)) problems.push(`"${ns}.*" and "${ns}s.*" are one namespace`);
  return problems;
}

describe("the message catalogue: one key namespace per area", () => {
  it("has none split across files or doubled by a plural", () => {
    expect(catalogueProblems(AREAS)).toEqual([]);
  });

  it("would report both faults", () => {
    expect(catalogueProblems({ a: { "audit.x": "x", "audits.y": "y" }, b: { "audit.z": "z" } })).toEqual([
      '"audit.*" is defined in a and in b',
      '"audit.*" and "audits.*" are one namespace',
    ]);
  });
});

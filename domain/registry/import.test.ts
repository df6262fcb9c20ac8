import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { normalizePurposes, registryFileSchema, RegistryImportError, validateRegistry } from "./import";

const problems = (input: unknown) => {
  const r = registryFileSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("registry file schema (INTERFACE.md §5)", () => {
  it("accepts every optional field absent or null", () => {
    const nulls = {
      organizations: [{ id: "350001", name: "山口県", kind: "prefecture", parent: null, business_hours: null }],
      nodes: [{ id: "CS-1", type: "municipal_cs", organization: "350001", expected_interval_minutes: null }],
      terminals: [{ id: "TM-1", organization: "350001", ip: null }],
      operators: [{ id: "OP-1", organization: "350001", department: null, cards: null, kind: null }],
      maintenance_windows: [{ organization: "350001", start: "2026-05-10T18:00:00+09:00", end: "2026-05-11T06:00:00+09:00", note: null }],
    };
    expect(problems(nulls)).toEqual([]);
    const absent = {
      organizations: [{ id: "350001", name: "山口県", kind: "prefecture" }],
      nodes: [{ id: "CS-1", type: "municipal_cs", organization: "350001" }],
      terminals: [{ id: "TM-1", organization: "350001" }],
      operators: [{ id: "OP-1", organization: "350001" }],
      maintenance_windows: [{ organization: "350001", start: "2026-05-10T18:00:00+09:00", end: "2026-05-11T06:00:00+09:00" }],
    };
    expect(problems(absent)).toEqual([]);
    expect(registryFileSchema.parse(nulls).operators[0].cards).toEqual([]);
  });

  it("reads a whole section absent or null as empty", () => {
    const sections = ["organizations", "nodes", "terminals", "operators", "permitted_purposes", "maintenance_windows"] as const;
    const parsed = registryFileSchema.parse(Object.fromEntries(sections.map((s) => [s, null])));
    for (const s of sections) expect(parsed[s]).toEqual([]);
    expect(registryFileSchema.parse({}).nodes).toEqual([]);
  });

  it("names the path of a required field that is null, and still refuses unknown sections", () => {
    expect(problems({ organizations: [{ id: "350001", name: null, kind: "prefecture" }] })).toEqual([
      "organizations.0.name: Invalid input: expected string, received null",
    ]);
    expect(problems({ nodes: [{ id: "CS-1", type: "municipal_cs", organization: null }] })[0]).toMatch(/^nodes\.0\.organization: /);
    expect(problems({ operators: [{ id: "OP-1", organization: "350001", cards: [null] }] })[0]).toMatch(/^operators\.0\.cards\.0: /);
    expect(problems({ organisations: [] })[0]).toMatch(/organisations/);
  });

  it("accepts the contract's §5 example as it is written", () => {
    const example = JSON.parse(fs.readFileSync(new URL("../../tests/integration/fixtures/registry-contract-example.json", import.meta.url), "utf8"));
    expect(problems(example)).toEqual([]);
    const parsed = registryFileSchema.parse(example);
    expect(parsed.departments).toEqual([{ organization: "350001", name: "税務課", purposes: [{ schedule: "5", items: ["5-1"] }] }]);
    expect(parsed.operators[0]).toMatchObject({ purposes: [{ schedule: "jukiho", items: ["*"] }], required_auth_method: "biometric" });
  });

  it("keeps purposes absent/null (everything) apart from an empty list (nothing), and required_auth_method optional", () => {
    const op = (extra: object) => registryFileSchema.parse({ operators: [{ id: "OP-1", organization: "350001", ...extra }] }).operators[0];
    expect(op({}).purposes).toBeUndefined();
    expect(op({ purposes: null }).purposes).toBeNull();
    expect(op({ purposes: [] }).purposes).toEqual([]);
    expect(op({ required_auth_method: null }).required_auth_method).toBeNull();
    expect(problems({ organizations: [{ id: "350001", name: "山口県", kind: "prefecture", required_auth_method: "ic_card_password" }] })[0]).toMatch(
      /^organizations\.0\.required_auth_method: /,
    );
    expect(problems({ departments: [{ organization: "350001", name: "税務課", purposes: [{ schedule: "7", items: ["7-1"] }] }] })[0]).toMatch(
      /^departments\.0\.purposes\.0\.schedule: /,
    );
    expect(problems({ departments: [{ organization: "350001", name: "" }] })[0]).toMatch(/^departments\.0\.name: /);
  });

  it("stores a purpose set in one order, one entry per schedule", () => {
    expect(normalizePurposes(undefined)).toBeNull();
    expect(normalizePurposes([])).toEqual([]);
    expect(
      normalizePurposes([
        { schedule: "jukiho", items: ["b", "a"] },
        { schedule: "5", items: ["5-1"] },
        { schedule: "jukiho", items: ["a", "c"] },
      ]),
    ).toEqual([
      { schedule: "5", items: ["5-1"] },
      { schedule: "jukiho", items: ["a", "b", "c"] },
    ]);
  });

  it("names an unknown top-level section as its path", async () => {
    const err = await validateRegistry({ organisations: [], departmentz: null }).catch((e) => e);
    expect(err).toBeInstanceOf(RegistryImportError);
    expect((err as RegistryImportError).problems).toEqual([
      "organisations: unknown section (INTERFACE.md §5)",
      "departmentz: unknown section (INTERFACE.md §5)",
    ]);
  });
});

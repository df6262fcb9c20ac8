import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../lib/paths";
import { RULE_IDS as CONTRACT_RULE_IDS } from "../domain/alerts/rule-ids";
import { loadRules } from "./catalogue";

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

// ---------------------------------------------------------------- reads only through the scoped helper

const DETECTORS_DIR = path.join(REPO_ROOT, "detectors");
const THIS_FILE = path.join(DETECTORS_DIR, "rules.test.ts");

/** Read APIs of the Elasticsearch client (and `search` on anything): a rule must use scopedSearch/scopedCount/scopedBuckets instead. */
const CLIENT_READ =
  /\.\s*(search|msearch|count|scroll|openPointInTime|knnSearch|termsEnum|searchTemplate|msearchTemplate)\s*(<[^>]*>)?\s*\(|\.\s*(asyncSearch|sql|esql|eql)\s*\.\s*\w+\s*\(/g;
/** The raw client, statically or dynamically imported. */
const CLIENT_IMPORT = /(from\s*|import\s*\(\s*)["'][^"']*lib\/es\/client(\.ts)?["']/g;
/** A value import of the Elasticsearch package (a rule could build its own Client); `import type` is fine. */
const PACKAGE_VALUE_IMPORT =
  /import\s+(?!type\b)[^;]*?from\s*["']@elastic\/elasticsearch["']|import\s*\(\s*["']@elastic\/elasticsearch["']\s*\)|require\s*\(\s*["']@elastic\/elasticsearch["']\s*\)/g;
/** The engine keeps the raw client for its own writes: upserting alerts and refreshing the alerts index. */
const ENGINE_WRITES = /^es\(\)\.(bulk|indices\.refresh)\(/;

/** What in a detectors/ source bypasses lib/es/scoped.ts; `file` is relative to detectors/. */
function bypasses(file: string, source: string): string[] {
  const found: string[] = [];
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");
  for (const m of code.matchAll(CLIENT_READ)) found.push(`${file}: client read "${m[0]}"`);
  for (const m of code.matchAll(PACKAGE_VALUE_IMPORT)) found.push(`${file}: value import of @elastic/elasticsearch "${m[0]}"`);
  const imports = [...code.matchAll(CLIENT_IMPORT)];
  if (file === "engine.ts") {
    for (const m of code.matchAll(/\bes\(\)[^(]*\(/g)) if (!ENGINE_WRITES.test(m[0])) found.push(`${file}: raw client use "${m[0]}" (only writes may)`);
  } else {
    for (const m of imports) found.push(`${file}: imports the raw client "${m[0]}"`);
  }
  return found;
}

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : /\.(ts|tsx|js|mjs|cjs)$/.test(e.name) && p !== THIS_FILE ? [p] : [];
  });
}

describe("detector reads", () => {
  it("no file under detectors/ reads Elasticsearch except through the scoped helper", () => {
    const files = sources(DETECTORS_DIR);
    expect(files.length).toBeGreaterThan(15);
    const found = files.flatMap((f) => bypasses(path.relative(DETECTORS_DIR, f), fs.readFileSync(f, "utf8")));
    expect(found).toEqual([]);
  });

  it("the engine gives rules the named system scope of the detector", () => {
    const engine = fs.readFileSync(path.join(DETECTORS_DIR, "engine.ts"), "utf8");
    expect(engine).toMatch(/systemScope\("detector"\)/);
  });

  it("the guard recognises a bypass", () => {
    const rule = "rules/new-rule.ts";
    expect(bypasses(rule, "const r = await ctx.es.search({ index: 'x' });")).toHaveLength(1);
    expect(bypasses(rule, "const r = await es().search<Doc>({ index });")).toHaveLength(1);
    expect(bypasses(rule, "const n = (await client.count({ index })).count;")).toHaveLength(1);
    expect(bypasses(rule, "await es().msearch({ searches });")).toHaveLength(1);
    expect(bypasses(rule, "await es().esql.query({ query });")).toHaveLength(1);
    expect(bypasses(rule, 'import { es } from "../../lib/es/client";')).toHaveLength(1);
    expect(bypasses(rule, 'const { es } = await import("../../lib/es/client");')).toHaveLength(1);
    expect(bypasses(rule, 'import { Client } from "@elastic/elasticsearch";')).toHaveLength(1);
    expect(bypasses("engine.ts", "await es().search({ index: alertsIndex() });")).toHaveLength(2);
    expect(bypasses("engine.ts", "await es().get({ index: alertsIndex(), id });")).toHaveLength(1);
    // Allowed: the scoped helper, type imports, the engine's writes, comments.
    expect(
      bypasses(
        rule,
        'import type { estypes } from "@elastic/elasticsearch";\nimport { scopedSearch } from "../../lib/es/scoped";\nawait scopedSearch(ctx.scope, "events", { size: 0 });',
      ),
    ).toEqual([]);
    expect(bypasses("engine.ts", 'import { es } from "../lib/es/client";\nawait es().bulk({ operations });\nawait es().indices.refresh({ index });')).toEqual(
      [],
    );
    expect(bypasses(rule, "// not ctx.es.search({ here })\n/* nor es().count( */")).toEqual([]);
  });
});

// ---------------------------------------------------------------- rules do not import each other

const RULES_DIR = path.join(DETECTORS_DIR, "rules");
/** Module specifiers of static and dynamic imports, re-exports and requires. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)["']([^"']+)["']/g;

/**
 * Imports by a file in rules/ of another rule (or anything under another rule's folder):
 * shared pieces live in the building blocks of detectors/ (days, baseline, lookups, scan, evidence).
 * A rule's own tests may import it. `file` is absolute.
 */
function ruleImports(file: string, source: string): string[] {
  const own = path.basename(file).replace(/(\.test)?\.[cm]?[jt]sx?$/, "");
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");
  const found: string[] = [];
  for (const m of code.matchAll(SPECIFIER)) {
    if (!m[1].startsWith(".")) continue;
    const target = path.relative(RULES_DIR, path.resolve(path.dirname(file), m[1]));
    if (target.startsWith("..") || path.isAbsolute(target)) continue;
    const rule = target.split(path.sep)[0].replace(/\.[cm]?[jt]sx?$/, "");
    if (rule !== own) found.push(`${path.relative(DETECTORS_DIR, file)} imports another rule: "${m[1]}"`);
  }
  return found;
}

describe("rule modules", () => {
  it("no file in detectors/rules/ imports another rule", () => {
    const files = sources(RULES_DIR);
    expect(files.length).toBeGreaterThan(14);
    expect(files.flatMap((f) => ruleImports(f, fs.readFileSync(f, "utf8")))).toEqual([]);
  });

  it("the guard recognises an import of another rule", () => {
    const rule = path.join(RULES_DIR, "new-rule.ts");
    expect(ruleImports(rule, 'import { findScan } from "./enumeration-scan";')).toHaveLength(1);
    expect(ruleImports(rule, 'import scan from "./enumeration-scan.ts";')).toHaveLength(1);
    expect(ruleImports(rule, 'export { shiftDay } from "./provision-volume-anomaly";')).toHaveLength(1);
    expect(ruleImports(rule, 'const m = await import("../rules/bulk-export");')).toHaveLength(1);
    expect(ruleImports(rule, 'import data from "./bulk-export/samples/fires.json";')).toHaveLength(1);
    expect(ruleImports(path.join(RULES_DIR, "new-rule.test.ts"), 'import { x } from "./other-rule";')).toHaveLength(1);
    // Allowed: the building blocks, lib/, a rule's own module from its tests, its own samples, comments.
    expect(
      ruleImports(rule, 'import { dayWindow } from "../days";\nimport { scopedSearch } from "../../lib/es/scoped";\nimport { defineRule } from "../rule";'),
    ).toEqual([]);
    expect(ruleImports(path.join(RULES_DIR, "new-rule.test.ts"), 'import rule, { helper } from "./new-rule";')).toEqual([]);
    expect(ruleImports(rule, 'import fires from "./new-rule/samples/fires.json";')).toEqual([]);
    expect(ruleImports(rule, '// import { x } from "./other-rule";')).toEqual([]);
  });
});

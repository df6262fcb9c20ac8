/**
 * The rule catalogue: every module in detectors/rules/ (one per rule id).
 * Adding a rule is adding a file; nothing else to register.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { REPO_ROOT } from "../lib/paths";
import type { RuleDefinition } from "./rule";

export const RULES_DIR = path.join(REPO_ROOT, "detectors", "rules");

let cached: Promise<RuleDefinition[]> | undefined;

export function loadRules(): Promise<RuleDefinition[]> {
  cached ??= (async () => {
    const files = fs
      .readdirSync(RULES_DIR)
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
      .sort();
    const rules: RuleDefinition[] = [];
    for (const f of files) {
      const mod = await import(pathToFileURL(path.join(RULES_DIR, f)).href);
      const rule = mod.default as RuleDefinition;
      if (!rule?.id) throw new Error(`detectors/rules/${f} has no default-exported rule`);
      if (`${rule.id}.ts` !== f) throw new Error(`detectors/rules/${f} defines rule "${rule.id}": the file must be named after its rule id`);
      rules.push(rule);
    }
    return rules;
  })();
  return cached;
}

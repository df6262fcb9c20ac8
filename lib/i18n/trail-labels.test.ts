import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../paths";
import { messages } from "./catalogue";

/** Every action name the product writes to the console audit trail (recordAudit calls and the actions' `audit:` steps). */
function recordedActions(): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== "generated") walk(rel);
      } else if (/\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)) {
        const text = fs.readFileSync(path.join(REPO_ROOT, rel), "utf8");
        for (const call of text.matchAll(/recordAudit\(\{([\s\S]*?)\}\);/g))
          for (const m of call[1].matchAll(/action: (?:[\w.]+ \? )?"([a-z_]+)"(?: : "([a-z_]+)")?/g)) for (const a of m.slice(1)) if (a) found.set(a, rel);
        for (const m of text.matchAll(/\baudit: "([a-z_]+)"/g)) found.set(m[1], rel);
        // Tables of trail actions, e.g. USER_CHANGE_ACTIONS = { disable: "user_disabled", … }.
        for (const table of text.matchAll(/_ACTIONS[^=]*= \{([^}]*)\}/g)) for (const m of table[1].matchAll(/: "([a-z_]+)"/g)) found.set(m[1], rel);
      }
    }
  };
  for (const dir of ["app", "domain", "lib", "scripts"]) walk(dir);
  return found;
}

describe("audit-trail actions", () => {
  it("each has a Japanese label (trailAction.* in lib/i18n/messages/labels.ts)", () => {
    const actions = recordedActions();
    expect(actions.size).toBeGreaterThan(40);
    const missing = [...actions].filter(([a]) => !(`trailAction.${a}` in messages)).map(([a, file]) => `${a} (${file})`);
    expect(missing).toEqual([]);
  });
});

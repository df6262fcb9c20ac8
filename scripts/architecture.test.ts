import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../lib/paths";

/**
 * The architecture check (.dependency-cruiser.cjs, run by `npm run lint`) on a small tree of its own:
 * it passes when imports go down the layers and fails, naming the rule, on an upward import or a cycle.
 */
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function cruise(files: Record<string, string>): { status: number | null; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jkw-arch-"));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "esnext", moduleResolution: "bundler" } }));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  const bin = path.join(REPO_ROOT, "node_modules", ".bin", "depcruise");
  const r = spawnSync(bin, ["app", "lib", "domain", "detectors", "reports", "--config", path.join(REPO_ROOT, ".dependency-cruiser.cjs")], {
    cwd: dir,
    encoding: "utf8",
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

const LAYERED = {
  "lib/db.ts": "export const db = 1;\n",
  "domain/alerts.ts": 'import { db } from "../lib/db";\nexport const alerts = db;\n',
  "detectors/rules/x.ts": 'import { alerts } from "../../domain/alerts";\nexport default alerts;\n',
  "reports/pdf.ts": 'import { alerts } from "../domain/alerts";\nexport const pdf = alerts;\n',
  "app/page.ts": 'import { pdf } from "../reports/pdf";\nexport default pdf;\n',
};

describe("the architecture check", { timeout: 60_000 }, () => {
  it("passes imports that go down the layers", () => {
    const r = cruise(LAYERED);
    expect(r.output).toContain("no dependency violations");
    expect(r.status).toBe(0);
  });

  it("fails an upward import (domain importing the documents), naming the rule", () => {
    const r = cruise({
      ...LAYERED,
      "domain/alerts.ts": 'import { pdf } from "../reports/pdf";\nexport const alerts = pdf;\n',
      "reports/pdf.ts": "export const pdf = 1;\n",
    });
    expect(r.output).toContain("domain-below-detection");
    expect(r.status).not.toBe(0);
  });

  it("fails an import cycle inside one layer", () => {
    const r = cruise({
      ...LAYERED,
      "lib/a.ts": 'import { b } from "./b";\nexport const a = b;\n',
      "lib/b.ts": 'import { a } from "./a";\nexport const b = a;\n',
    });
    expect(r.output).toContain("no-cycles");
    expect(r.status).not.toBe(0);
  });

  it("fails infrastructure importing the domain, and one rule importing another", () => {
    const r = cruise({
      ...LAYERED,
      "lib/config.ts": 'import { alerts } from "../domain/alerts";\nexport const config = alerts;\n',
      "detectors/rules/y.ts": 'import x from "./x";\nexport default x;\n',
    });
    expect(r.output).toContain("infra-is-the-bottom");
    expect(r.output).toContain("no-rule-imports-a-rule");
  });
});

/**
 * Guard of the one scope mechanism: outside lib/es/scoped.ts no code reads
 * Elasticsearch with `search`/`count`/`msearch` on the client directly, and no
 * code builds its own organisation scope filter (`terms` on organization.id).
 * A file that needs a raw read of a non-organisation index is listed here with
 * its reason.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../paths";

const ROOTS = ["app", "lib", "domain", "reports", "detectors", "scripts", "components"];
/** Raw reads that are not of organisation-owned documents. */
const RAW_READS_ALLOWED: Record<string, string> = {
  "lib/es/scoped.ts": "the scoped helper itself",
  "lib/audit/checkpoints.ts": "the audit trail's chain-head checkpoints (no organisation data)",
  "domain/archive/es-ops.ts": "the archive job's verification: whole-index counts and id digests, no document returned to a caller",
};

/** `terms` on organization.id that are rule logic, not access control. */
const ORGANIZATION_FILTERS_ALLOWED: Record<string, string> = {
  "lib/auth/scope.ts": "the scope's own filter",
  "detectors/rules/after-hours-access.ts": "partitions organisations by their business hours (runs under the system scope)",
  "domain/statistics/disclosure.ts": "the documented upstream rule: the caller's scope OR the nodes above it, for one record the scope handles",
};

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === "generated" || entry.name === "node_modules") continue;
      out.push(...sources(rel));
    } else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(rel);
  }
  return out;
}

describe("the one scope mechanism", () => {
  const files = ROOTS.flatMap(sources).map((f) => ({ file: f, text: fs.readFileSync(path.join(REPO_ROOT, f), "utf8") }));

  it("reads organisation-owned documents only through lib/es/scoped.ts", () => {
    const offenders = files
      .filter(({ file, text }) => !(file in RAW_READS_ALLOWED) && /\b(es\(\)|es|client|ctx\.es)\s*\.\s*(search|count|msearch)\s*[<(]/.test(text))
      .map((f) => f.file);
    expect(offenders).toEqual([]);
  });

  it("builds no organisation scope filter beside it", () => {
    const offenders = files
      .filter(({ file, text }) => !(file in ORGANIZATION_FILTERS_ALLOWED) && /terms:\s*\{\s*"organization\.id":/.test(text))
      .map((f) => f.file);
    expect(offenders).toEqual([]);
  });
});

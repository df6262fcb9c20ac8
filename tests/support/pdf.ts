/** Reading generated documents back in unit tests: a scratch folder removed after the file, and poppler's tools. */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";

/** A temporary folder for the test file's output, removed when the file's tests end. */
export function scratchDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs a poppler tool; a missing tool fails the test with a clear message rather than skipping it. */
export function poppler(tool: "pdftotext" | "pdffonts" | "pdfinfo", args: string[]): string {
  try {
    return execFileSync(tool, args, { encoding: "utf8" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT")
      throw new Error(`${tool} not found: install poppler-utils (apt-get install poppler-utils) to read generated PDFs back`);
    throw e;
  }
}

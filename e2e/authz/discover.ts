/**
 * What the console exposes, read from the source tree (not from a list kept
 * by hand): every route handler with its HTTP methods, every page, and every
 * exported function of every "use server" file, with the action id the built
 * console gives it (from .next's server-reference manifest).
 */
import fs from "node:fs";
import path from "node:path";

export const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

export interface Surface {
  /** Matrix key: `GET /api/alerts`, `PAGE /alerts/[id]`, `ACTION app/_actions/admin.ts#issueTokenAction`. */
  key: string;
  kind: "route" | "page" | "action";
  file: string;
  /** URL pattern of a route or page (route groups removed, [params] kept). */
  pattern?: string;
  method?: string;
  /** Action id and a page whose bundle carries the action (where to POST it). */
  actionId?: string;
  actionPage?: string;
}

const SKIP_DIRS = new Set(["node_modules", ".next", ".git", "generated", "test-results", "var", "tests", "e2e", "bench", "data"]);

function walk(dir: string, out: string[] = []): string[] {
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    if (d.isDirectory()) {
      if (!SKIP_DIRS.has(d.name)) walk(path.join(dir, d.name), out);
    } else if (/\.(ts|tsx|js|jsx|mjs)$/.test(d.name)) out.push(path.join(dir, d.name));
  }
  return out;
}

const urlOf = (root: string, file: string) =>
  "/" +
  path
    .relative(path.join(root, "app"), path.dirname(file))
    .split(path.sep)
    .filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith("@"))
    .join("/");

/** Exported HTTP method handlers of a route file: `export const GET`, `export async function POST`, `export { h as GET }`. */
export function routeMethods(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(/export\s+(?:const|let|var|async\s+function|function)\s+([A-Z]+)\b/g)) found.add(m[1]);
  for (const m of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of m[1].split(",")) {
      const name = part
        .trim()
        .split(/\s+as\s+/)
        .pop()
        ?.trim();
      if (name) found.add(name);
    }
  }
  return [...found].filter((n) => (METHODS as readonly string[]).includes(n));
}

const isServerFile = (source: string) => /^(?:\s|\/\*[\s\S]*?\*\/|\/\/[^\n]*\n)*["']use server["']/.test(source);

/** Exported functions of a "use server" file. */
export function serverExports(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(/export\s+(?:async\s+)?function\s+([A-Za-z_$][\w$]*)/g)) names.add(m[1]);
  for (const m of source.matchAll(/export\s+const\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\b|\()/g)) names.add(m[1]);
  for (const m of source.matchAll(/export\s*\{([^}]*)\}/g))
    for (const part of m[1].split(",")) {
      const name = part
        .trim()
        .split(/\s+as\s+/)
        .pop()
        ?.trim();
      if (name && !name.startsWith("type ")) names.add(name);
    }
  return [...names];
}

interface ManifestEntry {
  workers: Record<string, unknown>;
  filename?: string;
  exportedName?: string;
  layer?: Record<string, string>;
}

/** Action ids by `file#export`, from the built console. */
export function actionIds(root: string): Map<string, { id: string; pages: string[] }> {
  const file = path.join(root, ".next", "server", "server-reference-manifest.json");
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as { node: Record<string, ManifestEntry> };
  const out = new Map<string, { id: string; pages: string[] }>();
  for (const [id, e] of Object.entries(manifest.node ?? {})) {
    if (!e.filename || !e.exportedName) continue;
    const pages = Object.keys(e.workers).map(
      (w) =>
        w
          .replace(/^app/, "")
          .replace(/\/page$/, "")
          .replace(/\/\([^/]*\)/g, "") || "/",
    );
    out.set(`${e.filename.replace(/\\/g, "/")}#${e.exportedName}`, { id, pages });
  }
  return out;
}

export function discover(root: string): { surfaces: Surface[]; problems: string[] } {
  const surfaces: Surface[] = [];
  const problems: string[] = [];
  const ids = actionIds(root);
  for (const file of walk(root).sort()) {
    const rel = path.relative(root, file).split(path.sep).join("/");
    const source = fs.readFileSync(file, "utf8");
    if (rel.startsWith("app/") && /\/route\.(ts|js)$/.test(rel)) {
      const methods = routeMethods(source);
      if (!methods.length) problems.push(`${rel}: a route file without an exported HTTP method`);
      for (const method of methods) surfaces.push({ key: `${method} ${urlOf(root, file)}`, kind: "route", file: rel, pattern: urlOf(root, file), method });
    } else if (rel.startsWith("app/") && /\/page\.(tsx|jsx|ts|js)$/.test(rel)) {
      surfaces.push({ key: `PAGE ${urlOf(root, file)}`, kind: "page", file: rel, pattern: urlOf(root, file), method: "GET" });
    }
    if (isServerFile(source)) {
      for (const name of serverExports(source)) {
        const built = ids.get(`${rel}#${name}`);
        if (!built) problems.push(`${rel}#${name}: no action id in the built console (not used by any page?)`);
        surfaces.push({
          key: `ACTION ${rel}#${name}`,
          kind: "action",
          file: rel,
          actionId: built?.id,
          actionPage: built?.pages.find((p) => !p.includes("[")) ?? built?.pages[0],
        });
      }
    } else if (/["']use server["']/.test(source) && !rel.startsWith("e2e/")) {
      // An inline server action inside a component: reachable like any other, so it must be in the matrix too.
      problems.push(`${rel}: an inline "use server" function; move it into a "use server" module so the matrix covers it`);
    }
  }
  return { surfaces, problems };
}

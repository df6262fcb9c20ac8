import { fileURLToPath } from "node:url";
import path from "node:path";

/** Repository root, independent of the current working directory. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Local state of this checkout (SQLite files, secrets, demo data); never committed. */
export const VAR_DIR = path.join(REPO_ROOT, "var");

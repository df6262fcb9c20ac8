/**
 * The audit trail's MAC keys. They never go into the database: an attacker
 * who can rewrite the SQLite file cannot compute a valid MAC for a changed
 * record. Keys come from AUDIT_TRAIL_KEY (several separated by commas or
 * whitespace) or from AUDIT_TRAIL_KEY_FILE (one a line, `#` comments); the
 * LAST key is the current one and signs new records, earlier ones only verify
 * older records (rotation appends a key, it never removes one). Each record
 * stores the key's id (a fingerprint, not the key), and along the chain a
 * record may never use an earlier key than its predecessor.
 */
import { createHmac, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { config } from "../config";

export interface TrailKey {
  id: string;
  /** Position in the ring: keys may only move forward along the chain. */
  generation: number;
  key: Buffer;
}

export interface KeyRing {
  current: TrailKey;
  byId(id: string | null | undefined): TrailKey | undefined;
}

export function keyIdOf(key: Buffer): string {
  return createHmac("sha256", key).update("jukinet-watch audit trail key id").digest("hex").slice(0, 16);
}

function parseKey(text: string): Buffer {
  const key = /^[0-9a-f]+$/i.test(text) && text.length % 2 === 0 ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
  if (key.length < 32) throw new Error("each audit-trail key must be at least 32 bytes");
  return key;
}

function ringOf(texts: string[]): KeyRing {
  if (!texts.length) throw new Error("no audit-trail key: set AUDIT_TRAIL_KEY or run `npm run setup` to create AUDIT_TRAIL_KEY_FILE");
  const keys = texts.map((t, generation) => {
    const key = parseKey(t);
    return { id: keyIdOf(key), generation, key };
  });
  const byId = new Map(keys.map((k) => [k.id, k]));
  return { current: keys[keys.length - 1], byId: (id) => (id ? byId.get(id) : undefined) };
}

let cached: { source: string; stamp: string; ring: KeyRing } | undefined;

/** The key ring; the key file is re-read when it changes, so a rotation reaches running processes. */
export function trailKeys(): KeyRing {
  const c = config();
  if (c.AUDIT_TRAIL_KEY) {
    if (cached?.source !== "env") cached = { source: "env", stamp: "", ring: ringOf(c.AUDIT_TRAIL_KEY.split(/[\s,]+/).filter(Boolean)) };
    return cached.ring;
  }
  const file = c.AUDIT_TRAIL_KEY_FILE;
  if (!fs.existsSync(file)) createKeyFile(file);
  const st = fs.statSync(file);
  const stamp = `${st.mtimeMs}:${st.size}`;
  if (cached?.source === file && cached.stamp === stamp) return cached.ring;
  const lines = fs
    .readFileSync(file, "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  cached = { source: file, stamp, ring: ringOf(lines) };
  return cached.ring;
}

/**
 * A missing key file is created (as `npm run setup` does), so a clone that
 * skipped setup still records. Exclusive creation: concurrent processes agree
 * on one key. Records signed with a lost key are then reported as signed with
 * an unknown key, never silently accepted.
 */
function createKeyFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(file, randomBytes(32).toString("hex") + "\n", { mode: 0o600, flag: "wx" });
    console.error(`[audit-trail] created the audit-trail key ${file} (keep it secret and outside the database)`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
}

/**
 * Rotation: appends a new key to the key file (it becomes the current key;
 * the old ones stay for verifying older records). Refused when the keys come
 * from AUDIT_TRAIL_KEY (then add the new key at its end yourself).
 */
export function appendNewTrailKey(): { previous: string; current: string } {
  const c = config();
  if (c.AUDIT_TRAIL_KEY)
    throw new Error("the audit-trail keys come from AUDIT_TRAIL_KEY: append a new key (openssl rand -hex 32) at its end, keep the old ones, and restart");
  const previous = trailKeys().current.id;
  const key = randomBytes(32);
  fs.mkdirSync(path.dirname(c.AUDIT_TRAIL_KEY_FILE), { recursive: true, mode: 0o700 });
  const before = fs.existsSync(c.AUDIT_TRAIL_KEY_FILE) ? fs.readFileSync(c.AUDIT_TRAIL_KEY_FILE, "utf8") : "";
  fs.appendFileSync(c.AUDIT_TRAIL_KEY_FILE, (before && !before.endsWith("\n") ? "\n" : "") + key.toString("hex") + "\n", { mode: 0o600 });
  cached = undefined;
  const current = trailKeys().current.id;
  if (current !== keyIdOf(key)) throw new Error("the new audit-trail key was not picked up");
  return { previous, current };
}

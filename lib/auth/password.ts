/** Password hashing with scrypt (memory-hard; node:crypto, no native add-on). */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));

const PARAMS = { N: 2 ** 15, r: 8, p: 1 };
const KEYLEN = 32;

/** "scrypt$N$r$p$salt$hash" (base64url parts). */
export async function hashPassword(password: string): Promise<string> {
  if (password.length < 12) throw new Error("a password needs at least 12 characters");
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize("NFKC"), salt, KEYLEN, { ...PARAMS, maxmem: 64 * 1024 * 1024 });
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/**
 * A hash of a random password nobody knows, with the same parameters as real
 * hashes: sign-in verifies against it when the login id is unknown, so an
 * unknown and a known login cost the same scrypt work (no enumeration by timing).
 */
export const DUMMY_PASSWORD_HASH = "scrypt$32768$8$1$8KEjxOjMamzNiy_ZapyVjA$0a6qNm7DIsq62W1JvWqd0kNob74opopa6wp4JQYwCEA";

/** How many scrypt verifications this process ran (observability and tests). */
export const passwordVerifications = { count: 0 };

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  passwordVerifications.count++;
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const key = await scrypt(password.normalize("NFKC"), Buffer.from(salt, "base64url"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  });
  return timingSafeEqual(key, expected);
}

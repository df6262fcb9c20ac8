/**
 * TOTP second factor (RFC 6238, SHA-1, 30 s, 6 digits — what authenticator
 * apps expect), computed by the maintained `otpauth` package. Secrets are
 * sealed at rest with AES-256-GCM under TOTP_KEY (lib/config totpKeys).
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { HOTP, Secret, TOTP } from "otpauth";

const PERIOD = 30;
const DIGITS = 6;

export function base32Encode(buf: Buffer): string {
  return new Secret({ buffer: new Uint8Array(buf).buffer }).base32;
}

export function base32Decode(s: string): Buffer {
  return Buffer.from(Secret.fromBase32(s.replace(/=+$/, "").replace(/\s+/g, "").toUpperCase()).bytes);
}

export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The code for a counter (RFC 4226). */
export function hotp(secret: Buffer, counter: number, digits = DIGITS): string {
  return HOTP.generate({ secret: new Secret({ buffer: new Uint8Array(secret).buffer }), counter, digits, algorithm: "SHA1" });
}

/** The code at a time (RFC 6238); the e2e fixtures use it too. */
export function totp(secretBase32: string, atMs = Date.now(), digits = DIGITS): string {
  return TOTP.generate({ secret: Secret.fromBase32(secretBase32), timestamp: atMs, digits, period: PERIOD, algorithm: "SHA1" });
}

/**
 * Accepts the current step and one either side (clock drift). Returns the
 * matched step so the caller can refuse a replay of the same code.
 */
export function verifyTotp(secretBase32: string, code: string, atMs = Date.now()): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = TOTP.validate({
    token: code,
    secret: Secret.fromBase32(secretBase32),
    timestamp: atMs,
    digits: DIGITS,
    period: PERIOD,
    algorithm: "SHA1",
    window: 1,
  });
  return delta === null ? undefined : Math.floor(atMs / (PERIOD * 1000)) + delta;
}

/** otpauth:// URI for the enrolment QR code. */
export function otpauthUri(secretBase32: string, account: string, issuer = "Juki-net Watch"): string {
  const label = encodeURIComponent(`${issuer}:${account}`);
  return `otpauth://totp/${label}?secret=${secretBase32}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=6&period=30`;
}

// ---- sealing at rest ------------------------------------------------------

const SEALED = "v1:";
const AAD = Buffer.from("jukinet-watch totp secret v1");

/** A stored value that is still a clear base32 secret (from before encryption). */
export const isSealed = (stored: string): boolean => stored.startsWith(SEALED);

/** "v1:" + base64url(iv ‖ tag ‖ ciphertext), AES-256-GCM. */
export function sealTotpSecret(secretBase32: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(AAD);
  const ct = Buffer.concat([cipher.update(secretBase32, "utf8"), cipher.final()]);
  return SEALED + Buffer.concat([iv, cipher.getAuthTag(), ct]).toString("base64url");
}

/**
 * The clear secret of a stored value: a sealed one is opened with the first
 * key that authenticates it (current key, then previous keys during a
 * rotation); a clear one (before encryption) is returned as it is.
 */
export function openTotpSecret(stored: string, keys: Buffer[]): { secret: string; current: boolean } {
  if (!isSealed(stored)) return { secret: stored, current: false };
  const raw = Buffer.from(stored.slice(SEALED.length), "base64url");
  const iv = raw.subarray(0, 12);
  const tag = raw.subarray(12, 28);
  const ct = raw.subarray(28);
  for (const [i, key] of keys.entries()) {
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, iv);
      decipher.setAAD(AAD);
      decipher.setAuthTag(tag);
      const secret = Buffer.concat([decipher.update(ct), decipher.final()]).toString("utf8");
      return { secret, current: i === 0 };
    } catch {
      // not this key
    }
  }
  throw new Error("the TOTP secret cannot be opened with TOTP_KEY (or TOTP_KEY_PREVIOUS): wrong key?");
}

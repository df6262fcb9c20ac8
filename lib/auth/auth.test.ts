import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sessionSecret } from "../config";
import { DUMMY_PASSWORD_HASH, hashPassword, passwordVerifications, verifyPassword } from "./password";
import { sourceAddress } from "./ratelimit";
import { sessionRefusal } from "./session";
import { base32Decode, base32Encode, generateTotpSecret, hotp, isSealed, openTotpSecret, otpauthUri, sealTotpSecret, totp, verifyTotp } from "./totp";

describe("TOTP (RFC 6238 / 4226)", () => {
  const rfcSecret = base32Encode(Buffer.from("12345678901234567890"));

  it("matches the RFC test vectors", () => {
    // RFC 4226 appendix D
    expect(hotp(Buffer.from("12345678901234567890"), 0)).toBe("755224");
    expect(hotp(Buffer.from("12345678901234567890"), 9)).toBe("520489");
    // RFC 6238 appendix B, SHA-1, 8 digits
    expect(totp(rfcSecret, 59_000, 8)).toBe("94287082");
    expect(totp(rfcSecret, 1111111109_000, 8)).toBe("07081804");
    expect(totp(rfcSecret, 20000000000_000, 8)).toBe("65353130");
  });

  it("round-trips base32 and accepts one step of drift, not two", () => {
    expect(base32Decode(rfcSecret).toString()).toBe("12345678901234567890");
    const now = 1_800_000_000_000;
    expect(verifyTotp(rfcSecret, totp(rfcSecret, now), now)).toBe(Math.floor(now / 30_000));
    expect(verifyTotp(rfcSecret, totp(rfcSecret, now - 30_000), now)).toBeDefined();
    expect(verifyTotp(rfcSecret, totp(rfcSecret, now - 60_000), now)).toBeUndefined();
    expect(verifyTotp(rfcSecret, "12345", now)).toBeUndefined();
  });

  it("builds an otpauth URI for authenticator apps", () => {
    expect(otpauthUri("ABC", "monitor@350001")).toBe(
      "otpauth://totp/Juki-net%20Watch%3Amonitor%40350001?secret=ABC&issuer=Juki-net%20Watch&algorithm=SHA1&digits=6&period=30",
    );
  });
});

describe("password hashing", () => {
  it("verifies the right password only, with a salt per hash", async () => {
    const a = await hashPassword("correct horse battery");
    const b = await hashPassword("correct horse battery");
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword("correct horse battery", a)).toBe(true);
    expect(await verifyPassword("correct horse batterY", a)).toBe(false);
    await expect(hashPassword("short")).rejects.toThrow(/12 characters/);
  });
});

describe("dummy hash for unknown login ids", () => {
  it("has the parameters of a real hash, so verifying against it costs the same scrypt work, and matches nothing", async () => {
    const real = await hashPassword("correct horse battery");
    const params = (h: string) => h.split("$").slice(0, 4).join("$");
    expect(params(DUMMY_PASSWORD_HASH)).toBe(params(real));
    expect(Buffer.from(DUMMY_PASSWORD_HASH.split("$")[5], "base64url")).toHaveLength(Buffer.from(real.split("$")[5], "base64url").length);
    const before = passwordVerifications.count;
    expect(await verifyPassword("correct horse battery", DUMMY_PASSWORD_HASH)).toBe(false);
    expect(passwordVerifications.count).toBe(before + 1);
  });
});

describe("TOTP secrets sealed at rest (AES-256-GCM)", () => {
  const key = randomBytes(32);
  const other = randomBytes(32);

  it("seals to a value without the secret, a fresh IV each time, and opens with the key", () => {
    const secret = generateTotpSecret();
    const a = sealTotpSecret(secret, key);
    const b = sealTotpSecret(secret, key);
    expect(a).toMatch(/^v1:/);
    expect(a).not.toContain(secret);
    expect(a).not.toBe(b);
    expect(isSealed(a)).toBe(true);
    expect(openTotpSecret(a, [key])).toEqual({ secret, current: true });
  });

  it("refuses a wrong key and a tampered value; a previous key opens but is not current; a clear value passes through", () => {
    const secret = generateTotpSecret();
    const sealed = sealTotpSecret(secret, key);
    expect(() => openTotpSecret(sealed, [other])).toThrow(/cannot be opened/);
    const raw = Buffer.from(sealed.slice(3), "base64url");
    raw[raw.length - 1] ^= 1;
    expect(() => openTotpSecret("v1:" + raw.toString("base64url"), [key])).toThrow(/cannot be opened/);
    expect(openTotpSecret(sealed, [other, key])).toEqual({ secret, current: false });
    expect(openTotpSecret(secret, [key])).toEqual({ secret, current: false });
    expect(isSealed(secret)).toBe(false);
  });
});

describe("session check", () => {
  const now = 2_000_000_000;
  const row = { role: "monitor", organizationId: "350001", disabledAt: null, lockedAt: null, sessionVersion: 3 };
  const claims = (over: { sessionVersion?: number; authAt?: number; role?: string } = {}) => ({
    user: {
      kind: "user" as const,
      id: "u1",
      login: "m",
      name: "m",
      role: (over.role ?? "monitor") as "monitor",
      organizationId: "350001",
      sessionVersion: over.sessionVersion ?? 3,
    },
    authAt: "authAt" in over ? over.authAt : now - 60,
  });

  it("accepts a current session", () => {
    expect(sessionRefusal(claims(), row, now, 8 * 3600)).toBeUndefined();
  });
  it("refuses a session whose version is stale (sign-out, password reset, lock, role change)", () => {
    expect(sessionRefusal(claims({ sessionVersion: 2 }), row, now, 8 * 3600)).toBe("session ended");
    expect(sessionRefusal({ user: { ...claims().user, sessionVersion: undefined }, authAt: now }, row, now, 8 * 3600)).toBe("session ended");
  });
  it("refuses a session older than the absolute lifetime, however often it was refreshed, and one without a sign-in time", () => {
    expect(sessionRefusal(claims({ authAt: now - 8 * 3600 }), row, now, 8 * 3600)).toBeUndefined();
    expect(sessionRefusal(claims({ authAt: now - 8 * 3600 - 1 }), row, now, 8 * 3600)).toBe("session too old");
    expect(sessionRefusal(claims({ authAt: undefined }), row, now, 8 * 3600)).toBe("session too old");
  });
  it("refuses a locked, disabled, missing or changed account", () => {
    expect(sessionRefusal(claims(), { ...row, lockedAt: new Date() }, now, 3600)).toBe("locked");
    expect(sessionRefusal(claims(), { ...row, disabledAt: new Date() }, now, 3600)).toBe("disabled");
    expect(sessionRefusal(claims(), null, now, 3600)).toBe("no such user");
    expect(sessionRefusal(claims({ role: "admin" }), row, now, 3600)).toBe("role or organisation changed");
    expect(sessionRefusal(null, row, now, 3600)).toBe("no session");
  });
});

describe("source address for the per-address sign-in limit", () => {
  const h = (xff?: string) => new Headers(xff ? { "x-forwarded-for": xff } : {});
  it("without a trusted proxy: the address Next.js filled in from the socket (last entry)", () => {
    expect(sourceAddress(h("192.0.2.10"), 0)).toBe("192.0.2.10");
    expect(sourceAddress(h(), 0)).toBe("unknown");
  });
  it("behind N trusted proxies: the address the outermost proxy saw, never what the client prepended", () => {
    expect(sourceAddress(h("6.6.6.6, 192.0.2.10"), 1)).toBe("192.0.2.10");
    expect(sourceAddress(h("6.6.6.6, 192.0.2.10, 10.0.0.2"), 2)).toBe("192.0.2.10");
    expect(sourceAddress(h("192.0.2.10"), 1)).toBe("192.0.2.10");
    expect(sourceAddress(h("192.0.2.10"), 3)).toBe("192.0.2.10");
  });
});

describe("session signing key (NEXTAUTH_SECRET)", () => {
  const file = path.join(os.tmpdir(), `nextauth-${process.pid}.secret`);
  it("a production start refuses to run without NEXTAUTH_SECRET, even with the local secrets file", () => {
    fs.writeFileSync(file, "local-file-secret-of-enough-length-000000\n");
    try {
      expect(() => sessionSecret({ NODE_ENV: "production" }, file)).toThrow(/NEXTAUTH_SECRET is not set/);
      expect(sessionSecret({ NODE_ENV: "production", NEXTAUTH_SECRET: "x".repeat(32) }, file)).toBe("x".repeat(32));
      // `next build` evaluates the module without a secret; the running server does not.
      expect(() => sessionSecret({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build" }, file)).not.toThrow();
      // Development and tests use the file written by setup.
      expect(sessionSecret({ NODE_ENV: "development" }, file)).toBe("local-file-secret-of-enough-length-000000");
      expect(() => sessionSecret({ NODE_ENV: "development" }, file + ".missing")).toThrow(/npm run setup/);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it("the server's start hook (instrumentation register) refuses a production start without it", async () => {
    const { register } = await import("../../instrumentation");
    const saved = { ...process.env };
    const env = process.env as Record<string, string | undefined>;
    try {
      env.NODE_ENV = "production";
      env.NEXT_RUNTIME = "nodejs";
      delete env.NEXTAUTH_SECRET;
      delete env.NEXT_PHASE;
      await expect(register()).rejects.toThrow(/NEXTAUTH_SECRET is not set/);
      env.NEXTAUTH_SECRET = "y".repeat(40);
      await expect(register()).resolves.toBeUndefined();
    } finally {
      for (const k of ["NODE_ENV", "NEXT_RUNTIME", "NEXTAUTH_SECRET", "NEXT_PHASE"]) {
        if (saved[k] === undefined) delete env[k];
        else env[k] = saved[k];
      }
    }
  });
});

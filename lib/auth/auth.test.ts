import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password";
import { base32Decode, base32Encode, hotp, otpauthUri, totp, verifyTotp } from "./totp";

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
    expect(otpauthUri("ABC", "monitor@350001")).toBe("otpauth://totp/Juki-net%20Watch%3Amonitor%40350001?secret=ABC&issuer=Juki-net%20Watch&algorithm=SHA1&digits=6&period=30");
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

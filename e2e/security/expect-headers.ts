/** What every console response must carry (issue 10, point 5): the checks the header specs share. */
import { expect } from "@playwright/test";

export type Headers = Record<string, string>;

const NONCE = /script-src 'self' 'nonce-([A-Za-z0-9+/=_-]{16,})' 'strict-dynamic'/;

export function expectCommonHeaders(h: Headers, what: string) {
  expect(h["x-frame-options"], `${what}: X-Frame-Options`).toBe("DENY");
  expect(h["x-content-type-options"], `${what}: X-Content-Type-Options`).toBe("nosniff");
  expect(h["referrer-policy"], `${what}: Referrer-Policy`).toMatch(/^(same-origin|no-referrer)$/);
  expect(h["permissions-policy"], `${what}: Permissions-Policy`).toContain("camera=()");
}

/** The page policy; returns its nonce. */
export function expectPageHeaders(h: Headers, what: string): string {
  expectCommonHeaders(h, what);
  const csp = h["content-security-policy"] ?? "";
  const nonce = NONCE.exec(csp)?.[1];
  expect(nonce, `${what}: nonce-based script-src in "${csp}"`).toBeTruthy();
  for (const directive of [
    "default-src 'self'",
    "img-src 'self' data: blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ]) {
    expect(csp, `${what}: ${directive}`).toContain(directive);
  }
  const scriptSrc = csp.split(";").find((d) => d.trim().startsWith("script-src"))!;
  expect(scriptSrc, `${what}: no inline script allowed without the nonce`).not.toContain("'unsafe-inline'");
  // The e2e console runs a production build (next start): no eval either.
  expect(scriptSrc, `${what}: no eval outside development`).not.toContain("'unsafe-eval'");
  return nonce!;
}

export function expectApiHeaders(h: Headers, what: string) {
  expectCommonHeaders(h, what);
  expect(h["cache-control"], `${what}: Cache-Control`).toContain("no-store");
  const csp = h["content-security-policy"] ?? "";
  expect(csp, `${what}: CSP`).toContain("default-src 'none'");
  expect(csp, `${what}: CSP`).toContain("frame-ancestors 'none'");
}

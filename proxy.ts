/**
 * Next.js 16 Proxy (the file convention formerly called middleware.ts): a
 * Content-Security-Policy with a fresh nonce for every page request.
 *
 * Next.js reads the nonce from the request's Content-Security-Policy header
 * and puts it on its own inline and bootstrap scripts while rendering; this
 * needs dynamic rendering, which the root layout asks for (`connection()`).
 * With 'strict-dynamic', scripts those nonce-bearing scripts load (the
 * client chunks) are trusted, and nothing else: no inline script of an
 * injected string runs.
 *
 * API routes are deliberately outside the matcher: when a proxy runs on a
 * request with a body, Next buffers that body to clone it and cuts it at
 * `proxyClientMaxBodySize` (10 MB by default), which would truncate ingest
 * batches and defeat streamed upload limits. Their headers (a no-content
 * CSP, no-store, nosniff, frame denial) come from next.config.ts, like the
 * headers every response carries.
 */
import { NextResponse, type NextRequest } from "next/server";

/** The page policy for a nonce. 'unsafe-eval' only in development (React's dev tooling and fast refresh need it). */
function pageContentSecurityPolicy(nonce: string, dev = process.env.NODE_ENV === "development"): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // React and recharts set style attributes; Next inlines its CSS in development.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = pageContentSecurityPolicy(nonce);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = {
  // Every page, including server actions (POSTs to a page) and RSC requests; not API routes, build output or the icon.
  matcher: ["/((?!api/|_next/static/|_next/image|favicon\\.ico).*)"],
};

import type { NextConfig } from "next";

/**
 * Headers of every response (pages, API routes, exports, build output). The
 * pages' Content-Security-Policy carries a per-request nonce and is set by
 * proxy.ts; API responses (JSON, CSV/XLSX/PDF downloads) render nothing, so
 * their policy allows nothing, and they are never cached.
 */
const everywhere = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  // same-origin, not no-referrer: with no-referrer a plain form POST sends "Origin: null", which the Origin check refuses.
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=()" },
];

const api = [
  { key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'" },
  { key: "Cache-Control", value: "no-store" },
];

const nextConfig: NextConfig = {
  // Native and server-only packages stay outside the bundle.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "pg", "@prisma/adapter-pg", "@elastic/elasticsearch", "pdfkit", "exceljs"],
  poweredByHeader: false,
  async headers() {
    return [
      { source: "/:path*", headers: everywhere },
      { source: "/api/:path*", headers: api },
    ];
  },
};

export default nextConfig;

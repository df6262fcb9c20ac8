import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native and server-only packages stay outside the bundle.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "@elastic/elasticsearch", "pdfkit", "exceljs"],
  poweredByHeader: false,
};

export default nextConfig;

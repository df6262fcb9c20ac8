// Prisma CLI configuration: the JS engine with a driver adapter, so no native
// Prisma engine has to be downloaded (see docs in README). DATABASE_URL picks
// the database: `file:…` SQLite (prisma/schema.prisma, the embedded default) or
// `postgresql://…` PostgreSQL (prisma/postgres/, derived from prisma/schema.prisma
// by `npm run db:postgres-migration`).
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";

const url = process.env.DATABASE_URL ?? `file:${path.join(import.meta.dirname, "var", "jukinet.db")}`;
process.env.DATABASE_URL = url;
const postgres = /^postgres(ql)?:\/\//.test(url);
const dir = postgres ? path.join("prisma", "postgres") : "prisma";

export default defineConfig({
  schema: path.join(dir, "schema.prisma"),
  migrations: { path: path.join(dir, "migrations") },
  engine: "js",
  experimental: { adapter: true },
  adapter: async () => (postgres ? new PrismaPg({ connectionString: url }) : new PrismaBetterSQLite3({ url })),
});

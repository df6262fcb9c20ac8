/**
 * The one Prisma client of the process: SQLite through better-sqlite3 (the
 * embedded default, DATABASE_URL=file:…) or PostgreSQL through node-postgres
 * (DATABASE_URL=postgresql://…). Both clients are generated from the same models
 * (prisma/postgres/schema.prisma is derived from prisma/schema.prisma), so the
 * PostgreSQL one is used under the SQLite client's type: code keeps to what both
 * databases do alike.
 */
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { PrismaClient as PostgresPrismaClient } from "./generated/prisma-postgres/client";
import { config } from "./config";

const globalForDb = globalThis as unknown as { jukinetDb?: PrismaClient };

export type DatabaseKind = "sqlite" | "postgresql";

export function databaseKind(url = config().DATABASE_URL): DatabaseKind {
  return /^postgres(ql)?:\/\//.test(url) ? "postgresql" : "sqlite";
}

/** A new client of the database at `url` (db() is the process's one; this serves tools such as db:copy). */
export function openDatabase(url: string): PrismaClient {
  if (databaseKind(url) === "postgresql") {
    return new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: url, max: config().DATABASE_POOL_SIZE }) }) as unknown as PrismaClient;
  }
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url }) });
}

export function db(): PrismaClient {
  globalForDb.jukinetDb ??= openDatabase(config().DATABASE_URL);
  return globalForDb.jukinetDb;
}

export async function disconnectDb(): Promise<void> {
  await globalForDb.jukinetDb?.$disconnect();
  globalForDb.jukinetDb = undefined;
}

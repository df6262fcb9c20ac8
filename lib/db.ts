/** The one Prisma client of the process (SQLite through better-sqlite3 by default). */
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/prisma/client";
import { config } from "./config";

const globalForDb = globalThis as unknown as { jukinetDb?: PrismaClient };

export function db(): PrismaClient {
  globalForDb.jukinetDb ??= new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: config().DATABASE_URL }) });
  return globalForDb.jukinetDb;
}

export async function disconnectDb(): Promise<void> {
  await globalForDb.jukinetDb?.$disconnect();
  globalForDb.jukinetDb = undefined;
}

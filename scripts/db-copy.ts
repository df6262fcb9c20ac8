/**
 * Moves a deployment's data from one database to another, e.g. from the
 * embedded SQLite to PostgreSQL:
 *
 *   npm run db:copy -- --to postgresql://user:pw@host:5432/jukinet [--from file:var/jukinet.db]
 *
 * --from defaults to DATABASE_URL (else the default SQLite file). The target is
 * migrated first (`prisma migrate deploy`) and must hold no rows. Every model of
 * prisma/schema.prisma is copied, parents before children (a self-referencing
 * tree such as Organization.parent level by level), in batches; autoincrement
 * sequences are moved past the copied ids on PostgreSQL; then the row counts of
 * source and target are compared. Stop the console and the workers first.
 * Elasticsearch is untouched (events and alerts stay where they are).
 */
import fs from "node:fs";
import { openDatabase } from "../lib/db";
import { SQLITE_SCHEMA } from "./db-postgres-migration";
import { migrateDatabase } from "./setup";

export interface ModelInfo {
  name: string;
  /** Fields of the primary key (@id, or @@id([...])), for ordering; the one field of an autoincrement id. */
  key: string[];
  autoincrement: boolean;
  /** Foreign keys: local field → referenced model. */
  parents: { field: string; model: string }[];
}

/** Models, their id, autoincrement and foreign keys, read from the Prisma schema text. */
export function parseModels(schema: string): ModelInfo[] {
  const models: ModelInfo[] = [];
  for (const m of schema.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const info: ModelInfo = { name: m[1], key: [], autoincrement: false, parents: [] };
    const compound = /^\s*@@id\(\[([^\]]+)\]/m.exec(m[2]);
    if (compound) info.key = compound[1].split(",").map((s) => s.trim());
    for (const raw of m[2].split("\n")) {
      const line = raw.replace(/\/\/.*$/, "").trim();
      const f = /^(\w+)\s+(\w+)(\[\]|\?)?\s*(.*)$/.exec(line);
      if (!f || line.startsWith("@@")) continue;
      const [, field, type, , attrs] = f;
      if (/@id\b/.test(attrs)) {
        info.key = [field];
        info.autoincrement = /@default\(autoincrement\(\)\)/.test(attrs);
      }
      const rel = /@relation\([^)]*fields:\s*\[([^\]]+)\]/.exec(attrs);
      if (rel) {
        const fields = rel[1].split(",").map((s) => s.trim());
        if (fields.length !== 1) throw new Error(`${info.name}.${field}: composite foreign keys are not supported by db:copy`);
        info.parents.push({ field: fields[0], model: type });
      }
    }
    if (!info.key.length) throw new Error(`model ${info.name}: no @id or @@id`);
    models.push(info);
  }
  return models;
}

/** Models ordered so that every model comes after the models it references (self-references aside). */
export function copyOrder(models: ModelInfo[]): ModelInfo[] {
  const byName = new Map(models.map((m) => [m.name, m]));
  const done = new Set<string>();
  const out: ModelInfo[] = [];
  const visit = (m: ModelInfo, path: string[]) => {
    if (done.has(m.name)) return;
    if (path.includes(m.name)) throw new Error(`relation cycle ${[...path, m.name].join(" → ")}: db:copy cannot order it`);
    for (const p of m.parents) if (p.model !== m.name) visit(byName.get(p.model)!, [...path, m.name]);
    done.add(m.name);
    out.push(m);
  };
  for (const m of models) visit(m, []);
  return out;
}

type Row = Record<string, unknown>;
type Delegate = { findMany(args: object): Promise<Row[]>; createMany(args: { data: Row[] }): Promise<{ count: number }>; count(): Promise<number> };
type AnyClient = Record<string, unknown> & { $disconnect(): Promise<void>; $executeRawUnsafe(sql: string): Promise<number> };

const delegate = (client: AnyClient, model: string) => client[model[0].toLowerCase() + model.slice(1)] as Delegate;

export async function copyDatabase(from: string, to: string, log = (s: string) => process.stderr.write(`[db:copy] ${s}\n`)): Promise<Record<string, number>> {
  if (from === to) throw new Error("--from and --to are the same database");
  await migrateDatabase(to);
  const source = openDatabase(from) as unknown as AnyClient;
  const target = openDatabase(to) as unknown as AnyClient;
  const postgres = /^postgres(ql)?:\/\//.test(to);
  const models = copyOrder(parseModels(fs.readFileSync(SQLITE_SCHEMA, "utf8")));
  const counts: Record<string, number> = {};
  try {
    for (const m of models) {
      const n = await delegate(target, m.name).count();
      if (n > 0) throw new Error(`target already holds ${n} ${m.name} row(s): db:copy only fills an empty database`);
    }
    for (const m of models) {
      const rows = await delegate(source, m.name).findMany({ orderBy: m.key.map((k) => ({ [k]: "asc" })) });
      const self = m.parents.find((p) => p.model === m.name);
      // A tree: insert level by level, each row after its parent.
      let pending = rows;
      const inserted = new Set<unknown>();
      while (pending.length) {
        const ready = self ? pending.filter((r) => r[self.field] == null || inserted.has(r[self.field])) : pending;
        if (!ready.length) throw new Error(`${m.name}: rows whose ${self!.field} points at no row`);
        for (let i = 0; i < ready.length; i += 500) await delegate(target, m.name).createMany({ data: ready.slice(i, i + 500) });
        if (self) for (const r of ready) inserted.add(r[m.key[0]]);
        const readySet = new Set(ready);
        pending = self ? pending.filter((r) => !readySet.has(r)) : [];
      }
      if (postgres && m.autoincrement) {
        await target.$executeRawUnsafe(
          `SELECT setval(pg_get_serial_sequence('"${m.name}"', '${m.key[0]}'), COALESCE((SELECT MAX("${m.key[0]}") FROM "${m.name}"), 1), (SELECT COUNT(*) > 0 FROM "${m.name}"))`,
        );
      }
      const copied = await delegate(target, m.name).count();
      if (copied !== rows.length) throw new Error(`${m.name}: ${rows.length} row(s) read, ${copied} in the target`);
      counts[m.name] = copied;
      if (copied) log(`${m.name}: ${copied}`);
    }
  } finally {
    await source.$disconnect();
    await target.$disconnect();
  }
  return counts;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { config } = await import("../lib/config");
  const to = arg("to");
  const from = arg("from") ?? config().DATABASE_URL;
  if (!to) {
    process.stderr.write("usage: npm run db:copy -- --to postgresql://user:password@host:port/database [--from file:var/jukinet.db]\n");
    process.exit(2);
  }
  try {
    const counts = await copyDatabase(from, to);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    process.stderr.write(`[db:copy] ${total} row(s) in ${Object.keys(counts).length} model(s) copied; set DATABASE_URL to the target and start the console\n`);
  } catch (e) {
    process.stderr.write(`[db:copy] ${(e as Error).message}\n`);
    process.exit(1);
  }
}

import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { derivePostgresSchema, POSTGRES_MIGRATIONS, POSTGRES_SCHEMA, SQLITE_SCHEMA } from "./db-postgres-migration";
import { copyOrder, parseModels } from "./db-copy";

describe("PostgreSQL schema and migrations derived from prisma/schema.prisma", () => {
  it("prisma/postgres/schema.prisma is the derivation of prisma/schema.prisma (else: npm run db:postgres-migration)", () => {
    const expected = derivePostgresSchema(fs.readFileSync(SQLITE_SCHEMA, "utf8"));
    const actual = fs.readFileSync(POSTGRES_SCHEMA, "utf8");
    // A plain equality, with a readable hint instead of a 500-line diff.
    if (actual !== expected)
      expect.fail("prisma/postgres is out of date with prisma/schema.prisma: run `npm run db:postgres-migration` and commit prisma/postgres/");
  });

  it("derives provider and client output only, and refuses a schema it does not understand", () => {
    const src =
      'generator client {\n  provider = "prisma-client"\n  output   = "../lib/generated/prisma"\n}\ndatasource db {\n  provider = "sqlite"\n  url = env("X")\n}\nmodel A {\n  id Int @id\n}\n';
    const out = derivePostgresSchema(src);
    expect(out).toContain('provider = "postgresql"');
    expect(out).toContain('output   = "../../lib/generated/prisma-postgres"');
    expect(out).toContain("model A {\n  id Int @id\n}");
    expect(() => derivePostgresSchema(src.replace('"sqlite"', '"mysql"'))).toThrow(/unexpected provider/);
    expect(() => derivePostgresSchema("model A { id Int @id }")).toThrow(/no `datasource db`/);
  });

  it("has PostgreSQL migrations, each with its SQL, and the lock file says postgresql", () => {
    const names = fs.readdirSync(POSTGRES_MIGRATIONS).filter((n) => /^\d{14}_/.test(n));
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(fs.existsSync(path.join(POSTGRES_MIGRATIONS, n, "migration.sql"))).toBe(true);
    expect(fs.readFileSync(path.join(POSTGRES_MIGRATIONS, "migration_lock.toml"), "utf8")).toContain('provider = "postgresql"');
  });
});

describe("db:copy model order", () => {
  it("reads every model of the schema and orders parents before children", () => {
    const schema = fs.readFileSync(SQLITE_SCHEMA, "utf8");
    const models = parseModels(schema);
    expect(models.map((m) => m.name).sort()).toEqual([...schema.matchAll(/^model\s+(\w+)/gm)].map((m) => m[1]).sort());
    const order = copyOrder(models).map((m) => m.name);
    for (const m of models) for (const p of m.parents) if (p.model !== m.name) expect(order.indexOf(p.model)).toBeLessThan(order.indexOf(m.name));
    const org = models.find((m) => m.name === "Organization")!;
    expect(org.parents).toContainEqual({ field: "parentId", model: "Organization" });
    expect(models.find((m) => m.name === "ConsoleAuditEvent")).toMatchObject({ key: ["seq"], autoincrement: true });
    expect(models.filter((m) => m.key.length > 1).length).toBeGreaterThan(0); // @@id models are read too
  });

  it("refuses a relation cycle", () => {
    const models = parseModels(
      "model A {\n  id Int @id\n  bId Int\n  b B @relation(fields: [bId], references: [id])\n}\nmodel B {\n  id Int @id\n  aId Int\n  a A @relation(fields: [aId], references: [id])\n}\n",
    );
    expect(() => copyOrder(models)).toThrow(/relation cycle/);
  });
});

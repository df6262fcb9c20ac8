/**
 * `npm run db:copy`: a SQLite deployment's data moved to PostgreSQL, row for
 * row, by the command itself. Runs in the PostgreSQL pass of the suite
 * (TEST_DATABASE=postgresql), which has a PostgreSQL instance to copy into.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../lib/db";
import { REPO_ROOT } from "../../lib/paths";
import { parseModels } from "../../scripts/db-copy";
import { SQLITE_SCHEMA } from "../../scripts/db-postgres-migration";
import { freshTestDatabase, TEST_DATABASE } from "../support/database";
import { TEST_ES } from "./global-setup";
import fs from "node:fs";

type Client = ReturnType<typeof openDatabase>;
type Rows = Record<string, unknown>[];
const models = parseModels(fs.readFileSync(SQLITE_SCHEMA, "utf8"));
const all = (c: Client, model: string, key: string[]) =>
  (c as unknown as Record<string, { findMany(a: object): Promise<Rows> }>)[model[0].toLowerCase() + model.slice(1)].findMany({
    orderBy: key.map((k) => ({ [k]: "asc" })),
  });

const copy = (from: string, to: string) =>
  spawnSync(
    process.execPath,
    [path.join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs"), path.join(REPO_ROOT, "scripts", "db-copy.ts"), "--from", from, "--to", to],
    {
      env: { ...process.env },
      encoding: "utf8",
    },
  );

describe.skipIf(TEST_DATABASE !== "postgresql")("db:copy from SQLite to PostgreSQL", () => {
  let sqliteUrl: string;
  let pgUrl: string;
  let source: Client;
  let target: Client;

  beforeAll(async () => {
    sqliteUrl = await freshTestDatabase(`copy-source-${TEST_ES.port}`, "sqlite");
    pgUrl = await freshTestDatabase(`copy_target_${TEST_ES.port}`, "postgresql");
    source = openDatabase(sqliteUrl);
    // A tree whose child sorts before its parent, a user, gaps in autoincrement ids, an audit chain, Japanese text.
    await source.organization.create({ data: { id: "990000", name: "全国センター", kind: "national" } });
    await source.organization.create({ data: { id: "350000", name: "山口県", kind: "prefecture", parentId: "990000" } });
    await source.organization.create({ data: { id: "010001", name: "下関市", kind: "municipality", parentId: "350000" } });
    const u = await source.user.create({
      data: { loginId: "copy-user", name: "複写", role: "admin", organizationId: "350000", passwordHash: "x", sessionVersion: 3 },
    });
    for (const [id, name] of [
      [3, "一"],
      [7, "二"],
    ] as const)
      await source.savedView.create({ data: { id, userId: u.id, name, query: "status=open" } });
    for (let seq = 1; seq <= 3; seq++)
      await source.consoleAuditEvent.create({
        data: { seq, at: new Date(Date.UTC(2026, 11, 1, 0, 0, seq, 123)), action: "signin", prevHash: `h${seq - 1}`, hash: `h${seq}`, details: '{"件":1}' },
      });
  });

  afterAll(async () => {
    await source?.$disconnect();
    await target?.$disconnect();
  });

  it("copies every model row for row, moves sequences past the copied ids, and refuses a target that holds rows", async () => {
    const r = copy(sqliteUrl, pgUrl);
    expect(r.stderr).toMatch(/copied/);
    expect(r.status).toBe(0);
    target = openDatabase(pgUrl);
    for (const m of models) expect(await all(target, m.name, m.key), m.name).toEqual(await all(source, m.name, m.key));
    expect(await target.organization.count()).toBe(3);
    expect(await target.consoleAuditEvent.count()).toBe(3);
    // The next autoincrement id follows the copied ones.
    const u = await target.user.findUniqueOrThrow({ where: { loginId: "copy-user" } });
    expect((await target.savedView.create({ data: { userId: u.id, name: "三", query: "" } })).id).toBe(8);

    const again = copy(sqliteUrl, pgUrl);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/only fills an empty database/);
  });
});

/**
 * Registry import dry run (issue 13): the whole import, rolled back, reporting
 * per section what would be created, updated or left unchanged; the real
 * import then reports the same; a refused file's problems in Japanese,
 * naming the section and the entry.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { systemScope } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { importRegistryChanges, RegistryImportError } from "../../domain/registry/import";
import { describeProblem } from "../../domain/registry/import-changes";
import { SHIMONOSEKI, useFixtureRegistry } from "./detectors/harness";

const CLI = systemScope("cli");

beforeAll(async () => {
  await useFixtureRegistry();
  await db().terminal.deleteMany({ where: { id: { in: ["TM-DRY-01", "TM-DRY-02"] } } });
  await importRegistryChanges({ terminals: [{ id: "TM-DRY-01", organization: SHIMONOSEKI, ip: "10.35.201.201" }] }, CLI);
});

describe("registry import dry run", () => {
  const file = {
    terminals: [
      { id: "TM-DRY-01", organization: SHIMONOSEKI, ip: "10.35.201.202" }, // changed ip
      { id: "TM-DRY-02", organization: SHIMONOSEKI, ip: "10.35.201.203" }, // new
    ],
    maintenance_windows: [{ organization: SHIMONOSEKI, start: "2031-03-01T18:00:00+09:00", end: "2031-03-01T22:00:00+09:00", note: "dry" }],
  };

  it("shows what would change and changes nothing; the import then does exactly that", async () => {
    const state = async () => ({
      terminals: await db().terminal.findMany({ where: { id: { startsWith: "TM-DRY" } }, orderBy: { id: "asc" } }),
      windows: await db().maintenanceWindow.count({ where: { note: "dry" } }),
    });
    const before = await state();
    const dry = await importRegistryChanges(file, CLI, { dryRun: true });
    expect(dry.changes.terminals).toEqual({ created: 1, updated: 1, unchanged: 0 });
    expect(dry.changes.maintenance_windows).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect(dry.changes.nodes).toEqual({ created: 0, updated: 0, unchanged: 0 });
    expect(await state()).toEqual(before);

    const real = await importRegistryChanges(file, CLI);
    expect(real.changes).toEqual(dry.changes);
    expect((await state()).terminals.map((t) => t.ip)).toEqual(["10.35.201.202", "10.35.201.203"]);
    // Again: everything unchanged.
    const again = await importRegistryChanges(file, CLI, { dryRun: true });
    expect(again.changes.terminals).toEqual({ created: 0, updated: 0, unchanged: 2 });
    expect(again.changes.maintenance_windows).toEqual({ created: 0, updated: 0, unchanged: 1 });
    await db().maintenanceWindow.deleteMany({ where: { note: "dry" } });
  });

  it("names the section and the entry of each problem in Japanese", async () => {
    const bad = {
      terminals: [
        { id: "TM-OK", organization: SHIMONOSEKI },
        { id: "TM-BAD", organization: "352999" },
      ],
      organizations: [{ id: "352013", name: "x", kind: "municipality" }],
    };
    const err = await importRegistryChanges(bad, CLI, { dryRun: true }).catch((e) => e);
    expect(err).toBeInstanceOf(RegistryImportError);
    const problems = (err as RegistryImportError).problems.map((p) => describeProblem(p, bad));
    expect(problems).toContain("団体 1件目（352013）のID: 団体コードは検査数字の正しい6桁の地方公共団体コードで入力してください");
    expect(problems.some((p) => p.startsWith("業務端末 2件目（TM-BAD）の団体:"))).toBe(true);
    expect(describeProblem("organisations: unknown section (INTERFACE.md §5)")).toMatch(/^organisations: 不明な区分です/);
  });
});

import { describe, expect, it } from "vitest";
import { db } from "../../lib/db";
import { systemScope } from "../../lib/auth/scope";
import { importRegistry, RegistryImportError } from "../../lib/registry/import";
import { REGISTRY } from "./helpers";

// The server's CLI (npm run registry:import) imports in the system scope.
const CLI = systemScope("cli");

const counts = async () => ({
  organizations: await db().organization.count(),
  nodes: await db().node.count(),
  terminals: await db().terminal.count(),
  cards: await db().icCard.count(),
  purposes: await db().permittedPurpose.count(),
});

describe("registry import", () => {
  it("is an idempotent upsert", async () => {
    await importRegistry(REGISTRY, CLI);
    const before = await counts();
    const summary = await importRegistry(REGISTRY, CLI);
    expect(summary.organizations).toBe(REGISTRY.organizations.length);
    expect(await counts()).toEqual(before);
    const shimonoseki = await db().organization.findUnique({ where: { id: "352012" } });
    expect(shimonoseki).toMatchObject({ name: "下関市", parentId: "350001", businessStart: "08:30", businessEnd: "17:15" });
  });

  it("updates changed rows and replaces a purpose set", async () => {
    const changed = structuredClone(REGISTRY) as typeof REGISTRY & { permitted_purposes: { organization: string; schedule: string; items: string[] }[] };
    changed.terminals[0].ip = "10.35.201.99";
    changed.permitted_purposes = [{ organization: "350001", schedule: "5", items: ["5-1", "5-2"] }];
    await importRegistry(changed, CLI);
    changed.permitted_purposes = [{ organization: "350001", schedule: "5", items: ["5-2", "5-3"] }];
    await importRegistry(changed, CLI);
    expect((await db().terminal.findUnique({ where: { id: "TM-352012-01" } }))?.ip).toBe("10.35.201.99");
    const items = (await db().permittedPurpose.findMany({ where: { organizationId: "350001", schedule: "5" } })).map((p) => p.item).sort();
    expect(items).toEqual(["5-2", "5-3"]);
    await importRegistry(REGISTRY, CLI);
  });

  it("rejects a bad file naming every problem and changes nothing", async () => {
    const before = await counts();
    const bad = {
      organizations: [{ id: "352020", name: "宇部市", kind: "municipality", parent: "350001" }],
      nodes: [{ id: "CS-999", type: "municipal_cs", organization: "999999" }],
      terminals: [{ id: "TM-X", organization: "352012", ip: "300.1.1.1" }],
    };
    const err = await importRegistry(bad, CLI).catch((e) => e);
    expect(err).toBeInstanceOf(RegistryImportError);
    const text = (err as RegistryImportError).problems.join("\n");
    expect(text).toMatch(/organizations\[0\]\.id: .*check digit/);
    expect(text).toMatch(/nodes\[0\]\.organization: .*check digit/);
    expect(text).toMatch(/terminals\[0\]\.ip/);
    const unknownParent = await importRegistry({ organizations: [{ id: "352021", name: "宇部市", kind: "municipality", parent: "340006" }] }, CLI).catch((e) => e);
    expect((unknownParent as RegistryImportError).problems).toEqual(['organizations[0].parent: unknown organization "340006"']);
    expect(await counts()).toEqual(before);
  });

  it("accepts \"parent\": null for the top organisation (§5: absent or null)", async () => {
    const top = { ...REGISTRY.organizations[0], parent: null };
    expect(top.id).toBe("000001");
    await expect(importRegistry({ organizations: [top] }, CLI)).resolves.toMatchObject({ organizations: 1 });
    expect((await db().organization.findUniqueOrThrow({ where: { id: "000001" } })).parentId).toBeNull();
  });

  it("accepts every optional field and section absent or null, with the defaults of absent ones", async () => {
    const file = {
      organizations: [{ id: "353051", name: "周防大島町", kind: "municipality", parent: "350001", business_hours: null }],
      nodes: [{ id: "CS-353051", type: "municipal_cs", organization: "353051", expected_interval_minutes: null }],
      terminals: [{ id: "TM-353051-01", organization: "353051", ip: null }],
      operators: [{ id: "OP-353051-001", organization: "353051", department: null, cards: null, kind: null }],
      permitted_purposes: null,
      maintenance_windows: [{ organization: "353051", start: "2026-05-10T18:00:00+09:00", end: "2026-05-11T06:00:00+09:00", note: null }],
    };
    await expect(importRegistry(file, CLI)).resolves.toMatchObject({ organizations: 1, nodes: 1, terminals: 1, operators: 1, cards: 0, permitted_purposes: 0, maintenance_windows: 1 });
    expect(await db().organization.findUniqueOrThrow({ where: { id: "353051" } })).toMatchObject({ businessStart: "08:30", businessEnd: "17:15" });
    expect((await db().node.findUniqueOrThrow({ where: { id: "CS-353051" } })).expectedIntervalMinutes).toBe(60);
    expect((await db().terminal.findUniqueOrThrow({ where: { id: "TM-353051-01" } })).ip).toBeNull();
    expect(await db().operator.findUniqueOrThrow({ where: { id: "OP-353051-001" } })).toMatchObject({ department: null, kind: "person" });
    // Whole sections null, and a file of nulls only.
    await expect(importRegistry({ organizations: null, nodes: null, terminals: null, operators: null, permitted_purposes: null, maintenance_windows: null }, CLI)).resolves.toMatchObject({ organizations: 0 });
    // Leave the shared registry as the other test files expect it (no extra silent node).
    await db().maintenanceWindow.deleteMany({ where: { organizationId: "353051" } });
    await db().operator.deleteMany({ where: { organizationId: "353051" } });
    await db().terminal.deleteMany({ where: { organizationId: "353051" } });
    await db().node.deleteMany({ where: { organizationId: "353051" } });
    await db().organization.delete({ where: { id: "353051" } });
  });

  it("still names the path of a required field sent as null", async () => {
    const err = await importRegistry({ organizations: [{ id: "353051", name: null, kind: "municipality" }], nodes: [{ id: "CS-353051", type: null, organization: "353051" }] }, CLI).catch((e) => e);
    expect(err).toBeInstanceOf(RegistryImportError);
    const text = (err as RegistryImportError).problems.join("\n");
    expect(text).toMatch(/^organizations\[0\]\.name: /m);
    expect(text).toMatch(/^nodes\[0\]\.type: /m);
  });

  it("rejects a parent cycle made by the file and the database together, even in the system scope", async () => {
    const before = await db().organization.findMany({ orderBy: { id: "asc" } });
    // 352012's parent is 350001 in the database; making 350001 a child of 352012 closes a loop.
    const err = await importRegistry({ organizations: [{ id: "350001", name: "山口県", kind: "prefecture", parent: "352012" }] }, CLI).catch((e) => e);
    expect(err).toBeInstanceOf(RegistryImportError);
    expect((err as RegistryImportError).problems).toEqual(["organizations[0].parent: cycle in parents: 350001 → 352012 → 350001"]);
    // A loop inside the file alone is named too.
    const inFile = await importRegistry({
      organizations: [
        { id: "352012", name: "下関市", kind: "municipality", parent: "352039" },
        { id: "352039", name: "山口市", kind: "municipality", parent: "352012" },
      ],
    }, CLI).catch((e) => e);
    expect((inFile as RegistryImportError).problems).toEqual([
      "organizations[0].parent: cycle in parents: 352012 → 352039 → 352012",
      "organizations[1].parent: cycle in parents: 352039 → 352012 → 352039",
    ]);
    expect(await db().organization.findMany({ orderBy: { id: "asc" } })).toEqual(before);
  });
});

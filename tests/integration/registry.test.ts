import { describe, expect, it } from "vitest";
import { db } from "../../lib/db";
import { importRegistry, RegistryImportError } from "../../lib/registry/import";
import { REGISTRY } from "./helpers";

const counts = async () => ({
  organizations: await db().organization.count(),
  nodes: await db().node.count(),
  terminals: await db().terminal.count(),
  cards: await db().icCard.count(),
  purposes: await db().permittedPurpose.count(),
});

describe("registry import", () => {
  it("is an idempotent upsert", async () => {
    await importRegistry(REGISTRY);
    const before = await counts();
    const summary = await importRegistry(REGISTRY);
    expect(summary.organizations).toBe(REGISTRY.organizations.length);
    expect(await counts()).toEqual(before);
    const shimonoseki = await db().organization.findUnique({ where: { id: "352012" } });
    expect(shimonoseki).toMatchObject({ name: "下関市", parentId: "350001", businessStart: "08:30", businessEnd: "17:15" });
  });

  it("updates changed rows and replaces a purpose set", async () => {
    const changed = structuredClone(REGISTRY) as typeof REGISTRY & { permitted_purposes: { organization: string; schedule: string; items: string[] }[] };
    changed.terminals[0].ip = "10.35.201.99";
    changed.permitted_purposes = [{ organization: "350001", schedule: "5", items: ["5-1", "5-2"] }];
    await importRegistry(changed);
    changed.permitted_purposes = [{ organization: "350001", schedule: "5", items: ["5-2", "5-3"] }];
    await importRegistry(changed);
    expect((await db().terminal.findUnique({ where: { id: "TM-352012-01" } }))?.ip).toBe("10.35.201.99");
    const items = (await db().permittedPurpose.findMany({ where: { organizationId: "350001", schedule: "5" } })).map((p) => p.item).sort();
    expect(items).toEqual(["5-2", "5-3"]);
    await importRegistry(REGISTRY);
  });

  it("rejects a bad file naming every problem and changes nothing", async () => {
    const before = await counts();
    const bad = {
      organizations: [{ id: "352020", name: "宇部市", kind: "municipality", parent: "350001" }],
      nodes: [{ id: "CS-999", type: "municipal_cs", organization: "999999" }],
      terminals: [{ id: "TM-X", organization: "352012", ip: "300.1.1.1" }],
    };
    const err = await importRegistry(bad).catch((e) => e);
    expect(err).toBeInstanceOf(RegistryImportError);
    const text = (err as RegistryImportError).problems.join("\n");
    expect(text).toMatch(/organizations\[0\]\.id: .*check digit/);
    expect(text).toMatch(/nodes\[0\]\.organization: .*check digit/);
    expect(text).toMatch(/terminals\[0\]\.ip/);
    const unknownParent = await importRegistry({ organizations: [{ id: "352021", name: "宇部市", kind: "municipality", parent: "340006" }] }).catch((e) => e);
    expect((unknownParent as RegistryImportError).problems).toEqual(['organizations[0].parent: unknown organization "340006"']);
    expect(await counts()).toEqual(before);
  });
});

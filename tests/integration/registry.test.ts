import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { db } from "../../lib/db";
import { systemScope } from "../../lib/auth/scope";
import { importRegistry, parseStoredPurposes, RegistryImportError } from "../../domain/registry/import";
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
    const unknownParent = await importRegistry({ organizations: [{ id: "352021", name: "宇部市", kind: "municipality", parent: "340006" }] }, CLI).catch(
      (e) => e,
    );
    expect((unknownParent as RegistryImportError).problems).toEqual(['organizations[0].parent: unknown organization "340006"']);
    expect(await counts()).toEqual(before);
  });

  it('accepts "parent": null for the top organisation (§5: absent or null)', async () => {
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
    await expect(importRegistry(file, CLI)).resolves.toMatchObject({
      organizations: 1,
      nodes: 1,
      terminals: 1,
      operators: 1,
      cards: 0,
      permitted_purposes: 0,
      maintenance_windows: 1,
    });
    expect(await db().organization.findUniqueOrThrow({ where: { id: "353051" } })).toMatchObject({ businessStart: "08:30", businessEnd: "17:15" });
    expect((await db().node.findUniqueOrThrow({ where: { id: "CS-353051" } })).expectedIntervalMinutes).toBe(60);
    expect((await db().terminal.findUniqueOrThrow({ where: { id: "TM-353051-01" } })).ip).toBeNull();
    expect(await db().operator.findUniqueOrThrow({ where: { id: "OP-353051-001" } })).toMatchObject({ department: null, kind: "person" });
    // Whole sections null, and a file of nulls only.
    await expect(
      importRegistry({ organizations: null, nodes: null, terminals: null, operators: null, permitted_purposes: null, maintenance_windows: null }, CLI),
    ).resolves.toMatchObject({ organizations: 0 });
    // Leave the shared registry as the other test files expect it (no extra silent node).
    await db().maintenanceWindow.deleteMany({ where: { organizationId: "353051" } });
    await db().operator.deleteMany({ where: { organizationId: "353051" } });
    await db().terminal.deleteMany({ where: { organizationId: "353051" } });
    await db().node.deleteMany({ where: { organizationId: "353051" } });
    await db().organization.delete({ where: { id: "353051" } });
  });

  it("still names the path of a required field sent as null", async () => {
    const err = await importRegistry(
      { organizations: [{ id: "353051", name: null, kind: "municipality" }], nodes: [{ id: "CS-353051", type: null, organization: "353051" }] },
      CLI,
    ).catch((e) => e);
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
    const inFile = await importRegistry(
      {
        organizations: [
          { id: "352012", name: "下関市", kind: "municipality", parent: "352039" },
          { id: "352039", name: "山口市", kind: "municipality", parent: "352012" },
        ],
      },
      CLI,
    ).catch((e) => e);
    expect((inFile as RegistryImportError).problems).toEqual([
      "organizations[0].parent: cycle in parents: 352012 → 352039 → 352012",
      "organizations[1].parent: cycle in parents: 352039 → 352012 → 352039",
    ]);
    expect(await db().organization.findMany({ orderBy: { id: "asc" } })).toEqual(before);
  });

  // INTERFACE.md §5's example, copied verbatim from the contract.
  const CONTRACT_EXAMPLE = JSON.parse(fs.readFileSync(new URL("./fixtures/registry-contract-example.json", import.meta.url), "utf8"));

  /** What the example stores, read back in the file's own shape. */
  const exampleState = async () => ({
    organizations: await db().organization.findMany({
      where: { id: { in: CONTRACT_EXAMPLE.organizations.map((o: { id: string }) => o.id) } },
      select: { id: true, name: true, kind: true, parentId: true, businessStart: true, businessEnd: true, requiredAuthMethod: true },
    }),
    operators: (await db().operator.findMany({ where: { id: "OP-352012-001" }, include: { cards: { select: { id: true } } } })).map((o) => ({
      id: o.id,
      organization: o.organizationId,
      department: o.department,
      cards: o.cards.map((c) => c.id),
      purposes: parseStoredPurposes(o.purposes),
      required_auth_method: o.requiredAuthMethod,
    })),
    departments: (await db().department.findMany({ orderBy: { id: "asc" } })).map((d) => ({
      organization: d.organizationId,
      name: d.name,
      purposes: parseStoredPurposes(d.purposes),
    })),
    purposes: await db().permittedPurpose.findMany({
      where: {
        OR: [
          { organizationId: "352012", schedule: "jukiho" },
          { organizationId: "350001", schedule: "5" },
        ],
      },
      orderBy: { id: "asc" },
    }),
    windows: await db().maintenanceWindow.findMany({
      where: { organizationId: "352012", start: new Date(CONTRACT_EXAMPLE.maintenance_windows[0].start) },
      orderBy: { id: "asc" },
    }),
    permits: await db().afterHoursPermit.findMany({
      where: { organizationId: "352012", start: new Date(CONTRACT_EXAMPLE.after_hours_permits[0].start) },
      orderBy: { id: "asc" },
    }),
    nodes: await db().node.findMany({ where: { id: "CS-352012" } }),
    terminals: await db().terminal.findMany({ where: { id: "TM-352012-01" } }),
  });
  const withoutTimestamps = (state: Awaited<ReturnType<typeof exampleState>>) =>
    JSON.parse(JSON.stringify(state, (k, v) => (k === "updatedAt" || k === "createdAt" ? undefined : v)));

  it("imports the contract's own §5 example, twice, and stores departments, purposes and required methods as written", async () => {
    await importRegistry(REGISTRY, CLI);
    await expect(importRegistry(CONTRACT_EXAMPLE, CLI)).resolves.toMatchObject({ organizations: 1, operators: 1, departments: 1, after_hours_permits: 1 });
    const first = await exampleState();
    await importRegistry(CONTRACT_EXAMPLE, CLI);
    const second = await exampleState();
    expect(withoutTimestamps(second)).toEqual(withoutTimestamps(first));

    const [operator] = CONTRACT_EXAMPLE.operators;
    expect(second.operators).toEqual([operator]);
    expect(second.operators[0]).toMatchObject({ purposes: [{ schedule: "jukiho", items: ["*"] }], required_auth_method: "biometric" });
    expect(second.departments).toEqual(CONTRACT_EXAMPLE.departments);
    expect(second.departments).toEqual([{ organization: "350001", name: "税務課", purposes: [{ schedule: "5", items: ["5-1"] }] }]);
    expect(second.organizations).toEqual([
      { id: "352012", name: "下関市", kind: "municipality", parentId: "350001", businessStart: "08:30", businessEnd: "17:15", requiredAuthMethod: null },
    ]);
    expect(second.permits).toMatchObject([{ operators: JSON.stringify(["OP-352012-001"]), reason: "月末の届出処理（時間外使用承認）" }]);
    expect(second.windows).toMatchObject([{ note: "system renewal" }]);

    // Leave the shared registry as the other test files expect it.
    await db().department.deleteMany({});
    await db().afterHoursPermit.deleteMany({ where: { id: { in: second.permits.map((p) => p.id) } } });
    await db().maintenanceWindow.deleteMany({ where: { id: { in: second.windows.map((w) => w.id) } } });
    await db().permittedPurpose.deleteMany({ where: { organizationId: "350001", schedule: "5" } });
    await importRegistry(REGISTRY, CLI);
    expect(await db().operator.findUniqueOrThrow({ where: { id: "OP-352012-001" } })).toMatchObject({ purposes: null, requiredAuthMethod: null });
  });

  it("stores required_auth_method on organisations and operators, and a purposes list as the complete set (null = all, [] = nothing)", async () => {
    const org = { ...REGISTRY.organizations[3], required_auth_method: "ic_card_biometric" };
    const op = (purposes: unknown, required_auth_method?: string | null) => ({ ...REGISTRY.operators[2], purposes, required_auth_method });
    const dept = (purposes: unknown) => ({ organization: "352039", name: "市民課", purposes });
    const stored = async () => ({
      org: (await db().organization.findUniqueOrThrow({ where: { id: "352039" } })).requiredAuthMethod,
      op: await db()
        .operator.findUniqueOrThrow({ where: { id: "OP-352039-001" } })
        .then((o) => ({ purposes: parseStoredPurposes(o.purposes), method: o.requiredAuthMethod })),
      dept: await db()
        .department.findMany({ where: { organizationId: "352039" } })
        .then((ds) => ds.map((d) => parseStoredPurposes(d.purposes))),
    });

    await importRegistry(
      {
        organizations: [org],
        operators: [op([{ schedule: "jukiho", items: ["jukiho-1", "jukiho-2"] }], "biometric")],
        departments: [dept([{ schedule: "5", items: ["5-1"] }])],
      },
      CLI,
    );
    expect(await stored()).toEqual({
      org: "ic_card_biometric",
      op: { purposes: [{ schedule: "jukiho", items: ["jukiho-1", "jukiho-2"] }], method: "biometric" },
      dept: [[{ schedule: "5", items: ["5-1"] }]],
    });

    // A new list replaces the old one; an empty list is nothing, not everything.
    await importRegistry({ operators: [op([{ schedule: "jukiho", items: ["jukiho-3"] }], "biometric")], departments: [dept([])] }, CLI);
    expect(await stored()).toEqual({
      org: "ic_card_biometric",
      op: { purposes: [{ schedule: "jukiho", items: ["jukiho-3"] }], method: "biometric" },
      dept: [[]],
    });

    // Absent or null: no method required, everything the organisation may use (the department is still one row).
    await importRegistry(
      { organizations: [{ ...org, required_auth_method: null }], operators: [op(null)], departments: [{ organization: "352039", name: "市民課" }] },
      CLI,
    );
    expect(await stored()).toEqual({ org: null, op: { purposes: null, method: null }, dept: [null] });
    await db().department.deleteMany({ where: { organizationId: "352039" } });
  });

  it("rejects a bad required_auth_method, a bad department schedule and an unknown section, naming the path, and changes nothing", async () => {
    const before = { ...(await counts()), departments: await db().department.count(), orgs: await db().organization.findMany({ orderBy: { id: "asc" } }) };
    const err = await importRegistry(
      {
        organizations: [{ ...REGISTRY.organizations[2], required_auth_method: "password" }],
        operators: [{ ...REGISTRY.operators[0], required_auth_method: "ic_card_password" }],
        departments: [
          {
            organization: "352012",
            name: "市民課",
            purposes: [
              { schedule: "jukiho", items: ["*"] },
              { schedule: "7", items: ["7-1"] },
            ],
          },
        ],
      },
      CLI,
    ).catch((e) => e);
    expect(err).toBeInstanceOf(RegistryImportError);
    const problems = (err as RegistryImportError).problems;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^organizations\[0\]\.required_auth_method: .*biometric/);
    expect(problems[1]).toMatch(/^operators\[0\]\.required_auth_method: .*biometric/);
    expect(problems[2]).toMatch(/^departments\[0\]\.purposes\[1\]\.schedule: /);

    const duplicate = await importRegistry(
      {
        departments: [
          { organization: "352012", name: "市民課" },
          { organization: "352012", name: "市民課", purposes: [] },
        ],
      },
      CLI,
    ).catch((e) => e);
    expect((duplicate as RegistryImportError).problems).toEqual(['departments[1]: duplicate department "352012/市民課"']);
    const unknownOrg = await importRegistry({ departments: [{ organization: "340006", name: "市民課" }] }, CLI).catch((e) => e);
    expect((unknownOrg as RegistryImportError).problems).toEqual(['departments[0].organization: unknown organization "340006"']);
    const unknownSection = await importRegistry({ organisations: [], departments: [] }, CLI).catch((e) => e);
    expect((unknownSection as RegistryImportError).problems).toEqual(["organisations: unknown section (INTERFACE.md §5)"]);

    expect({ ...(await counts()), departments: await db().department.count(), orgs: await db().organization.findMany({ orderBy: { id: "asc" } }) }).toEqual(
      before,
    );
  });
});

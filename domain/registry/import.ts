/**
 * Registry import (INTERFACE.md §5): organisations, nodes, terminals,
 * operators and their IC cards, departments, operator and department
 * purposes, required authentication methods, permitted purposes, maintenance
 * windows, after-hours permits.
 * Idempotent upsert in one transaction; a bad file changes nothing and every
 * problem is reported with its JSON path.
 *
 * The import runs inside a Scope (the admin's subtree, or the system scope of
 * the CLI): every row's organisation — and, for a row that already exists,
 * the organisation it belongs to now — must be in scope, else the whole file
 * is rejected. Changes to the organisation tree (a new organisation, a new
 * kind or parent) are reserved to admins of a prefecture or the national
 * centre, inside their subtree and never on their own organisation; a parent
 * cycle (file and database together) is rejected.
 */
import { db } from "../../lib/db";
import { AuthError } from "../../lib/auth/principal";
import type { Scope } from "../../lib/auth/scope";
import type { Prisma } from "../../lib/generated/prisma/client";
import { parseHhMm } from "../../lib/calendar";
import { registryFileSchema, storedPurposes, type RegistryFile } from "./registry-file";
import { operatorsKey, upsertPermit } from "./permits";
export { normalizePurposes, parseStoredPurposes, REQUIRED_AUTH_METHODS, registryFileSchema, type PurposeSet, type RegistryFile } from "./registry-file";
import { changeTracker, DryRunRollback, parentsFirst, type RegistryChanges } from "./import-changes";

export class RegistryImportError extends Error {
  constructor(readonly problems: string[]) {
    super(`registry file rejected, nothing imported:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

export interface RegistryImportSummary {
  organizations: number;
  nodes: number;
  terminals: number;
  operators: number;
  cards: number;
  departments: number;
  permitted_purposes: number;
  maintenance_windows: number;
  after_hours_permits: number;
  /** Extension (issue 17): card register entries replaced. */
  card_register?: number;
}

function pathOf(p: PropertyKey[]): string {
  return p.reduce<string>((acc, k) => (typeof k === "number" ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), "");
}

/** Validates the file's shape and its references (to organisations in the file or already registered). */
export async function validateRegistry(input: unknown): Promise<RegistryFile> {
  const parsed = registryFileSchema.safeParse(input);
  if (!parsed.success)
    throw new RegistryImportError(
      parsed.error.issues.flatMap((i) =>
        i.code === "unrecognized_keys"
          ? i.keys.map((k) => `${pathOf([...i.path, k])}: unknown ${i.path.length ? "field" : "section"} (INTERFACE.md §5)`)
          : [`${pathOf(i.path)}: ${i.message}`],
      ),
    );
  const file = parsed.data;
  const problems: string[] = [];
  const known = new Set([...file.organizations.map((o) => o.id), ...(await db().organization.findMany({ select: { id: true } })).map((o) => o.id)]);
  const seen = new Map<string, Set<string>>();
  const unique = (kind: string, value: string, where: string) => {
    const set = seen.get(kind) ?? seen.set(kind, new Set()).get(kind)!;
    if (set.has(value)) problems.push(`${where}: duplicate ${kind} "${value}"`);
    set.add(value);
  };
  const ref = (org: string | undefined, where: string) => {
    if (org && !known.has(org)) problems.push(`${where}: unknown organization "${org}"`);
  };
  file.organizations.forEach((o, i) => {
    unique("organization", o.id, `organizations[${i}].id`);
    ref(o.parent ?? undefined, `organizations[${i}].parent`);
    if (o.parent === o.id) problems.push(`organizations[${i}].parent: an organization cannot be its own parent`);
    if (o.business_hours && parseHhMm(o.business_hours.start) >= parseHhMm(o.business_hours.end))
      problems.push(`organizations[${i}].business_hours: start must be before end`);
  });
  file.nodes.forEach((n, i) => (unique("node", n.id, `nodes[${i}].id`), ref(n.organization, `nodes[${i}].organization`)));
  file.terminals.forEach((t, i) => (unique("terminal", t.id, `terminals[${i}].id`), ref(t.organization, `terminals[${i}].organization`)));
  file.operators.forEach((o, i) => {
    unique("operator", o.id, `operators[${i}].id`);
    ref(o.organization, `operators[${i}].organization`);
    o.cards.forEach((c, j) => unique("card", c, `operators[${i}].cards[${j}]`));
  });
  file.departments.forEach((d, i) => {
    unique("department", `${d.organization}/${d.name}`, `departments[${i}]`);
    ref(d.organization, `departments[${i}].organization`);
  });
  file.permitted_purposes.forEach((p, i) => ref(p.organization, `permitted_purposes[${i}].organization`));
  file.maintenance_windows.forEach((w, i) => {
    ref(w.organization, `maintenance_windows[${i}].organization`);
    if (Date.parse(w.start) >= Date.parse(w.end)) problems.push(`maintenance_windows[${i}]: start must be before end`);
  });
  file.after_hours_permits.forEach((p, i) => {
    ref(p.organization, `after_hours_permits[${i}].organization`);
    if (Date.parse(p.start) >= Date.parse(p.end)) problems.push(`after_hours_permits[${i}]: start must be before end`);
  });
  if (problems.length) throw new RegistryImportError(problems);
  return file;
}

/** Kinds of organisation whose admins may change the organisation tree (inside their subtree). */
const TREE_ADMIN_KINDS = new Set(["prefecture", "national"]);

/**
 * Every problem of the file with respect to the scope and the organisation
 * tree, read from the database inside the import's transaction. An
 * organisation the file creates under an organisation in scope counts as in
 * scope for the file's other sections.
 */
async function scopeProblems(tx: Prisma.TransactionClient, file: RegistryFile, scope: Scope): Promise<string[]> {
  const problems: string[] = [];
  const existing = new Map((await tx.organization.findMany({ select: { id: true, kind: true, parentId: true } })).map((o) => [o.id, o]));
  const own = scope.principal?.organizationId;
  const treeAdmin = scope.isSystem || TREE_ADMIN_KINDS.has(existing.get(own ?? "")?.kind ?? "");

  // The tree after the import: database parents overlaid with the file's.
  const parentAfter = new Map([...existing.values()].map((o) => [o.id, o.parentId]));
  for (const o of file.organizations) parentAfter.set(o.id, o.parent ?? null);
  const created = new Set(file.organizations.filter((o) => !existing.has(o.id)).map((o) => o.id));
  const inScopeAfter = (org: string, seen = new Set<string>()): boolean => {
    if (scope.includes(org)) return true;
    if (!created.has(org) || seen.has(org)) return false;
    seen.add(org);
    const parent = parentAfter.get(org);
    return !!parent && inScopeAfter(parent, seen);
  };
  const outside = (org: string) => `organisation ${org} is outside your scope`;

  file.organizations.forEach((o, i) => {
    const where = `organizations[${i}]`;
    const before = existing.get(o.id);
    const parent = o.parent ?? null;
    if (before && !scope.includes(o.id)) return void problems.push(`${where}.id: ${outside(o.id)}`);
    const treeChange = !before || before.kind !== o.kind || before.parentId !== parent;
    if (!treeChange) return;
    const what = !before ? "creating an organisation" : before.kind !== o.kind ? "changing an organisation's kind" : "changing an organisation's parent";
    if (!treeAdmin) return void problems.push(`${where}: ${what} is reserved to administrators of a prefecture or the national centre`);
    if (o.id === own) return void problems.push(`${where}: you cannot change the kind or parent of your own organisation`);
    if (!scope.isSystem) {
      if (!parent) problems.push(`${where}.parent: only the system scope (npm run registry:import) may make a top organisation`);
      else if (!inScopeAfter(parent)) problems.push(`${where}.parent: ${outside(parent)}`);
    }
  });

  // Cycles, following the tree after the import from every organisation of the file.
  file.organizations.forEach((o, i) => {
    const path = [o.id];
    for (let at = parentAfter.get(o.id); at; at = parentAfter.get(at)) {
      path.push(at);
      if (at === o.id) return void problems.push(`organizations[${i}].parent: cycle in parents: ${path.join(" → ")}`);
      if (path.length > parentAfter.size + 1) return; // a cycle above this organisation: reported from its own row
    }
  });

  const rowOrg = (section: string, i: number, org: string) => {
    if (!inScopeAfter(org)) problems.push(`${section}[${i}].organization: ${outside(org)}`);
  };
  // A row that exists must also belong to the scope now, or the import would take it from another organisation.
  const ownedNow = async (
    section: string,
    rows: { id: string; organization: string }[],
    find: (ids: string[]) => Promise<{ id: string; organizationId: string }[]>,
  ) => {
    const now = new Map((await find(rows.map((r) => r.id))).map((r) => [r.id, r.organizationId]));
    rows.forEach((r, i) => {
      rowOrg(section, i, r.organization);
      const current = now.get(r.id);
      if (current && !scope.includes(current)) problems.push(`${section}[${i}].id: "${r.id}" belongs to organisation ${current}, outside your scope`);
    });
  };
  await ownedNow("nodes", file.nodes, (ids) => tx.node.findMany({ where: { id: { in: ids } }, select: { id: true, organizationId: true } }));
  await ownedNow("terminals", file.terminals, (ids) => tx.terminal.findMany({ where: { id: { in: ids } }, select: { id: true, organizationId: true } }));
  await ownedNow("operators", file.operators, (ids) => tx.operator.findMany({ where: { id: { in: ids } }, select: { id: true, organizationId: true } }));
  const cards = await tx.icCard.findMany({
    where: { id: { in: file.operators.flatMap((o) => o.cards) } },
    select: { id: true, operator: { select: { organizationId: true } } },
  });
  const cardOrg = new Map(cards.map((c) => [c.id, c.operator.organizationId]));
  file.operators.forEach((o, i) =>
    o.cards.forEach((c, j) => {
      const current = cardOrg.get(c);
      if (current && !scope.includes(current)) problems.push(`operators[${i}].cards[${j}]: card "${c}" belongs to organisation ${current}, outside your scope`);
    }),
  );
  file.departments.forEach((d, i) => rowOrg("departments", i, d.organization));
  file.permitted_purposes.forEach((p, i) => rowOrg("permitted_purposes", i, p.organization));
  file.maintenance_windows.forEach((w, i) => rowOrg("maintenance_windows", i, w.organization));
  file.after_hours_permits.forEach((p, i) => rowOrg("after_hours_permits", i, p.organization));
  problems.push(...(await cardRegisterProblems(tx, file, scope)));
  return problems;
}

/**
 * Validates the file, checks it against the scope and the organisation tree,
 * and upserts it in one transaction: any problem rejects the whole file.
 * The CLI passes `systemScope("cli")`, the console the admin's scope.
 */
export async function importRegistry(input: unknown, scope: Scope): Promise<RegistryImportSummary> {
  return (await importRegistryChanges(input, scope)).summary;
}

/**
 * The import with what it changes per section (created / updated / unchanged);
 * with `dryRun` the same work is rolled back at the end, so nothing changes.
 */
export async function importRegistryChanges(
  input: unknown,
  scope: Scope,
  opts: { dryRun?: boolean } = {},
): Promise<{ summary: RegistryImportSummary; changes: RegistryChanges }> {
  if (!scope.isSystem && scope.principal?.role !== "admin") throw new AuthError(403, "only an administrator can import the registry");
  const file = await validateRegistry(input);
  const orgs = parentsFirst(file.organizations);
  let cards = 0;
  const { changes, count } = changeTracker();
  await db()
    .$transaction(
      async (tx) => {
        const problems = await scopeProblems(tx, file, scope);
        if (problems.length) throw new RegistryImportError(problems);
        for (const o of orgs) {
          const data = {
            name: o.name,
            kind: o.kind,
            parentId: o.parent ?? null,
            businessStart: o.business_hours?.start ?? "08:30",
            businessEnd: o.business_hours?.end ?? "17:15",
            requiredAuthMethod: o.required_auth_method ?? null,
          };
          count("organizations", await tx.organization.findUnique({ where: { id: o.id } }), data);
          await tx.organization.upsert({ where: { id: o.id }, create: { id: o.id, ...data }, update: data });
        }
        for (const n of file.nodes) {
          const data = { type: n.type, organizationId: n.organization, expectedIntervalMinutes: n.expected_interval_minutes ?? 60 };
          count("nodes", await tx.node.findUnique({ where: { id: n.id } }), data);
          await tx.node.upsert({ where: { id: n.id }, create: { id: n.id, ...data }, update: data });
        }
        for (const t of file.terminals) {
          const data = { organizationId: t.organization, ip: t.ip ?? null };
          count("terminals", await tx.terminal.findUnique({ where: { id: t.id } }), data);
          await tx.terminal.upsert({ where: { id: t.id }, create: { id: t.id, ...data }, update: data });
        }
        for (const o of file.operators) {
          const data = {
            organizationId: o.organization,
            department: o.department ?? null,
            kind: o.kind ?? "person",
            purposes: storedPurposes(o.purposes),
            requiredAuthMethod: o.required_auth_method ?? null,
          };
          count("operators", await tx.operator.findUnique({ where: { id: o.id } }), data);
          await tx.operator.upsert({ where: { id: o.id }, create: { id: o.id, ...data }, update: data });
          for (const card of o.cards) {
            count("cards", await tx.icCard.findUnique({ where: { id: card } }), { operatorId: o.id });
            await tx.icCard.upsert({ where: { id: card }, create: { id: card, operatorId: o.id }, update: { operatorId: o.id } });
            cards++;
          }
        }
        for (const d of file.departments) {
          const key = { organizationId: d.organization, name: d.name };
          const data = { purposes: storedPurposes(d.purposes) };
          count("departments", await tx.department.findUnique({ where: { organizationId_name: key } }), data);
          await tx.department.upsert({ where: { organizationId_name: key }, create: { ...key, ...data }, update: data });
        }
        // A permitted_purposes entry states the complete item set of that organisation and schedule.
        for (const p of file.permitted_purposes) {
          const stored = await tx.permittedPurpose.findMany({ where: { organizationId: p.organization, schedule: p.schedule }, select: { item: true } });
          const items = [...new Set(p.items)].sort();
          count(
            "permitted_purposes",
            stored.length
              ? {
                  items: stored
                    .map((r) => r.item)
                    .sort()
                    .join("\n"),
                }
              : null,
            { items: items.join("\n") },
          );
          await tx.permittedPurpose.deleteMany({ where: { organizationId: p.organization, schedule: p.schedule, item: { notIn: p.items } } });
          for (const item of new Set(p.items)) {
            const key = { organizationId: p.organization, schedule: p.schedule, item };
            await tx.permittedPurpose.upsert({ where: { organizationId_schedule_item: key }, create: key, update: {} });
          }
        }
        for (const w of file.maintenance_windows) {
          const key = { organizationId: w.organization, start: new Date(w.start), end: new Date(w.end) };
          count("maintenance_windows", await tx.maintenanceWindow.findUnique({ where: { organizationId_start_end: key } }), { note: w.note ?? null });
          await tx.maintenanceWindow.upsert({
            where: { organizationId_start_end: key },
            create: { ...key, note: w.note ?? null },
            update: { note: w.note ?? null },
          });
        }
        for (const p of file.after_hours_permits) {
          const key = { organizationId: p.organization, start: new Date(p.start), end: new Date(p.end), operators: operatorsKey(p.operators) };
          count("after_hours_permits", await tx.afterHoursPermit.findUnique({ where: { organizationId_start_end_operators: key } }), {
            reason: p.reason ?? null,
          });
          await upsertPermit(tx, p, "registry:import");
        }
        await writeCardRegister(tx, file);
        if (opts.dryRun) throw new DryRunRollback(changes);
      },
      { timeout: 120_000 },
    )
    .catch((e) => {
      if (!(e instanceof DryRunRollback)) throw e;
    });
  const summary = {
    organizations: orgs.length,
    nodes: file.nodes.length,
    terminals: file.terminals.length,
    operators: file.operators.length,
    cards,
    departments: file.departments.length,
    permitted_purposes: file.permitted_purposes.reduce((n, p) => n + new Set(p.items).size, 0),
    maintenance_windows: file.maintenance_windows.length,
    after_hours_permits: file.after_hours_permits.length,
    ...(file.card_register.length ? { card_register: file.card_register.length } : {}),
  };
  return { summary, changes };
}

// ---- Extension (issue 17): the IC card register section ----

/** Organisation of each card of the register section (the file's operators first, then the registry); problems for the rest. */
async function cardRegisterProblems(tx: Prisma.TransactionClient, file: RegistryFile, scope: Scope): Promise<string[]> {
  if (!file.card_register.length) return [];
  const problems: string[] = [];
  const owner = new Map<string, { operator: string; organization: string }>();
  const stored = await tx.icCard.findMany({
    where: { id: { in: file.card_register.map((c) => c.card) } },
    select: { id: true, operatorId: true, operator: { select: { organizationId: true } } },
  });
  for (const c of stored) owner.set(c.id, { operator: c.operatorId, organization: c.operator.organizationId });
  for (const o of file.operators) for (const c of o.cards) owner.set(c, { operator: o.id, organization: o.organization });
  const operatorOrg = new Map(
    (
      await tx.operator.findMany({
        where: { id: { in: file.card_register.flatMap((c) => c.loans.map((l) => l.operator)) } },
        select: { id: true, organizationId: true },
      })
    ).map((o) => [o.id, o.organizationId]),
  );
  for (const o of file.operators) operatorOrg.set(o.id, o.organization);
  file.card_register.forEach((c, i) => {
    const where = `card_register[${i}]`;
    const own = owner.get(c.card);
    if (!own) return void problems.push(`${where}.card: "${c.card}" is not a registered card (list it under an operator's cards)`);
    if (!scope.includes(own.organization))
      return void problems.push(`${where}.card: "${c.card}" belongs to organisation ${own.organization}, outside your scope`);
    c.loans.forEach((l, j) => {
      if (operatorOrg.get(l.operator) !== own.organization)
        problems.push(`${where}.loans[${j}].operator: "${l.operator}" is not an operator of ${own.organization}`);
      if (l.returned_at && Date.parse(l.returned_at) < Date.parse(l.lent_at)) problems.push(`${where}.loans[${j}]: returned_at before lent_at`);
    });
  });
  return problems;
}

/** Replaces the register entry (and loans) of each card listed; the scope was checked by cardRegisterProblems. */
async function writeCardRegister(tx: Prisma.TransactionClient, file: RegistryFile): Promise<void> {
  const midnight = (key: string | null | undefined) => (key ? new Date(`${key}T00:00:00+09:00`) : null);
  for (const c of file.card_register) {
    const card = await tx.icCard.findUniqueOrThrow({ where: { id: c.card }, select: { operator: { select: { organizationId: true } } } });
    const data = {
      organizationId: card.operator.organizationId,
      issuedOn: midnight(c.issued_on),
      expiresOn: midnight(c.expires_on),
      lostAt: c.lost_at ? new Date(c.lost_at) : null,
      revokedAt: c.revoked_at ? new Date(c.revoked_at) : null,
      revokedBy: c.revoked_by ?? null,
      status: c.revoked_at ? "revoked" : c.lost_at ? "lost" : "active",
      note: c.note ?? null,
    };
    const rec = await tx.cardRecord.upsert({ where: { cardId: c.card }, create: { cardId: c.card, ...data }, update: data });
    await tx.cardLoan.deleteMany({ where: { recordId: rec.id } });
    for (const l of c.loans)
      await tx.cardLoan.create({
        data: {
          recordId: rec.id,
          organizationId: rec.organizationId,
          operatorId: l.operator,
          lentAt: new Date(l.lent_at),
          lentBy: l.lent_by,
          dueOn: midnight(l.due_on),
          returnedAt: l.returned_at ? new Date(l.returned_at) : null,
          receivedBy: l.received_by ?? null,
        },
      });
  }
}

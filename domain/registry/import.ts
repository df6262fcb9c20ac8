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
import { z } from "zod";
import { db } from "../../lib/db";
import { AuthError } from "../../lib/auth/principal";
import type { Scope } from "../../lib/auth/scope";
import type { Prisma } from "../../lib/generated/prisma/client";
import { isValidOrgCode } from "../../lib/orgcode";
import { parseHhMm } from "../../lib/calendar";
import { OBSERVER_TYPES, PURPOSE_SCHEDULES } from "../ingest/event";
import { upsertPermit } from "./permits";

const orgCode = z.string().refine(isValidOrgCode, { message: "expected a 6-digit local government code with a valid check digit" });
const hhmm = z.string().refine(
  (s) => {
    try {
      parseHhMm(s);
      return true;
    } catch {
      return false;
    }
  },
  { message: "expected HH:MM" },
);
const id = z.string().trim().min(1).max(128);
const isoWithOffset = z.string().refine((s) => /(Z|[+-]\d{2}:?\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)), {
  message: "expected an ISO 8601 date-time with offset",
});

/** An optional section or list: absent or null means empty (§5: every section is optional). */
const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v): z.output<T>[] => v ?? []);

/** §5 `required_auth_method` on an organisation or an operator; absent or null = none required. */
export const REQUIRED_AUTH_METHODS = ["biometric", "ic_card_biometric"] as const;
const requiredAuthMethod = z.enum(REQUIRED_AUTH_METHODS).nullish();

/**
 * §5 `purposes` of an operator or a department: the complete set it is
 * assigned inside the organisation's `permitted_purposes`. Absent or null =
 * everything the organisation may use (kept as null), `[]` = nothing.
 */
const purposes = z.array(z.object({ schedule: z.enum(PURPOSE_SCHEDULES), items: z.array(id).min(1) })).nullish();
export type PurposeSet = { schedule: string; items: string[] }[];

/** One entry per schedule, schedules and items sorted and deduplicated: the stored form (JSON), so a re-import is a no-op. */
export function normalizePurposes(set: PurposeSet | null | undefined): PurposeSet | null {
  if (set == null) return null;
  const bySchedule = new Map<string, Set<string>>();
  for (const p of set) for (const item of p.items) (bySchedule.get(p.schedule) ?? bySchedule.set(p.schedule, new Set()).get(p.schedule)!).add(item);
  return [...bySchedule.keys()].sort().map((schedule) => ({ schedule, items: [...bySchedule.get(schedule)!].sort() }));
}
const storedPurposes = (set: PurposeSet | null | undefined): string | null => {
  const n = normalizePurposes(set);
  return n === null ? null : JSON.stringify(n);
};

/** Reads a stored purposes column back (null = everything the organisation may use). */
export function parseStoredPurposes(stored: string | null): PurposeSet | null {
  return stored === null ? null : (JSON.parse(stored) as PurposeSet);
}

// Every optional field may be absent or null; null means absent.
export const registryFileSchema = z
  .object({
    organizations: list(
      z.object({
        id: orgCode,
        name: z.string().min(1),
        kind: z.enum(["national", "prefecture", "municipality", "agency"]),
        // Absent or null: the top organisation of the deployment (§5).
        parent: orgCode.nullish(),
        business_hours: z.object({ start: hhmm, end: hhmm }).nullish(),
        required_auth_method: requiredAuthMethod,
      }),
    ),
    nodes: list(z.object({ id, type: z.enum(OBSERVER_TYPES), organization: orgCode, expected_interval_minutes: z.number().int().positive().nullish() })),
    terminals: list(z.object({ id, organization: orgCode, ip: z.ipv4().or(z.ipv6()).nullish() })),
    operators: list(
      z.object({
        id,
        organization: orgCode,
        department: z.string().nullish(),
        cards: list(id),
        // Extension: "system" marks batch/interface accounts (no person at a terminal).
        kind: z.enum(["person", "system"]).nullish(),
        purposes,
        required_auth_method: requiredAuthMethod,
      }),
    ),
    // A department is identified by organisation + name; operators belong to it by their `department`.
    departments: list(z.object({ organization: orgCode, name: z.string().min(1).max(200), purposes })),
    permitted_purposes: list(z.object({ organization: orgCode, schedule: z.enum(PURPOSE_SCHEDULES), items: z.array(id).min(1) })),
    maintenance_windows: list(z.object({ organization: orgCode, start: isoWithOffset, end: isoWithOffset, note: z.string().nullish() })),
    // §5: approved after-hours work; `operators` absent, null or empty = every operator of the organisation.
    after_hours_permits: list(
      z.object({
        organization: orgCode,
        operators: z.array(id).nullish(),
        start: isoWithOffset,
        end: isoWithOffset,
        reason: z.string().max(500).nullish(),
      }),
    ),
  })
  // Unknown top-level sections are refused (a misspelt section such as
  // "organisations" would otherwise import nothing, silently); unknown fields
  // inside a row are ignored (zod's default strip), as §1 does for events.
  // §5 says nothing either way about the registry: this is our choice, and the
  // error names the key as its path.
  .strict();

export type RegistryFile = z.infer<typeof registryFileSchema>;

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

/** Orders organisations so that every parent in the file comes before its children (cycles are reported by scopeProblems). */
function parentsFirst(orgs: RegistryFile["organizations"]): RegistryFile["organizations"] {
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const out: RegistryFile["organizations"] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (o: RegistryFile["organizations"][number]) => {
    if (state.get(o.id)) return;
    state.set(o.id, "visiting");
    const parent = o.parent ? byId.get(o.parent) : undefined;
    if (parent) visit(parent);
    state.set(o.id, "done");
    out.push(o);
  };
  orgs.forEach(visit);
  return out;
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
  return problems;
}

/**
 * Validates the file, checks it against the scope and the organisation tree,
 * and upserts it in one transaction: any problem rejects the whole file.
 * The CLI passes `systemScope("cli")`, the console the admin's scope.
 */
export async function importRegistry(input: unknown, scope: Scope): Promise<RegistryImportSummary> {
  if (!scope.isSystem && scope.principal?.role !== "admin") throw new AuthError(403, "only an administrator can import the registry");
  const file = await validateRegistry(input);
  const orgs = parentsFirst(file.organizations);
  let cards = 0;
  await db().$transaction(
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
        await tx.organization.upsert({ where: { id: o.id }, create: { id: o.id, ...data }, update: data });
      }
      for (const n of file.nodes) {
        const data = { type: n.type, organizationId: n.organization, expectedIntervalMinutes: n.expected_interval_minutes ?? 60 };
        await tx.node.upsert({ where: { id: n.id }, create: { id: n.id, ...data }, update: data });
      }
      for (const t of file.terminals) {
        const data = { organizationId: t.organization, ip: t.ip ?? null };
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
        await tx.operator.upsert({ where: { id: o.id }, create: { id: o.id, ...data }, update: data });
        for (const card of o.cards) {
          await tx.icCard.upsert({ where: { id: card }, create: { id: card, operatorId: o.id }, update: { operatorId: o.id } });
          cards++;
        }
      }
      for (const d of file.departments) {
        const key = { organizationId: d.organization, name: d.name };
        const data = { purposes: storedPurposes(d.purposes) };
        await tx.department.upsert({ where: { organizationId_name: key }, create: { ...key, ...data }, update: data });
      }
      // A permitted_purposes entry states the complete item set of that organisation and schedule.
      for (const p of file.permitted_purposes) {
        await tx.permittedPurpose.deleteMany({ where: { organizationId: p.organization, schedule: p.schedule, item: { notIn: p.items } } });
        for (const item of new Set(p.items)) {
          const key = { organizationId: p.organization, schedule: p.schedule, item };
          await tx.permittedPurpose.upsert({ where: { organizationId_schedule_item: key }, create: key, update: {} });
        }
      }
      for (const w of file.maintenance_windows) {
        const key = { organizationId: w.organization, start: new Date(w.start), end: new Date(w.end) };
        await tx.maintenanceWindow.upsert({
          where: { organizationId_start_end: key },
          create: { ...key, note: w.note ?? null },
          update: { note: w.note ?? null },
        });
      }
      for (const p of file.after_hours_permits) await upsertPermit(tx, p, "registry:import");
    },
    { timeout: 120_000 },
  );
  return {
    organizations: orgs.length,
    nodes: file.nodes.length,
    terminals: file.terminals.length,
    operators: file.operators.length,
    cards,
    departments: file.departments.length,
    permitted_purposes: file.permitted_purposes.reduce((n, p) => n + new Set(p.items).size, 0),
    maintenance_windows: file.maintenance_windows.length,
    after_hours_permits: file.after_hours_permits.length,
  };
}

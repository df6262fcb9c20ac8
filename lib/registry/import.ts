/**
 * Registry import (INTERFACE.md §5): organisations, nodes, terminals,
 * operators and their IC cards, permitted purposes, maintenance windows.
 * Idempotent upsert in one transaction; a bad file changes nothing and every
 * problem is reported with its JSON path.
 */
import { z } from "zod";
import { db } from "../db";
import { isValidOrgCode } from "../orgcode";
import { parseHhMm } from "../calendar";
import { OBSERVER_TYPES, PURPOSE_SCHEDULES } from "../ingest/event";

const orgCode = z.string().refine(isValidOrgCode, { message: "expected a 6-digit local government code with a valid check digit" });
const hhmm = z.string().refine((s) => { try { parseHhMm(s); return true; } catch { return false; } }, { message: "expected HH:MM" });
const id = z.string().trim().min(1).max(128);
const isoWithOffset = z.string().refine((s) => /(Z|[+-]\d{2}:?\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)), {
  message: "expected an ISO 8601 date-time with offset",
});

export const registryFileSchema = z
  .object({
    organizations: z
      .array(
        z.object({
          id: orgCode,
          name: z.string().min(1),
          kind: z.enum(["national", "prefecture", "municipality", "agency"]),
          parent: orgCode.optional(),
          business_hours: z.object({ start: hhmm, end: hhmm }).optional(),
        }),
      )
      .default([]),
    nodes: z
      .array(z.object({ id, type: z.enum(OBSERVER_TYPES), organization: orgCode, expected_interval_minutes: z.number().int().positive().optional() }))
      .default([]),
    terminals: z.array(z.object({ id, organization: orgCode, ip: z.ipv4().or(z.ipv6()).optional() })).default([]),
    operators: z
      .array(
        z.object({
          id,
          organization: orgCode,
          department: z.string().optional(),
          cards: z.array(id).default([]),
          // Extension: "system" marks batch/interface accounts (no person at a terminal).
          kind: z.enum(["person", "system"]).optional(),
        }),
      )
      .default([]),
    permitted_purposes: z
      .array(z.object({ organization: orgCode, schedule: z.enum(PURPOSE_SCHEDULES), items: z.array(id).min(1) }))
      .default([]),
    maintenance_windows: z
      .array(z.object({ organization: orgCode, start: isoWithOffset, end: isoWithOffset, note: z.string().optional() }))
      .default([]),
  })
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
  permitted_purposes: number;
  maintenance_windows: number;
}

function pathOf(p: PropertyKey[]): string {
  return p.reduce<string>((acc, k) => (typeof k === "number" ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), "");
}

/** Validates the file's shape and its references (to organisations in the file or already registered). */
export async function validateRegistry(input: unknown): Promise<RegistryFile> {
  const parsed = registryFileSchema.safeParse(input);
  if (!parsed.success) throw new RegistryImportError(parsed.error.issues.map((i) => `${pathOf(i.path)}: ${i.message}`));
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
    ref(o.parent, `organizations[${i}].parent`);
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
  file.permitted_purposes.forEach((p, i) => ref(p.organization, `permitted_purposes[${i}].organization`));
  file.maintenance_windows.forEach((w, i) => {
    ref(w.organization, `maintenance_windows[${i}].organization`);
    if (Date.parse(w.start) >= Date.parse(w.end)) problems.push(`maintenance_windows[${i}]: start must be before end`);
  });
  if (problems.length) throw new RegistryImportError(problems);
  return file;
}

/** Orders organisations so that every parent in the file comes before its children. */
function parentsFirst(orgs: RegistryFile["organizations"]): RegistryFile["organizations"] {
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const out: RegistryFile["organizations"] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (o: RegistryFile["organizations"][number]) => {
    if (state.get(o.id) === "done") return;
    if (state.get(o.id) === "visiting") throw new RegistryImportError([`organizations: cycle in parents at "${o.id}"`]);
    state.set(o.id, "visiting");
    const parent = o.parent ? byId.get(o.parent) : undefined;
    if (parent) visit(parent);
    state.set(o.id, "done");
    out.push(o);
  };
  orgs.forEach(visit);
  return out;
}

export async function importRegistry(input: unknown): Promise<RegistryImportSummary> {
  const file = await validateRegistry(input);
  const orgs = parentsFirst(file.organizations);
  let cards = 0;
  await db().$transaction(async (tx) => {
    for (const o of orgs) {
      const data = {
        name: o.name,
        kind: o.kind,
        parentId: o.parent ?? null,
        businessStart: o.business_hours?.start ?? "08:30",
        businessEnd: o.business_hours?.end ?? "17:15",
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
      const data = { organizationId: o.organization, department: o.department ?? null, kind: o.kind ?? "person" };
      await tx.operator.upsert({ where: { id: o.id }, create: { id: o.id, ...data }, update: data });
      for (const card of o.cards) {
        await tx.icCard.upsert({ where: { id: card }, create: { id: card, operatorId: o.id }, update: { operatorId: o.id } });
        cards++;
      }
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
  }, { timeout: 120_000 });
  return {
    organizations: orgs.length,
    nodes: file.nodes.length,
    terminals: file.terminals.length,
    operators: file.operators.length,
    cards,
    permitted_purposes: file.permitted_purposes.reduce((n, p) => n + new Set(p.items).size, 0),
    maintenance_windows: file.maintenance_windows.length,
  };
}

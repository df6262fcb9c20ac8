/**
 * Self-inspection checklist templates (自己点検票): one versioned JSON data file
 * per fiscal year under domain/checklist/templates/, validated by this schema.
 * Item ids are stable across years so that answers carry over and year-over-
 * year comparisons line up; a changed question keeps its id, a new one gets a
 * new id, a dropped one is listed in `changes.removed`.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { REPO_ROOT } from "../../lib/paths";

export const ANSWERS = ["implemented", "partial", "not_implemented", "not_applicable"] as const;
export type Answer = (typeof ANSWERS)[number];

/**
 * Figures the logs can give for an item (see suggestions.ts). Each is counted
 * for the municipality over the fiscal year.
 */
export const SIGNALS = [
  "after_hours_operations",
  "auth_failures",
  "card_locks",
  "biometric_logins",
  "unregistered_terminal_alerts",
  "maintenance_window_updates",
  "broad_queries",
  "bulk_exports",
  "provisions",
  "open_alerts",
  // The three checks of the monthly log review (LOG-01): authentication ids, use after hours (after_hours_operations), authority.
  "id_checks",
  "authority_checks",
  "incidents",
  "exercises",
  // Periodic log review (domain/reviews): periods reviewed of those due in the year, and reviews with findings needing action.
  "log_reviews",
  "log_review_findings",
  // Registers (issue 17): the equipment register and the IC card register (figures from domain/registers FIGURE_SOURCES).
  "equipment_in_service",
  "equipment_past_maintenance",
  "equipment_renewal_due",
  "equipment_disposed",
  "cards_lent",
  "cards_unreturned",
  "cards_revoked",
  "cards_misused",
  // Registers (issue 17), training and drills (domain/registers/training.ts): sessions held, operators trained out of operators, drills held.
  "training_sessions",
  "new_operator_trainings",
  "operators_trained",
  "drills",
  "disconnection_drills",
] as const;
export type Signal = (typeof SIGNALS)[number];

const jp = z
  .string()
  .min(1)
  .regex(/[\u3040-\u30ff\u4e00-\u9fff]/, "must be Japanese text");

const itemSchema = z
  .object({
    id: z.string().regex(/^[A-Z]{3}-\d{2}$/, "item ids look like ORG-01"),
    text: jp,
    guidance: jp,
    evidence: z.array(jp).min(1),
    /** Legal or technical controls the item checks (e.g. セキュリティ基準 第4-2). */
    controls: z.array(z.string().min(1)).default([]),
    /** Detector rules whose alerts speak to the item. */
    rules: z.array(z.string().regex(/^[a-z]+(-[a-z]+)*$/)).default([]),
    signals: z.array(z.enum(SIGNALS)).default([]),
    /** 該当なし is only offered where an organisation may truly not have the thing. */
    allowNotApplicable: z.boolean().default(false),
  })
  .strict();

const sectionSchema = z
  .object({
    id: z.string().regex(/^[A-Z]{3}$/),
    title: jp,
    items: z.array(itemSchema).min(1),
  })
  .strict();

export const templateSchema = z
  .object({
    version: z.string().regex(/^fy\d{4}$/),
    fiscalYear: z.number().int().min(2002),
    title: jp,
    /** Where the questions come from (seed documents, standards). */
    sources: z.array(z.string().min(1)).min(1),
    /** Differences from the previous year's template. */
    changes: z
      .object({ previous: z.string().regex(/^fy\d{4}$/), added: z.array(z.string()), removed: z.array(z.string()), reworded: z.array(z.string()) })
      .strict()
      .optional(),
    sections: z.array(sectionSchema).min(1),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.version !== `fy${t.fiscalYear}`) ctx.addIssue({ code: "custom", path: ["version"], message: `version must be fy${t.fiscalYear}` });
    const seen = new Set<string>();
    t.sections.forEach((s, si) => {
      if (seen.has(s.id)) ctx.addIssue({ code: "custom", path: ["sections", si, "id"], message: `duplicate section id ${s.id}` });
      seen.add(s.id);
      s.items.forEach((it, ii) => {
        if (seen.has(it.id)) ctx.addIssue({ code: "custom", path: ["sections", si, "items", ii, "id"], message: `duplicate item id ${it.id}` });
        if (!it.id.startsWith(`${s.id}-`))
          ctx.addIssue({ code: "custom", path: ["sections", si, "items", ii, "id"], message: `item ${it.id} must start with its section id ${s.id}` });
        seen.add(it.id);
      });
    });
  });

export type ChecklistTemplate = z.infer<typeof templateSchema>;
export type ChecklistSection = ChecklistTemplate["sections"][number];
export type ChecklistItem = ChecklistSection["items"][number];

export const TEMPLATE_DIR = path.join(REPO_ROOT, "domain", "checklist", "templates");

/** Versions available on disk, oldest first. */
export function templateVersions(): string[] {
  return fs
    .readdirSync(TEMPLATE_DIR)
    .filter((f) => /^fy\d{4}\.json$/.test(f))
    .map((f) => f.replace(/\.json$/, ""))
    .sort();
}

const cache = new Map<string, ChecklistTemplate>();

/** Loads and validates one template; errors name the file and the path inside it. */
export function loadTemplate(version: string): ChecklistTemplate {
  const hit = cache.get(version);
  if (hit) return hit;
  if (!/^fy\d{4}$/.test(version)) throw new Error(`bad template version "${version}"`);
  const file = path.join(TEMPLATE_DIR, `${version}.json`);
  if (!fs.existsSync(file)) throw new Error(`no checklist template ${version} (${file})`);
  const parsed = templateSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`${path.basename(file)}: ${first.path.join(".")}: ${first.message}`);
  }
  cache.set(version, parsed.data);
  return parsed.data;
}

/** The template for a fiscal year: its own, else the latest earlier one. */
export function templateForYear(fiscalYear: number): ChecklistTemplate {
  const candidates = templateVersions().filter((v) => Number(v.slice(2)) <= fiscalYear);
  if (!candidates.length) throw new Error(`no checklist template for fiscal year ${fiscalYear}`);
  return loadTemplate(candidates[candidates.length - 1]);
}

export const allItems = (t: ChecklistTemplate): ChecklistItem[] => t.sections.flatMap((s) => s.items);

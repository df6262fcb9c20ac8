// Reference data of the legal purposes (利用事務) for which Juki-net identity
// records may be used or provided: schedules 別表第1–第6, prefectural
// ordinance duties, Basic Resident Register Act duties, plus the optional
// consent and statistics categories. The data lives in data/purposes.json and
// is validated with zod when this module is loaded, so a broken data file
// fails loudly with the path of the offending entry.
import { z } from "zod";
import data from "../../data/purposes.json" with { type: "json" };

/** Schedule ids every purposes file must contain. */
export const SCHEDULE_IDS = ["1", "2", "3", "4", "5", "6", "ordinance", "jukiho"] as const;
/** Schedule ids the access-event contract also allows (本人同意, 統計資料の作成). */
export const OPTIONAL_SCHEDULE_IDS = ["consent", "statistics"] as const;
/** Every value allowed in `jukinet.purpose.schedule`. */
export const ALL_SCHEDULE_IDS = [...SCHEDULE_IDS, ...OPTIONAL_SCHEDULE_IDS] as const;

export type RequiredScheduleId = (typeof SCHEDULE_IDS)[number];
export type ScheduleId = (typeof ALL_SCHEDULE_IDS)[number];

const kebabId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be an ASCII kebab-case id");
const count = z.number().int().nonnegative();

const recipientSchema = z.object({
  id: kebabId,
  name: z.string().min(1),
  kind: z.enum(["national", "prefecture", "municipality", "agency"]),
  note: z.string().optional(),
});

const itemSchema = z.object({
  id: z.string().regex(/^[a-z0-9]+-[1-9][0-9]*$/, "must look like <schedule>-<n>"),
  name: z.string().min(1),
  recipient: kebabId,
  /** Yearly provisions/uses nationally, as given by the seed (see schedule count_fiscal_year). */
  annual_count: count.optional(),
  /** True when the seed printed the count as 約… (rounded). */
  count_approx: z.boolean().optional(),
  /** Legal basis (根拠法). */
  law: z.string().optional(),
  /** Free text; exactly "illustrative" marks an item not named in the seeds. */
  note: z.string().optional(),
});

const usageSchema = z.object({
  fiscal_year: z.string(),
  count: count,
  items_used: count.optional(),
  note: z.string().optional(),
});

const scheduleSchema = z.object({
  id: z.enum(ALL_SCHEDULE_IDS),
  name: z.string().min(1),
  description: z.string().min(1),
  legal_basis: z.string().optional(),
  /** Number of 事務 in law (or in the demo prefecture's ordinance). */
  total_items: count.optional(),
  total_items_note: z.string().optional(),
  annual_total: count.optional(),
  count_fiscal_year: z.string().optional(),
  count_scope: z.string().optional(),
  /** Usage by the demo prefecture (山口県), seed 003. */
  demo_prefecture_usage: usageSchema.optional(),
  note: z.string().optional(),
  items: z.array(itemSchema),
});

const monthlyProvisionSchema = z.object({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be YYYY-MM"),
  item: z.string(),
  recipient: kebabId,
  immediate: count,
  media: count,
  online_batch: count,
});

const purposesSchema = z
  .object({
    version: z.string().min(1),
    sources: z.array(z.string()).min(1),
    notes: z.array(z.string()).optional(),
    recipients: z.array(recipientSchema).min(1),
    schedules: z.array(scheduleSchema),
    monthly_provisions_note: z.record(z.string(), z.unknown()).optional(),
    monthly_provisions: z.array(monthlyProvisionSchema).optional(),
  })
  .superRefine((file, ctx) => {
    const recipientIds = new Set<string>();
    file.recipients.forEach((r, i) => {
      if (recipientIds.has(r.id)) {
        ctx.addIssue({ code: "custom", message: `duplicate recipient id "${r.id}"`, path: ["recipients", i, "id"] });
      }
      recipientIds.add(r.id);
    });

    const scheduleIds = new Set<string>();
    const itemIds = new Map<string, string>(); // item id -> recipient
    file.schedules.forEach((s, si) => {
      if (scheduleIds.has(s.id)) {
        ctx.addIssue({ code: "custom", message: `duplicate schedule id "${s.id}"`, path: ["schedules", si, "id"] });
      }
      scheduleIds.add(s.id);
      s.items.forEach((item, ii) => {
        const at = ["schedules", si, "items", ii];
        if (!item.id.startsWith(`${s.id}-`)) {
          ctx.addIssue({ code: "custom", message: `item id "${item.id}" must start with "${s.id}-"`, path: [...at, "id"] });
        }
        if (itemIds.has(item.id)) {
          ctx.addIssue({ code: "custom", message: `duplicate item id "${item.id}"`, path: [...at, "id"] });
        }
        itemIds.set(item.id, item.recipient);
        if (!recipientIds.has(item.recipient)) {
          ctx.addIssue({ code: "custom", message: `unknown recipient "${item.recipient}"`, path: [...at, "recipient"] });
        }
      });
    });
    for (const id of SCHEDULE_IDS) {
      if (!scheduleIds.has(id)) {
        ctx.addIssue({ code: "custom", message: `missing required schedule "${id}"`, path: ["schedules"] });
      }
    }

    file.monthly_provisions?.forEach((row, i) => {
      const recipient = itemIds.get(row.item);
      if (recipient === undefined) {
        ctx.addIssue({ code: "custom", message: `unknown item "${row.item}"`, path: ["monthly_provisions", i, "item"] });
      } else if (recipient !== row.recipient) {
        ctx.addIssue({
          code: "custom",
          message: `recipient "${row.recipient}" differs from item ${row.item}'s recipient "${recipient}"`,
          path: ["monthly_provisions", i, "recipient"],
        });
      }
    });
  });

export type Recipient = z.infer<typeof recipientSchema>;
export type PurposeItem = z.infer<typeof itemSchema>;
export type PurposeSchedule = z.infer<typeof scheduleSchema>;
export type MonthlyProvision = z.infer<typeof monthlyProvisionSchema>;
export type Purposes = z.infer<typeof purposesSchema>;

/**
 * Validate raw purposes data. Throws an Error naming the source and every
 * invalid entry with its path (e.g. `schedules[4].items[2].recipient`).
 */
export function parsePurposes(raw: unknown, source = "data/purposes.json"): Purposes {
  const result = purposesSchema.safeParse(raw);
  if (!result.success) {
    throw new Error(`Invalid purposes reference data (${source}):\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/** The parsed and validated contents of data/purposes.json. */
export const purposes: Purposes = parsePurposes(data);

const scheduleById = new Map(purposes.schedules.map((s) => [s.id, s] as const));
const itemsBySchedule = new Map(purposes.schedules.map((s) => [s.id, new Map(s.items.map((i) => [i.id, i] as const))] as const));
const recipientsById = new Map(purposes.recipients.map((r) => [r.id, r] as const));

/** The schedule with that id ("1"…"6", "ordinance", "jukiho", "consent", "statistics"). */
export function findSchedule(id: string): PurposeSchedule | undefined {
  return scheduleById.get(id as ScheduleId);
}

/** The item `item` (e.g. "5-12") of schedule `schedule` (e.g. "5"), if it exists. */
export function findPurposeItem(schedule: string, item: string): PurposeItem | undefined {
  return itemsBySchedule.get(schedule as ScheduleId)?.get(item);
}

/** The recipient (提供先) with that id, if it exists. */
export function recipientById(id: string): Recipient | undefined {
  return recipientsById.get(id);
}

/** True when `id` is a value allowed in `jukinet.purpose.schedule`. */
export function isScheduleId(id: string): id is ScheduleId {
  return (ALL_SCHEDULE_IDS as readonly string[]).includes(id);
}

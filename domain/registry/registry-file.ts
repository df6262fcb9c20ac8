/**
 * The registry file (INTERFACE.md §5): its schema, and the stored form of
 * purpose sets. Imported by domain/registry/import.ts, which re-exports it.
 */
import { z } from "zod";
import { isValidOrgCode } from "../../lib/orgcode";
import { parseHhMm } from "../../lib/calendar";
import { OBSERVER_TYPES, PURPOSE_SCHEDULES } from "../ingest/event";

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

const dateKey = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date YYYY-MM-DD");

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
export const storedPurposes = (set: PurposeSet | null | undefined): string | null => {
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
    // Extension (issue 17): the IC card register (管理簿) of registered cards — expiry, loss, revocation and every
    // lending and return. Each entry replaces the card's register (its loans included); the detector
    // card-register-mismatch reads it as registry facts.
    card_register: list(
      z.object({
        card: id,
        issued_on: dateKey.nullish(),
        expires_on: dateKey.nullish(),
        lost_at: isoWithOffset.nullish(),
        revoked_at: isoWithOffset.nullish(),
        revoked_by: z.string().min(1).max(200).nullish(),
        note: z.string().max(500).nullish(),
        loans: list(
          z.object({
            operator: id,
            lent_at: isoWithOffset,
            lent_by: z.string().min(1).max(200),
            due_on: dateKey.nullish(),
            returned_at: isoWithOffset.nullish(),
            received_by: z.string().min(1).max(200).nullish(),
          }),
        ),
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

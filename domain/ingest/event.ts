/**
 * The access-event contract (INTERFACE.md §1) as a zod schema, and the
 * transformation of a valid event into the stored document: resident codes
 * replaced by keyed pseudonyms, JST time fields derived, unknown fields dropped.
 */
import { isIP } from "node:net";
import { z } from "zod";
import { isBusinessDay, jstParts } from "../../lib/calendar";
import { isValidOrgCode } from "../../lib/orgcode";
import { individualNumberRef, residentBlockRef, residentRef } from "./pseudonym";

export const EVENT_ACTIONS = [
  "login",
  "logout",
  "auth_failure",
  "card_locked",
  "card_unlocked",
  "search",
  "view",
  "update",
  "provide",
  "batch_provide",
  "notify",
  "export",
  "print",
  "code_change",
] as const;
export const OBSERVER_TYPES = ["national_center", "prefectural_server", "municipal_cs", "terminal", "ids_sensor"] as const;
export const AUTH_METHODS = ["ic_card_password", "biometric", "ic_card_biometric"] as const;
export const QUERY_KINDS = ["resident_code", "individual_number", "four_info", "name_birthdate", "name_only", "address_only"] as const;
export const PURPOSE_SCHEDULES = ["1", "2", "3", "4", "5", "6", "ordinance", "jukiho", "consent", "statistics"] as const;
export const CHANNELS = ["immediate", "online_batch", "media"] as const;

export type EventAction = (typeof EVENT_ACTIONS)[number];

/**
 * Actions only a person does, which need `user.id` (INTERFACE.md §1).
 * `update`, `provide`, `batch_provide`, `notify` and `code_change` may come
 * from a system without an operator (the resident-records system, a nightly
 * batch): valid, stored, and treated as system activity.
 */
export const PERSON_ACTIONS: ReadonlySet<EventAction> = new Set<EventAction>(["login", "logout", "search", "view", "export", "print"]);
const CARD_ACTIONS = new Set<EventAction>(["auth_failure", "card_locked", "card_unlocked"]);
const PURPOSE_ACTIONS = new Set<EventAction>(["search", "view", "provide", "batch_provide"]);
const PROVISION_ACTIONS = new Set<EventAction>(["provide", "batch_provide"]);

const id = (max = 128) => z.string().trim().min(1, "must not be empty").max(max, `longer than ${max} characters`);

// ISO 8601 with an explicit offset (Z or ±hh:mm / ±hhmm), as the contract requires.
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const timestamp = z.string().refine((s) => ISO_WITH_OFFSET.test(s) && !Number.isNaN(Date.parse(s)), {
  message: "expected an ISO 8601 date-time with offset, e.g. 2026-04-01T09:15:02.123+09:00",
});

const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: (iss) => `invalid value ${JSON.stringify(iss.input)} (expected one of ${values.join(", ")})` });

export const accessEventSchema = z
  .object({
    "@timestamp": timestamp,
    event: z.object({ id: id(), action: oneOf(EVENT_ACTIONS), outcome: oneOf(["success", "failure", "unknown"]) }),
    observer: z.object({ id: id(), type: oneOf(OBSERVER_TYPES) }),
    organization: z.object({
      id: z.string().refine(isValidOrgCode, { message: "expected a 6-digit local government code with a valid check digit" }),
    }),
    user: z.object({ id: id() }).optional(),
    host: z.object({ id: id() }).optional(),
    source: z.object({ ip: z.string().refine((s) => isIP(s) !== 0, { message: "expected an IPv4 or IPv6 address" }) }).optional(),
    jukinet: z
      .object({
        auth: z.object({ method: oneOf(AUTH_METHODS).optional(), card_id: id().optional() }).optional(),
        query: z
          .object({
            kind: oneOf(QUERY_KINDS),
            wildcard: z.boolean().default(false),
            result_count: z.number().int().min(0).optional(),
          })
          .optional(),
        subject: z
          .object({
            resident_code: z
              .string()
              .regex(/^\d{11}$/, "expected 11 digits")
              .optional(),
            individual_number: z
              .string()
              .regex(/^\d{12}$/, "expected 12 digits")
              .optional(),
            previous_resident_code: z
              .string()
              .regex(/^\d{11}$/, "expected 11 digits")
              .optional(),
          })
          .optional(),
        purpose: z.object({ schedule: oneOf(PURPOSE_SCHEDULES), item: id() }).optional(),
        recipient: z.object({ id: id(), name: z.string().max(200).optional() }).optional(),
        channel: oneOf(CHANNELS).optional(),
        record_count: z.number().int().min(0).optional(),
        batch: z.object({ id: id() }).optional(),
        change: z.object({ reason: id(64), source_system: z.string().max(200).optional() }).optional(),
      })
      .default({}),
  })
  .superRefine((e, ctx) => {
    const action = e.event.action;
    const need = (cond: unknown, path: string, message: string) => {
      if (!cond) ctx.addIssue({ code: "custom", path: path.split("."), message });
    };
    need(!PERSON_ACTIONS.has(action) || e.user, "user.id", `required for "${action}"`);
    need(!CARD_ACTIONS.has(action) || e.user || e.jukinet.auth?.card_id, "jukinet.auth.card_id", `required (or user.id) for "${action}"`);
    need(action !== "search" || e.jukinet.query, "jukinet.query.kind", `required for "search"`);
    need(!PURPOSE_ACTIONS.has(action) || e.jukinet.purpose, "jukinet.purpose.schedule", `required for "${action}"`);
    need(!PROVISION_ACTIONS.has(action) || e.jukinet.recipient, "jukinet.recipient.id", `required for "${action}"`);
    need(!PROVISION_ACTIONS.has(action) || e.jukinet.channel, "jukinet.channel", `required for "${action}"`);
    need(action !== "update" || e.jukinet.change, "jukinet.change.reason", `required for "update"`);
    need(action !== "code_change" || e.jukinet.subject?.resident_code, "jukinet.subject.resident_code", `required (the new code) for "code_change"`);
    need(action !== "code_change" || e.jukinet.subject?.previous_resident_code, "jukinet.subject.previous_resident_code", `required for "code_change"`);
  });

export type AccessEvent = z.infer<typeof accessEventSchema>;

/**
 * Keys that reach an object's prototype when a parsed line is copied or
 * assigned (`target[key] = value`). A line naming one at any depth is
 * rejected (INTERFACE.md §1); `JSON.parse` alone makes them ordinary own
 * properties, the danger is in what is done with them afterwards.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** A key of an input line that must not be used (see FORBIDDEN_KEYS). */
export class ForbiddenKeyError extends Error {
  constructor(
    readonly key: string,
    readonly path: string,
  ) {
    super(`key "${key}" is not allowed (at ${path})`);
  }
}

/**
 * The first forbidden key anywhere in a parsed JSON value — nested objects,
 * objects inside arrays, and every segment of a dotted key — or undefined.
 * Iterative, so a deeply nested line cannot exhaust the stack.
 */
export function findForbiddenKey(value: unknown): ForbiddenKeyError | undefined {
  const stack: { value: unknown; path: string }[] = [{ value, path: "" }];
  while (stack.length) {
    const { value: v, path } = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: `${path}[${i}]` });
      continue;
    }
    const keys = Object.keys(v);
    for (const key of keys) {
      const at = path ? `${path}.${key}` : key;
      const bad = key === "@timestamp" ? undefined : key.split(".").find((segment) => FORBIDDEN_KEYS.has(segment));
      if (bad !== undefined) return new ForbiddenKeyError(bad, at);
    }
    for (let i = keys.length - 1; i >= 0; i--) {
      stack.push({ value: (v as Record<string, unknown>)[keys[i]], path: path ? `${path}.${keys[i]}` : keys[i] });
    }
  }
  return undefined;
}

type Bag = Record<string, unknown>;
const bag = (): Bag => Object.create(null) as Bag;
const isObject = (v: unknown): v is Bag => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Accepts nodes that send flat dotted keys (`"event.action": "search"`) as
 * well as nested objects, also mixed. The objects it builds have no
 * prototype (`Object.create(null)`), so no key can write through
 * `__proto__`; a forbidden key still throws ForbiddenKeyError (callers check
 * with findForbiddenKey first, this is the second line of defence).
 */
export function expandDottedKeys(input: unknown): unknown {
  if (!isObject(input)) return input;
  const out = bag();
  // Objects of the input that a dotted key descends into are copied first, never written to.
  const own = new WeakSet<Bag>([out]);
  for (const key of Object.keys(input)) {
    const parts = key === "@timestamp" ? [key] : key.split(".");
    const bad = parts.find((p) => FORBIDDEN_KEYS.has(p));
    if (bad !== undefined) throw new ForbiddenKeyError(bad, key);
    let node = out;
    for (const p of parts.slice(0, -1)) {
      const next = Object.hasOwn(node, p) ? node[p] : undefined;
      let child: Bag;
      if (isObject(next) && own.has(next)) child = next;
      else {
        child = isObject(next) ? Object.assign(bag(), next) : bag();
        own.add(child);
        node[p] = child;
      }
      node = child;
    }
    const last = parts[parts.length - 1];
    const value = input[key];
    const existing = Object.hasOwn(node, last) ? node[last] : undefined;
    // A nested object and dotted keys below it ("event": {…}, "event.action": …) merge in either order.
    if (isObject(existing) && own.has(existing) && isObject(value)) {
      for (const k of Object.keys(value)) if (!Object.hasOwn(existing, k)) existing[k] = value[k];
    } else node[last] = value;
  }
  return out;
}

/** Depth of the deepest contract field (`jukinet.subject.resident_code`): nulls below it are left to the schema. */
const NULLABLE_DEPTH = 3;

/**
 * A field sent as `null` means the field is absent (INTERFACE.md §1: optional
 * fields may be absent or null): null values are dropped, and so are objects
 * left empty by it (`"user": { "id": null }`, `"user.id": null` after
 * expansion), down to the contract's depth. A required field sent as null is
 * then reported as required, naming it. Builds new prototype-less objects;
 * the input is not modified.
 */
export function dropNulls(input: unknown, depth = 0): unknown {
  if (!isObject(input) || depth >= NULLABLE_DEPTH) return input;
  const out = bag();
  for (const key of Object.keys(input)) {
    const value = input[key];
    if (value === null) continue;
    const kept = dropNulls(value, depth + 1);
    if (isObject(kept) && Object.keys(kept).length === 0 && isObject(value) && Object.keys(value).length > 0) continue;
    out[key] = kept;
  }
  return out;
}

/** A parsed line as the schema reads it: dotted keys expanded, nulls dropped. Throws ForbiddenKeyError. */
export function normaliseEvent(input: unknown): unknown {
  return dropNulls(expandDottedKeys(input));
}

/** A readable one-line reason from a zod error: "event.action: invalid value … ; user.id: required …". */
export function formatIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => {
      const path = i.path.join(".");
      const msg = i.code === "invalid_type" && i.input === undefined ? "required" : i.message;
      return path ? `${path}: ${msg}` : msg;
    })
    .join("; ");
}

/** Stored form of a valid access event. The clear resident identifiers are not copied. */
export function toStoredEvent(e: AccessEvent, ingested: string): Record<string, unknown> {
  const t = Date.parse(e["@timestamp"]);
  const p = jstParts(t);
  const j = e.jukinet;
  const subject =
    j.subject?.resident_code || j.subject?.individual_number || j.subject?.previous_resident_code
      ? {
          ref: j.subject.resident_code ? residentRef(j.subject.resident_code) : undefined,
          block_ref: j.subject.resident_code ? residentBlockRef(j.subject.resident_code) : undefined,
          number_ref: j.subject.individual_number ? individualNumberRef(j.subject.individual_number) : undefined,
          // code_change: the old code, pseudonymised with the same key as the new one so the two can be linked.
          previous_ref: j.subject.previous_resident_code ? residentRef(j.subject.previous_resident_code) : undefined,
        }
      : undefined;
  return {
    "@timestamp": new Date(t).toISOString(),
    event: { id: e.event.id, action: e.event.action, outcome: e.event.outcome, dataset: "jukinet.access", ingested },
    observer: e.observer,
    organization: e.organization,
    user: e.user,
    host: e.host,
    source: e.source,
    jukinet: {
      auth: j.auth,
      query: j.query,
      subject,
      purpose: j.purpose,
      recipient: j.recipient,
      channel: j.channel,
      record_count: j.record_count ?? 1,
      batch: j.batch,
      change: j.change,
      time: {
        date: p.dateKey,
        hour: p.hour,
        minute_of_day: p.minuteOfDay,
        weekday: p.weekday,
        business_day: isBusinessDay(p.dateKey),
      },
    },
  };
}

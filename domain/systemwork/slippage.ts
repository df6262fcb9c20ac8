/**
 * Pure logic of system-work records (連携制御記録): the steps of a vendor's
 * schedule and the slippage (乖離) between planned and actual dates, in JST
 * calendar days. Shared by the pages, the detector evidence and the tests.
 */
import { JST_OFFSET_MS } from "../../lib/calendar";

export const STEPS = ["work_start", "link_control_set", "operation_test", "test_data_delete", "link_control_release", "work_end"] as const;
export type Step = (typeof STEPS)[number];
export const PURPOSES = ["renewal", "repair", "upgrade"] as const;
export type Purpose = (typeof PURPOSES)[number];

export interface StepDates {
  step: Step;
  plannedAt: string | null;
  actualAt: string | null;
}

export interface StepSlippage extends StepDates {
  /** Actual (or, while not done and already due, today) minus planned, in JST days; null without a planned date. */
  daysLate: number | null;
  /** Done or due, and later than planned. */
  late: boolean;
  /** Not done yet although the planned day has passed. */
  overdue: boolean;
}

const DAY_MS = 86_400_000;
const jstDay = (t: number) => Math.floor((t + JST_OFFSET_MS) / DAY_MS);

/** Parses the stored JSON (tolerant: unknown steps and bad dates are dropped) into one entry per step, in order. */
export function parseSteps(json: string | null | undefined): StepDates[] {
  let raw: unknown = [];
  try {
    raw = JSON.parse(json || "[]");
  } catch {
    raw = [];
  }
  const list = Array.isArray(raw) ? raw : [];
  const date = (v: unknown) => (typeof v === "string" && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString() : null);
  return STEPS.map((step) => {
    const r = list.find((x) => x && typeof x === "object" && (x as { step?: unknown }).step === step) as Record<string, unknown> | undefined;
    return { step, plannedAt: date(r?.plannedAt), actualAt: date(r?.actualAt) };
  });
}

export const serializeSteps = (steps: StepDates[]): string =>
  JSON.stringify(STEPS.map((step) => steps.find((s) => s.step === step) ?? { step, plannedAt: null, actualAt: null }));

/** Slippage of each step: days late (negative = early) against the plan. */
export function slippage(steps: StepDates[], now: Date): StepSlippage[] {
  return steps.map((s) => {
    if (!s.plannedAt) return { ...s, daysLate: null, late: false, overdue: false };
    const planned = jstDay(Date.parse(s.plannedAt));
    if (s.actualAt) {
      const d = jstDay(Date.parse(s.actualAt)) - planned;
      return { ...s, daysLate: d, late: d > 0, overdue: false };
    }
    const d = jstDay(now.getTime()) - planned;
    return { ...s, daysLate: d > 0 ? d : null, late: d > 0, overdue: d > 0 };
  });
}

/** What is still missing before link control may be released (empty: release allowed). */
export function releaseBlockers(w: {
  linkControlSetAt: Date | null;
  linkControlReleasedAt: Date | null;
  testsEndedAt: Date | null;
  testsEndedBy: string | null;
  testDataDeletedAt: Date | null;
  testDataDeletedBy: string | null;
}): ("not_set" | "already_released" | "tests_not_ended" | "test_data_not_deleted")[] {
  if (!w.linkControlSetAt) return ["not_set"];
  if (w.linkControlReleasedAt) return ["already_released"];
  const out: ("tests_not_ended" | "test_data_not_deleted")[] = [];
  if (!w.testsEndedAt || !w.testsEndedBy) out.push("tests_not_ended");
  if (!w.testDataDeletedAt || !w.testDataDeletedBy) out.push("test_data_not_deleted");
  return out;
}

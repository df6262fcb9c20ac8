/**
 * Normal traffic of one day: municipal counter work, prefectural department
 * searches (別表第5 / 条例), national-centre provisions (immediate, night
 * batches, media), prefectural night batches, and every node's periodic
 * notification so that a silent node stands out.
 */
import { AccessEvent } from "./events";
import { isBusinessDay } from "../../lib/calendar";
import { at, DAY_MS, DayBuffers, HOUR_MS, hoursOf, MINUTE_MS, type DayInfo, type DemoWorld } from "./context";
import {
  BUSINESS_DAYS_PER_YEAR,
  NATIONAL_BATCH_ACCOUNT,
  NATIONAL_CODE,
  PREFECTURE_BATCHES,
  PREFECTURE_CODE,
  purposeRef,
  type DemoOperator,
  type DemoOrganization,
} from "./registry";
import { rngFor, WeightedPicker, type Rng } from "./random";
import { layOutTerminalDay, lookUp, municipalSession, PREFECTURE_KINDS, SessionDraft, WorkdayClock, caseGap } from "./sessions";
import { purposes, recipientById } from "../../domain/registry/purposes";

/** Share of Japan's population living in 山口県 (≈1.31 M of 124 M), applied to national provision counts. */
export const PREFECTURE_SHARE = 0.0106;
/** Counter cases per municipal clerk per business day at scale 1 (×√scale at other scales). */
export const CASES_PER_CLERK = 15;

/** Adjustments the labelled scenarios make to one day's normal traffic. */
export interface DayAdjustments {
  /** Operators who do no normal work that day (their scenario events are injected instead). */
  excludedOperators: Set<string>;
  /** Multiplier of an operator's normal volume that day. */
  operatorFactor: Map<string, number>;
  /** Multiplier of a batch's record count that night, by purpose item. */
  batchFactor: Map<string, number>;
}

export function noAdjustments(): DayAdjustments {
  return { excludedOperators: new Set(), operatorFactor: new Map(), batchFactor: new Map() };
}

/** Operators whose high volume is their normal steady level (a hard negative). */
export const STEADY_BUSY_OPERATORS = new Map<string, number>([["OP-352012-002", 3]]);

/** Monday / after-holiday peak, month-end peak and (for municipal counters) the moving season. */
function dayFactor(day: DayInfo, counter: boolean): number {
  return (day.afterClosure ? 1.3 : 1) * (day.monthEnd ? 1.15 : 1) * (counter && day.movingSeason ? 1.3 : 1);
}

function municipalDay(world: DemoWorld, day: DayInfo, org: DemoOrganization, adjust: DayAdjustments, out: DayBuffers): void {
  if (!day.business) return;
  const rng = rngFor(world.seed, "municipal", day.key, org.code);
  const perClerk = CASES_PER_CLERK * Math.sqrt(world.scale) * dayFactor(day, true);
  const byTerminal = new Map<string, SessionDraft[]>();
  for (const op of org.operators) {
    const busy = STEADY_BUSY_OPERATORS.get(op.id);
    const factor = adjust.operatorFactor.get(op.id);
    // The steady busy clerk and a clerk with a labelled spike are at work that day.
    const present = rng.chance(busy || factor ? 1 : 0.9);
    const wobble = rng.lognormal(busy ? 0.08 : 0.2);
    if (!present || adjust.excludedOperators.has(op.id) || !op.terminal) continue;
    const intensity = busy ?? op.intensity;
    let cases = rng.roundCount(perClerk * intensity * wobble * (factor ?? 1));
    if (op.role === "admin") cases = rng.roundCount(0.5 + cases);
    const sessions = Math.max(1, Math.round(cases / rng.range(6, 10)));
    const drafts = byTerminal.get(op.terminal.id) ?? [];
    for (let k = 0; k < sessions; k++) {
      const share = Math.floor(cases / sessions) + (k < cases % sessions ? 1 : 0);
      drafts.push(municipalSession(world, rng, op, org, share, day.movingSeason));
    }
    byTerminal.set(op.terminal.id, drafts);
  }
  const hours = hoursOf(org.hours);
  const clock = new WorkdayClock(day.midnight, hours.start, hours.end);
  for (const t of org.terminals) out.pushAll(org.nodeId, layOutTerminalDay(byTerminal.get(t.id) ?? [], clock, rng));
}

/** A prefectural operator's session: searches and views for the department's purposes. */
export function prefectureSession(world: DemoWorld, rng: Rng, op: DemoOperator, cases: number, terminal = op.terminal): SessionDraft {
  const d = SessionDraft.at(op, terminal);
  d.login(rng);
  for (let c = 0; c < cases && op.purposes; c++) {
    lookUp(d, rng, c === 0 ? rng.uniform(15, 90) * 1000 : caseGap(rng) * 0.7, op.purposes.pick(rng), world.residents.anywhere(rng), PREFECTURE_KINDS);
  }
  d.logout(rng);
  return d;
}

function prefectureDay(world: DemoWorld, day: DayInfo, adjust: DayAdjustments, out: DayBuffers): void {
  if (!day.business) return;
  const org = world.registry.prefecture;
  const rng = rngFor(world.seed, "prefecture", day.key);
  const byTerminal = new Map<string, SessionDraft[]>();
  for (const op of org.operators) {
    const present = rng.chance(0.92);
    const wobble = rng.lognormal(0.2);
    if (!present || adjust.excludedOperators.has(op.id) || !op.terminal) continue;
    const drafts = byTerminal.get(op.terminal.id) ?? [];
    if (op.role === "admin") {
      drafts.push(prefectureSession(world, rng, op, 0)); // daily log check: login and logout only
    } else {
      // A search is followed by a view, so the expected searches per day give the cases.
      const cases = rng.roundCount((op.dailySearches ?? 0) * wobble * dayFactor(day, false) * (adjust.operatorFactor.get(op.id) ?? 1));
      const sessions = Math.max(1, Math.round(cases / rng.range(10, 25)));
      for (let k = 0; k < sessions; k++) {
        drafts.push(prefectureSession(world, rng, op, Math.floor(cases / sessions) + (k < cases % sessions ? 1 : 0)));
      }
    }
    byTerminal.set(op.terminal.id, drafts);
  }
  const hours = hoursOf(org.hours);
  const clock = new WorkdayClock(day.midnight, hours.start, hours.end);
  for (const t of org.terminals) out.pushAll(org.nodeId, layOutTerminalDay(byTerminal.get(t.id) ?? [], clock, rng));
}

interface ChannelVolumes {
  item: string;
  immediate: number;
  media: number;
  onlineBatch: number;
}

/** Yearly national provisions per 別表第1 item and channel (seed 001, 令和2年度), computed once. */
const nationalVolumes: ChannelVolumes[] = (() => {
  const byItem = new Map<string, ChannelVolumes>();
  for (const row of purposes.monthly_provisions ?? []) {
    const v = byItem.get(row.item) ?? { item: row.item, immediate: 0, media: 0, onlineBatch: 0 };
    v.immediate += row.immediate;
    v.media += row.media;
    v.onlineBatch += row.online_batch;
    byItem.set(row.item, v);
  }
  return [...byItem.values()];
})();

const immediateVolumes = nationalVolumes.filter((v) => v.immediate > 0);
const immediateItems = new WeightedPicker(
  immediateVolumes.map((v) => v.item),
  immediateVolumes.map((v) => v.immediate),
);

/**
 * Immediate provisions concerning residents of the prefecture per business
 * day at scale 1: all of them, or those of one 別表第1 item.
 */
export function immediatePerBusinessDay(item?: string): number {
  const perYear = immediateVolumes.reduce((sum, v) => sum + (item === undefined || v.item === item ? v.immediate : 0), 0);
  return (perYear * PREFECTURE_SHARE) / BUSINESS_DAYS_PER_YEAR;
}

/**
 * How a node sends a batch (INTERFACE.md §1 `jukinet.batch.id`): one `batch_provide` summary with the record
 * count, one `provide` per resident carrying the batch id, or both. Per-resident records make the batch
 * disclosable to each resident; statistics count the batch once either way.
 */
export type BatchForm = "summary" | "records" | "both";

/**
 * Nightly online-batch provisions of the national centre (items with the largest batch volumes). The two
 * largest (pensions: ~24,000 and ~13,000 records a night for the prefecture) are sent as summaries; 1-4 as
 * per-resident records only.
 */
export const NATIONAL_BATCHES: readonly { item: string; nights: "daily" | "business"; form: BatchForm }[] = [
  { item: "1-1", nights: "daily", form: "summary" },
  { item: "1-2", nights: "daily", form: "summary" },
  { item: "1-3", nights: "business", form: "summary" },
  { item: "1-4", nights: "business", form: "records" },
];
/** Weekly media (磁気媒体) provision: item and JST weekday (3 = Wednesday), summary and per-resident records. */
export const NATIONAL_MEDIA = { item: "1-1", weekday: 3, form: "both" as BatchForm };

/**
 * A batch as the node sends it: the summary (kept for "summary" and "both") and, for "records" and "both",
 * one `provide` per resident a few milliseconds apart, drawn from the prefecture's residents with their own
 * random stream (so the rest of the day's data does not move).
 */
function sendBatch(world: DemoWorld, nodeId: string, summary: AccessEvent, form: BatchForm, out: DayBuffers): void {
  const batchId = `B-${summary.organization}-${summary.item}-${isoDayKey(summary.t)}-${summary.channel === "media" ? "M" : "N"}`;
  summary.batchId = batchId;
  if (form !== "records") out.push(nodeId, summary);
  if (form === "summary") return;
  const rng = rngFor(world.seed, "batch-records", batchId);
  for (let i = 0; i < summary.recordCount!; i++) {
    const e = new AccessEvent(summary.t + i * 5, "provide", "success", summary.organization, summary.userId, undefined, undefined);
    e.purpose(summary.schedule!, summary.item!).recipient(summary.recipientId!, summary.recipientName!).subject(world.residents.anywhere(rng));
    e.channel = summary.channel;
    e.batchId = batchId;
    out.push(nodeId, e);
  }
}

const isoDayKey = (t: number) => new Date(t + 9 * 3600_000).toISOString().slice(0, 10).replaceAll("-", "");

function batchRecords(item: string, nights: "daily" | "business" | "weekly", channel: "onlineBatch" | "media"): number {
  const v = nationalVolumes.find((x) => x.item === item);
  const perYear = (v?.[channel] ?? 0) * PREFECTURE_SHARE;
  return perYear / (nights === "daily" ? 365 : nights === "business" ? BUSINESS_DAYS_PER_YEAR : 52);
}

/** An immediate provision (即時提供) by the national centre. */
export function immediateProvision(t: number, item: string, subject: string): AccessEvent {
  const p = purposeRef("1", item);
  const e = new AccessEvent(t, "provide", "success", NATIONAL_CODE, NATIONAL_BATCH_ACCOUNT, undefined, undefined);
  e.purpose("1", item).recipient(p.recipientId, p.recipientName).subject(subject);
  e.channel = "immediate";
  return e;
}

/** Hour-of-day profile of immediate provisions on business days (agencies' office hours). */
const IMMEDIATE_HOURS = [0, 0, 0, 0, 0, 0, 0, 0.05, 0.4, 1, 1.1, 1, 0.55, 0.9, 1, 1, 0.9, 0.45, 0.2, 0.1, 0.05, 0, 0, 0];
const IMMEDIATE_HOURS_OFF = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const HOURS = Array.from({ length: 24 }, (_, h) => h);
const businessHourPicker = new WeightedPicker(HOURS, IMMEDIATE_HOURS);
const offHourPicker = new WeightedPicker(HOURS, IMMEDIATE_HOURS_OFF);

function nationalDay(world: DemoWorld, day: DayInfo, adjust: DayAdjustments, out: DayBuffers): void {
  const org = world.registry.national;
  const rng = rngFor(world.seed, "national", day.key);
  const count = rng.poisson(immediatePerBusinessDay() * world.scale * (day.business ? 1 : 0.06));
  const hourPicker = day.business ? businessHourPicker : offHourPicker;
  for (let i = 0; i < count; i++) {
    const t = day.midnight + hourPicker.pick(rng) * HOUR_MS + rng.int(HOUR_MS);
    out.push(org.nodeId, immediateProvision(t, immediateItems.pick(rng), world.residents.anywhere(rng)));
  }
  for (const batch of NATIONAL_BATCHES) {
    if (batch.nights === "business" && !day.previousBusiness) continue;
    const records = batchRecords(batch.item, batch.nights, "onlineBatch") * (adjust.batchFactor.get(batch.item) ?? 1);
    const summary = batchProvision(
      org,
      at(day, rng.range(40, 270), rng.uniform(0, 60)),
      "1",
      batch.item,
      "online_batch",
      Math.round(records * rng.lognormal(0.1)),
    );
    sendBatch(world, org.nodeId, summary, batch.form, out);
  }
  if (day.business && day.weekday === NATIONAL_MEDIA.weekday) {
    const records = batchRecords(NATIONAL_MEDIA.item, "weekly", "media");
    const summary = batchProvision(
      org,
      at(day, rng.range(600, 900), rng.uniform(0, 60)),
      "1",
      NATIONAL_MEDIA.item,
      "media",
      Math.round(records * rng.lognormal(0.1)),
    );
    sendBatch(world, org.nodeId, summary, NATIONAL_MEDIA.form, out);
  }
}

/** A batch provision (online batch or media) by an organisation's server: system activity, no operator (INTERFACE.md §1). */
export function batchProvision(
  org: DemoOrganization,
  t: number,
  schedule: string,
  item: string,
  channel: "online_batch" | "media",
  records: number,
): AccessEvent {
  const p = purposeRef(schedule, item);
  const e = new AccessEvent(t, "batch_provide", "success", org.code, undefined, undefined, undefined);
  e.purpose(schedule, item).recipient(p.recipientId, p.recipientName);
  e.channel = channel;
  e.recordCount = Math.max(1, records);
  return e;
}

function prefectureBatches(world: DemoWorld, day: DayInfo, adjust: DayAdjustments, out: DayBuffers): void {
  const org = world.registry.prefecture;
  const rng = rngFor(world.seed, "prefecture-batch", day.key);
  for (const batch of PREFECTURE_BATCHES) {
    const runs = batch.nights === "business" ? day.previousBusiness : day.previousBusiness && day.previousWeekday === batch.nights;
    if (!runs && !adjust.batchFactor.has(batch.item)) continue;
    const records = batch.records * rng.lognormal(0.12) * (adjust.batchFactor.get(batch.item) ?? 1);
    const schedule = batch.item.split("-")[0];
    const summary = batchProvision(org, at(day, rng.range(60, 235), rng.uniform(0, 60)), schedule, batch.item, "online_batch", Math.round(records));
    sendBatch(world, org.nodeId, summary, batch.form, out);
  }
}

/** All normal traffic of one day except the periodic notifications (added once the day is complete). */
export function generateNormalDay(world: DemoWorld, day: DayInfo, adjust: DayAdjustments, out: DayBuffers): void {
  for (const m of world.registry.municipalities) municipalDay(world, day, m, adjust, out);
  prefectureDay(world, day, adjust, out);
  prefectureBatches(world, day, adjust, out);
  nationalDay(world, day, adjust, out);
}

/**
 * Periodic 本人確認情報 notifications (CS → prefecture, prefecture → J-LIS,
 * J-LIS → prefecture), sent by each node itself (no operator, INTERFACE.md §1)
 * every half expected interval around the clock, with the number of record
 * changes since the previous one. They make every node send regularly, so
 * silence is detectable. A CS that sends only on business days notifies every
 * half hour within business hours, and at noon from the fourth closed day of a
 * long closure on, so its registered interval (four days) always holds.
 */
export function addPeriodicNotifications(world: DemoWorld, day: DayInfo, out: DayBuffers): void {
  const reg = world.registry;
  const jlis = recipientById("j-lis")!;
  const updateTimes = (nodeIds: string[]) =>
    nodeIds
      .flatMap((n) =>
        out
          .get(n)
          .filter((e) => e.action === "update")
          .map((e) => e.t),
      )
      .sort((a, b) => a - b);
  const targets: { org: DemoOrganization; recipientId: string; recipientName: string; updates: number[] | undefined }[] = [
    ...reg.municipalities.map((m) => ({ org: m, recipientId: PREFECTURE_CODE, recipientName: reg.prefecture.name, updates: updateTimes([m.nodeId]) })),
    { org: reg.prefecture, recipientId: jlis.id, recipientName: jlis.name, updates: updateTimes(reg.municipalities.map((m) => m.nodeId)) },
    { org: reg.national, recipientId: PREFECTURE_CODE, recipientName: reg.prefecture.name, updates: undefined },
  ];
  for (const { org, recipientId, recipientName, updates } of targets) {
    const rng = rngFor(world.seed, "periodic", day.key, org.code);
    const slots: { start: number; period: number }[] = [];
    if (!org.businessDaysOnly) {
      const period = (org.expectedIntervalMinutes / 2) * MINUTE_MS;
      for (let slot = day.midnight; slot < day.midnight + 24 * HOUR_MS; slot += period) slots.push({ start: slot, period });
    } else if (day.business) {
      const hours = hoursOf(org.hours);
      const period = 30 * MINUTE_MS;
      for (let slot = at(day, hours.start); slot + period <= at(day, hours.end); slot += period) slots.push({ start: slot, period });
    } else if (closedDaysUpTo(day.key) >= 4) {
      slots.push({ start: at(day, "12:00"), period: 30 * MINUTE_MS });
    }
    let from = day.midnight;
    let u = 0;
    for (const { start, period } of slots) {
      const t = start + rng.range(60_000, period / 4);
      const e = new AccessEvent(t, "notify", "success", org.code, undefined, undefined, undefined);
      e.recipient(recipientId, recipientName);
      if (updates) {
        let n = 0;
        while (u < updates.length && updates[u] < t) {
          if (updates[u] >= from) n++;
          u++;
        }
        e.recordCount = n;
      }
      from = t;
      out.push(org.nodeId, e);
    }
  }
}

/** Consecutive non-business days ending with (and including) `key`; 0 on a business day. */
export function closedDaysUpTo(key: string): number {
  let n = 0;
  for (let k = key; !isBusinessDay(k) && n < 30; k = new Date(Date.parse(`${k}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10)) n++;
  return n;
}

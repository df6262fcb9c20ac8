/**
 * In-memory form of one generated access event and its NDJSON serialisation
 * in the contract shape (INTERFACE.md §1). Lines are built by hand rather than
 * with JSON.stringify of a nested object because the generator writes millions
 * of them; every free-text value still goes through JSON.stringify.
 */
import { JST_OFFSET_MS } from "../../lib/calendar";

export type EventAction =
  | "login"
  | "logout"
  | "auth_failure"
  | "card_locked"
  | "card_unlocked"
  | "search"
  | "view"
  | "update"
  | "provide"
  | "batch_provide"
  | "notify"
  | "export"
  | "print";
export type EventOutcome = "success" | "failure" | "unknown";
export type ObserverType = "national_center" | "prefectural_server" | "municipal_cs" | "terminal" | "ids_sensor";
export type AuthMethod = "ic_card_password" | "biometric" | "ic_card_biometric";
export type QueryKind = "resident_code" | "individual_number" | "four_info" | "name_birthdate" | "name_only" | "address_only";
export type Channel = "immediate" | "online_batch" | "media";
export type ChangeReason = "move_in" | "move_out" | "relocation" | "birth" | "death" | "name_change" | "correction";

export const RESIDENT_RECORDS_SYSTEM = "住民記録システム";

/**
 * One access event before serialisation. All fields exist on every instance
 * (undefined when absent) so V8 keeps a single object shape.
 */
export class AccessEvent {
  authMethod: AuthMethod | undefined = undefined;
  cardId: string | undefined = undefined;
  queryKind: QueryKind | undefined = undefined;
  wildcard: boolean | undefined = undefined;
  resultCount: number | undefined = undefined;
  residentCode: string | undefined = undefined;
  schedule: string | undefined = undefined;
  item: string | undefined = undefined;
  recipientId: string | undefined = undefined;
  recipientName: string | undefined = undefined;
  channel: Channel | undefined = undefined;
  recordCount: number | undefined = undefined;
  /** `jukinet.batch.id`: the batch a provision belongs to (its summary and its per-resident records). */
  batchId: string | undefined = undefined;
  changeReason: ChangeReason | undefined = undefined;
  changeSource: string | undefined = undefined;

  constructor(
    /** Epoch milliseconds. */
    public t: number,
    public action: EventAction,
    public outcome: EventOutcome,
    /** Acting organisation (6-digit code). */
    public organization: string,
    public userId: string | undefined,
    public hostId: string | undefined,
    public sourceIp: string | undefined,
  ) {}

  purpose(schedule: string, item: string): this {
    this.schedule = schedule;
    this.item = item;
    return this;
  }

  subject(residentCode: string | undefined): this {
    this.residentCode = residentCode;
    return this;
  }

  recipient(id: string, name: string): this {
    this.recipientId = id;
    this.recipientName = name;
    return this;
  }
}

const pad2 = (n: number) => (n < 10 ? "0" + n : "" + n);
const pad3 = (n: number) => (n < 10 ? "00" + n : n < 100 ? "0" + n : "" + n);

let cachedDay = NaN;
let cachedDayPrefix = "";

/** "2026-11-03T10:15:02.123+09:00" for an epoch-ms instant, in JST. */
export function isoJst(ms: number): string {
  const local = ms + JST_OFFSET_MS;
  const day = Math.floor(local / 86_400_000);
  if (day !== cachedDay) {
    const d = new Date(day * 86_400_000);
    cachedDay = day;
    cachedDayPrefix = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T`;
  }
  let rest = local - day * 86_400_000;
  const msPart = rest % 1000;
  rest = (rest - msPart) / 1000;
  const s = rest % 60;
  rest = (rest - s) / 60;
  const m = rest % 60;
  const h = (rest - m) / 60;
  return `${cachedDayPrefix}${pad2(h)}:${pad2(m)}:${pad2(s)}.${pad3(msPart)}+09:00`;
}

const quoted = new Map<string, string>();
/** JSON string literal of a free-text value (names), cached: the same few names repeat constantly. */
function q(value: string): string {
  let s = quoted.get(value);
  if (s === undefined) {
    s = JSON.stringify(value);
    if (quoted.size < 10_000) quoted.set(value, s);
  }
  return s;
}

/** Serialises one event as a single NDJSON line (without the newline). */
export function serializeAccessEvent(e: AccessEvent, eventId: string, observerJson: string): string {
  // Ids, codes and addresses are generated ASCII without quotes or backslashes; free text goes through q().
  let line = `{"@timestamp":"${isoJst(e.t)}","event":{"id":"${eventId}","action":"${e.action}","outcome":"${e.outcome}"},"observer":${observerJson},"organization":{"id":"${e.organization}"}`;
  if (e.userId !== undefined) line += `,"user":{"id":"${e.userId}"}`;
  if (e.hostId !== undefined) line += `,"host":{"id":"${e.hostId}"}`;
  if (e.sourceIp !== undefined) line += `,"source":{"ip":"${e.sourceIp}"}`;

  let j = "";
  if (e.authMethod !== undefined || e.cardId !== undefined) {
    const parts: string[] = [];
    if (e.authMethod !== undefined) parts.push(`"method":"${e.authMethod}"`);
    if (e.cardId !== undefined) parts.push(`"card_id":"${e.cardId}"`);
    j += `,"auth":{${parts.join(",")}}`;
  }
  if (e.queryKind !== undefined) {
    j += `,"query":{"kind":"${e.queryKind}","wildcard":${e.wildcard === true}`;
    if (e.resultCount !== undefined) j += `,"result_count":${e.resultCount}`;
    j += "}";
  }
  if (e.residentCode !== undefined) j += `,"subject":{"resident_code":"${e.residentCode}"}`;
  if (e.schedule !== undefined) j += `,"purpose":{"schedule":"${e.schedule}","item":"${e.item}"}`;
  if (e.recipientId !== undefined) {
    j += `,"recipient":{"id":"${e.recipientId}"`;
    if (e.recipientName !== undefined) j += `,"name":${q(e.recipientName)}`;
    j += "}";
  }
  if (e.channel !== undefined) j += `,"channel":"${e.channel}"`;
  if (e.recordCount !== undefined) j += `,"record_count":${e.recordCount}`;
  if (e.batchId !== undefined) j += `,"batch":{"id":"${e.batchId}"}`;
  if (e.changeReason !== undefined) {
    j += `,"change":{"reason":"${e.changeReason}"`;
    if (e.changeSource !== undefined) j += `,"source_system":${q(e.changeSource)}`;
    j += "}";
  }
  if (j !== "") line += `,"jukinet":{${j.slice(1)}}`;
  return line + "}";
}

/** Sorts events by time; ties keep their generation order (Array.prototype.sort is stable). */
export function sortByTime(events: AccessEvent[]): AccessEvent[] {
  return events.sort((a, b) => a.t - b.t);
}

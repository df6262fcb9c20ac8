/**
 * Operator sessions at a terminal: login, a series of cases (search → view →
 * update / notify / print), logout. Sessions are first drafted on a relative
 * clock and then placed on the day, either packed into business hours with a
 * lunch dip (normal traffic) or at a fixed instant (labelled scenarios).
 */
import { AccessEvent, RESIDENT_RECORDS_SYSTEM, type ChangeReason, type EventAction, type EventOutcome, type QueryKind } from "./events";
import type { DemoOperator, DemoOrganization, DemoTerminal } from "./registry";
import { withCheckDigit } from "../../lib/orgcode";
import type { Rng } from "./random";
import type { DemoWorld } from "./context";
import { MINUTE_MS } from "./context";

export class SessionDraft {
  readonly events: AccessEvent[] = [];
  /** Relative time of the last event, ms. */
  cursor = 0;

  constructor(
    readonly op: DemoOperator,
    readonly hostId: string | undefined,
    readonly ip: string | undefined,
  ) {}

  static at(op: DemoOperator, terminal: DemoTerminal | undefined): SessionDraft {
    return new SessionDraft(op, terminal?.id, terminal?.ip);
  }

  /** Adds an event `gapMs` after the previous one. */
  step(gapMs: number, action: EventAction, outcome: EventOutcome = "success"): AccessEvent {
    this.cursor += Math.max(1, Math.round(gapMs));
    const e = new AccessEvent(this.cursor, action, outcome, this.op.organization, this.op.id, this.hostId, this.ip);
    this.events.push(e);
    return e;
  }

  /** IC-card login, preceded by one mistyped password with probability `mistype`. */
  login(rng: Rng, mistype = 0.02): AccessEvent {
    if (rng.chance(mistype)) this.authFailure(rng.uniform(2, 20) * 1000);
    const e = this.step(rng.uniform(1, 20) * 1000, "login");
    e.authMethod = this.op.authMethod;
    e.cardId = this.op.card;
    return e;
  }

  authFailure(gapMs: number): AccessEvent {
    const e = this.step(gapMs, "auth_failure", "failure");
    e.authMethod = this.op.authMethod;
    e.cardId = this.op.card;
    return e;
  }

  logout(rng: Rng): AccessEvent {
    return this.step(rng.uniform(5, 90) * 1000, "logout");
  }

  /** Shifts the draft so that its time 0 is `startMs` (placing it at a fixed instant). */
  placeAt(startMs: number): AccessEvent[] {
    const start = Math.round(startMs);
    for (const e of this.events) e.t += start;
    return this.events;
  }
}

export interface Purpose {
  schedule: string;
  item: string;
}

export const JUKIHO = {
  moveInNotice: { schedule: "jukiho", item: "jukiho-1" },
  wideAreaCertificate: { schedule: "jukiho", item: "jukiho-2" },
  moveOutCertificate: { schedule: "jukiho", item: "jukiho-3" },
  koseki: { schedule: "jukiho", item: "jukiho-4" },
  identityInquiry: { schedule: "jukiho", item: "jukiho-7" },
} as const satisfies Record<string, Purpose>;

/** Municipalities outside the prefecture that residents move from or to. */
const OUTSIDE_MUNICIPALITIES: readonly { code: string; name: string }[] = [
  ["13101", "千代田区"],
  ["14100", "横浜市"],
  ["23100", "名古屋市"],
  ["27100", "大阪市"],
  ["33100", "岡山市"],
  ["34100", "広島市"],
  ["40100", "北九州市"],
  ["40130", "福岡市"],
].map(([five, name]) => ({ code: withCheckDigit(five), name }));

/** A search for `subject` by `kind` returning `resultCount` records. Returns the search event. */
export function search(d: SessionDraft, gapMs: number, purpose: Purpose, subject: string | undefined, kind: QueryKind, resultCount: number): AccessEvent {
  const e = d.step(gapMs, "search");
  e.queryKind = kind;
  e.wildcard = false;
  e.resultCount = resultCount;
  e.schedule = purpose.schedule;
  e.item = purpose.item;
  // The node reports the subject when the query names one code or finds exactly one person.
  if (subject !== undefined && (kind === "resident_code" || resultCount === 1)) e.residentCode = subject;
  return e;
}

export function view(d: SessionDraft, gapMs: number, purpose: Purpose, subject: string): AccessEvent {
  const e = d.step(gapMs, "view");
  e.schedule = purpose.schedule;
  e.item = purpose.item;
  e.residentCode = subject;
  return e;
}

/**
 * The record change of a counter case. The clerk registers it in the resident-records system (既存住基システム),
 * which pushes the update to the CS through the link moments later: the CS records it as system activity,
 * with the source system and no operator, terminal or address (INTERFACE.md §1). So these ordinary updates
 * follow the counters' work: business days and hours, in proportion to the municipality's counter staff,
 * and twice as many moves in the moving season.
 */
export function update(d: SessionDraft, gapMs: number, subject: string, reason: ChangeReason): AccessEvent {
  const e = d.step(gapMs, "update");
  e.userId = undefined;
  e.hostId = undefined;
  e.sourceIp = undefined;
  e.residentCode = subject;
  e.recordCount = 1;
  e.changeReason = reason;
  e.changeSource = RESIDENT_RECORDS_SYSTEM;
  return e;
}

const QUERY_KINDS: readonly QueryKind[] = ["resident_code", "four_info", "name_birthdate", "individual_number"];

function pickKind(rng: Rng, weights: readonly number[]): QueryKind {
  let x = rng.next() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) if ((x -= weights[i]) < 0) return QUERY_KINDS[i];
  return QUERY_KINDS[0];
}

/**
 * Looks a person up the way a clerk does: a narrow search (resident code, 4
 * information, name + birth date), sometimes nothing found and retried,
 * sometimes two or three namesakes listed, then the record viewed.
 */
export function lookUp(d: SessionDraft, rng: Rng, gapMs: number, purpose: Purpose, subject: string, kindWeights: readonly number[]): void {
  const kind = pickKind(rng, kindWeights);
  let results = 1;
  const r = rng.next();
  if (kind === "four_info") results = r < 0.07 ? 0 : r < 0.13 ? 2 : r < 0.15 ? 3 : 1;
  else if (kind === "name_birthdate") results = r < 0.08 ? 0 : r < 0.15 ? 2 : 1;
  else if (r < 0.03) results = 0;
  search(d, gapMs, purpose, subject, kind, results);
  if (results === 0) search(d, rng.uniform(15, 60) * 1000, purpose, subject, "resident_code", 1);
  view(d, rng.uniform(4, 25) * 1000, purpose, subject);
}

const MUNICIPAL_KINDS = [0.35, 0.45, 0.12, 0.08];
export const PREFECTURE_KINDS = [0.15, 0.5, 0.25, 0.1];

type CaseType = "inquiry" | "certificate" | "moveIn" | "moveOut" | "change" | "koseki";
const CASE_TYPES: readonly CaseType[] = ["inquiry", "certificate", "moveIn", "moveOut", "change", "koseki"];
const CASE_WEIGHTS = [0.5, 0.16, 0.07, 0.05, 0.16, 0.06];
/** Moving season: moves double. */
const CASE_WEIGHTS_SEASON = [0.43, 0.12, 0.12, 0.1, 0.17, 0.06];
const CHANGE_REASONS: readonly ChangeReason[] = ["relocation", "birth", "death", "name_change", "correction"];
const CHANGE_WEIGHTS = [0.45, 0.15, 0.2, 0.08, 0.12];

function pickIndex(rng: Rng, weights: readonly number[]): number {
  let x = rng.next() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) if ((x -= weights[i]) < 0) return i;
  return weights.length - 1;
}

/** One counter case of a municipal clerk, drafted after `gapMs`. */
export function municipalCase(world: DemoWorld, d: SessionDraft, rng: Rng, org: DemoOrganization, gapMs: number, movingSeason: boolean): void {
  const type = CASE_TYPES[pickIndex(rng, movingSeason ? CASE_WEIGHTS_SEASON : CASE_WEIGHTS)];
  const residents = world.residents;
  const others = world.registry.municipalities;
  switch (type) {
    case "inquiry":
      lookUp(d, rng, gapMs, JUKIHO.identityInquiry, residents.local(rng, rng.chance(0.85) ? org.code : residents.municipality(rng)), MUNICIPAL_KINDS);
      return;
    case "certificate": {
      // 広域交付: now and then the certificate of a resident of another municipality.
      const subject = residents.local(rng, rng.chance(0.8) ? org.code : residents.municipality(rng));
      lookUp(d, rng, gapMs, JUKIHO.wideAreaCertificate, subject, MUNICIPAL_KINDS);
      const p = d.step(rng.uniform(15, 90) * 1000, "print");
      p.residentCode = subject;
      p.recordCount = rng.chance(0.85) ? 1 : 2;
      return;
    }
    case "moveIn": {
      // 転入 with the 転入転出の特例: the move-out certificate is fetched, the record
      // updated, and a 転入通知 goes to the former municipality.
      const fromInside = rng.chance(0.4);
      const formerOrg = fromInside ? rng.pick(others.filter((m) => m.code !== org.code)) : undefined;
      const former = formerOrg ?? rng.pick(OUTSIDE_MUNICIPALITIES);
      const subject = formerOrg ? residents.local(rng, formerOrg.code) : residents.outsider(rng);
      lookUp(d, rng, gapMs, JUKIHO.moveOutCertificate, subject, MUNICIPAL_KINDS);
      update(d, rng.uniform(60, 420) * 1000, subject, "move_in");
      const n = d.step(rng.uniform(5, 40) * 1000, "notify");
      n.residentCode = subject;
      n.schedule = JUKIHO.moveInNotice.schedule;
      n.item = JUKIHO.moveInNotice.item;
      n.recipientId = formerOrg?.code ?? former.code;
      n.recipientName = formerOrg?.name ?? former.name;
      return;
    }
    case "moveOut": {
      const subject = residents.local(rng, org.code);
      lookUp(d, rng, gapMs, JUKIHO.identityInquiry, subject, MUNICIPAL_KINDS);
      update(d, rng.uniform(60, 300) * 1000, subject, "move_out");
      return;
    }
    case "change": {
      const subject = residents.local(rng, org.code);
      lookUp(d, rng, gapMs, JUKIHO.identityInquiry, subject, MUNICIPAL_KINDS);
      update(d, rng.uniform(60, 420) * 1000, subject, CHANGE_REASONS[pickIndex(rng, CHANGE_WEIGHTS)]);
      return;
    }
    case "koseki":
      lookUp(d, rng, gapMs, JUKIHO.koseki, residents.local(rng, org.code), MUNICIPAL_KINDS);
      return;
  }
}

/** Gap before the next case: mostly one to three minutes. */
export function caseGap(rng: Rng): number {
  return (20 + rng.exponential(80)) * 1000;
}

/**
 * Drafts a municipal clerk's session of `cases` cases. Used by normal traffic
 * and by labelled scenarios that need ordinary-looking work around them.
 */
export function municipalSession(
  world: DemoWorld,
  rng: Rng,
  op: DemoOperator,
  org: DemoOrganization,
  cases: number,
  movingSeason: boolean,
  terminal = op.terminal,
  mistype = 0.02,
): SessionDraft {
  const d = SessionDraft.at(op, terminal);
  d.login(rng, mistype);
  for (let c = 0; c < cases; c++) municipalCase(world, d, rng, org, c === 0 ? rng.uniform(15, 90) * 1000 : caseGap(rng), movingSeason);
  d.logout(rng);
  return d;
}

/**
 * Business-hours clock with a lunch dip: drafts are laid out on a "virtual"
 * work time in which 12:00–13:00 counts for only `lunchDensity` of an hour,
 * then mapped to real instants, so activity thins out over lunch.
 */
export class WorkdayClock {
  private readonly startMs: number;
  private readonly lunchStart: number;
  private readonly lunchEnd: number;
  private readonly lunchVirtual: number;
  readonly virtualLength: number;

  constructor(
    midnight: number,
    startMinute: number,
    endMinute: number,
    private readonly lunchDensity = 0.35,
  ) {
    this.startMs = midnight + startMinute * MINUTE_MS;
    const lunchStart = Math.max(startMinute, Math.min(endMinute, 720));
    const lunchEnd = Math.max(startMinute, Math.min(endMinute, 780));
    this.lunchStart = (lunchStart - startMinute) * MINUTE_MS;
    this.lunchEnd = (lunchEnd - startMinute) * MINUTE_MS;
    this.lunchVirtual = (this.lunchEnd - this.lunchStart) * lunchDensity;
    this.virtualLength = (endMinute - startMinute) * MINUTE_MS - (this.lunchEnd - this.lunchStart) + this.lunchVirtual;
  }

  toInstant(v: number): number {
    let real: number;
    if (v < this.lunchStart) real = v;
    else if (v < this.lunchStart + this.lunchVirtual) real = this.lunchStart + (v - this.lunchStart) / this.lunchDensity;
    else real = this.lunchEnd + (v - this.lunchStart - this.lunchVirtual);
    return Math.round(this.startMs + real);
  }
}

/**
 * Lays the drafted sessions of one terminal one after the other over the
 * working day, with random idle gaps; squeezes them when they do not fit.
 * Sessions at one terminal never overlap, so an operator (who works at one
 * terminal) never has two sessions at once.
 */
export function layOutTerminalDay(drafts: SessionDraft[], clock: WorkdayClock, rng: Rng): AccessEvent[] {
  if (drafts.length === 0) return [];
  rng.shuffle(drafts);
  const margin = 3 * MINUTE_MS;
  const usable = clock.virtualLength - 2 * margin;
  const total = drafts.reduce((sum, d) => sum + d.cursor, 0);
  const squeeze = total > usable * 0.92 ? (usable * 0.92) / total : 1;
  const free = usable - total * squeeze;
  const weights = Array.from({ length: drafts.length + 1 }, () => rng.exponential(1));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const out: AccessEvent[] = [];
  let v = margin;
  drafts.forEach((d, i) => {
    v += (free * weights[i]) / weightSum;
    for (const e of d.events) {
      e.t = clock.toInstant(v + e.t * squeeze);
      out.push(e);
    }
    v += d.cursor * squeeze;
  });
  return out;
}

/**
 * Machinery of the labelled scenarios (anomalies, hard negatives, the demo
 * subject): each scenario is placed on a day of the period (spread out, the
 * kind of day it needs, falling back gracefully for short periods), may take
 * operators out of that day's normal traffic or scale a batch, and injects its
 * own events. Its label window is the span of the events it injected, unless
 * it declares one. The scenarios themselves are in anomalies/ and negatives.ts.
 */
import { at, DAY_MS, DayBuffers, hoursOf, MINUTE_MS, type DayInfo, type DemoWorld } from "./context";
import { RULE_IDS, type RuleId } from "../../domain/alerts/rule-ids";
import { isoJst, type AccessEvent } from "./events";
import type { IdsAlert } from "./ids";
import type { AfterHoursPermit, DemoOperator, DemoOrganization, DemoTerminal, DemoWorldRegistry, MaintenanceWindow } from "./registry";
import { rngFor, type Rng } from "./random";
import { municipalCase, SessionDraft } from "./sessions";
import { noAdjustments, type DayAdjustments } from "./traffic";
import type { DemoSystemWork } from "./system-work";

export { RULE_IDS };
export type { RuleId };

export type EntityType = "operator" | "terminal" | "card" | "node" | "recipient" | "subject" | "host" | "organization";

export interface Label {
  id: string;
  rule: RuleId;
  organization: string;
  entity: { type: EntityType; id: string };
  start: string;
  end: string;
  description: string;
}

export type DayKind = "business" | "nonbusiness" | "holiday" | "saturday" | "sunday" | "batchNight" | "monthEnd" | "last";

export interface InjectContext {
  world: DemoWorld;
  day: DayInfo;
  rng: Rng;
  /** Adds events recorded by a node; they count towards the scenario's window. */
  emit(nodeId: string, events: AccessEvent[]): void;
  /** Adds events that belong to the scenario's story but not to its label window. */
  emitContext(nodeId: string, events: AccessEvent[]): void;
  /** Adds IDS alerts; they count towards the window too. */
  alert(alerts: IdsAlert[]): void;
}

export interface Scenario {
  kind: "anomaly" | "hard_negative" | "demo";
  rule?: RuleId;
  organization: string;
  entity?: { type: EntityType; id: string };
  description: string;
  day: DayInfo;
  /** Fixed label window; otherwise the span of the injected events. */
  window?: [number, number];
  /** Operators kept out of that day's normal traffic. */
  operators?: DemoOperator[];
  operatorFactor?: [string, number];
  batchFactor?: [string, number];
  silence?: { nodeId: string; start: number; end: number };
  maintenance?: MaintenanceWindow;
  permit?: AfterHoursPermit;
  /** A system-work record of the scenario (連携制御記録, issue 18). */
  systemWork?: DemoSystemWork;
  inject?(ctx: InjectContext): void;
  /** Filled while generating. */
  span?: [number, number];
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** Chooses spread-out days of the right kind, avoiding two scenarios of one organisation on one day. */
class DayPicker {
  private readonly load = new Map<number, number>();
  private readonly orgs = new Map<number, Set<string>>();

  constructor(private readonly days: DayInfo[]) {}

  private matches(day: DayInfo, kind: DayKind): boolean {
    switch (kind) {
      case "business":
        return day.business;
      case "nonbusiness":
        return !day.business;
      case "holiday":
        return !day.business && day.weekday >= 1 && day.weekday <= 5;
      case "saturday":
        return day.weekday === 6 && day.index < this.days.length - 1;
      case "sunday":
        return day.weekday === 0 && day.index < this.days.length - 1;
      case "batchNight":
        return day.previousBusiness;
      case "monthEnd":
        return day.monthEnd;
      case "last":
        return day.index === this.days.length - 1;
    }
  }

  /** The best day of the first kind in `kinds` that the period has; `slot` ∈ [0,1] is the preferred position. */
  pick(kinds: DayKind[], slot: number, org: string): DayInfo {
    for (const kind of kinds) {
      const candidates = this.days.filter((d) => this.matches(d, kind));
      if (candidates.length === 0) continue;
      const target = slot * (this.days.length - 1);
      let best = candidates[0];
      let bestScore = Infinity;
      for (const d of candidates) {
        const score = Math.abs(d.index - target) + 2.5 * (this.load.get(d.index) ?? 0) + (this.orgs.get(d.index)?.has(org) ? 50 : 0);
        if (score < bestScore) {
          bestScore = score;
          best = d;
        }
      }
      this.load.set(best.index, (this.load.get(best.index) ?? 0) + 1);
      if (!this.orgs.has(best.index)) this.orgs.set(best.index, new Set());
      this.orgs.get(best.index)!.add(org);
      return best;
    }
    return this.days[Math.round(slot * (this.days.length - 1))];
  }
}

export interface ScenarioPlan {
  scenarios: Scenario[];
  maintenanceWindows: MaintenanceWindow[];
  afterHoursPermits: AfterHoursPermit[];
  /** System-work records with link control (system-work.json). */
  systemWork: DemoSystemWork[];
  notes: string[];
  adjustmentsFor(day: DayInfo): DayAdjustments;
  /** Injects the scenarios of the day into the buffers and the IDS alert list. */
  inject(day: DayInfo, out: DayBuffers, alerts: IdsAlert[]): void;
  /** Drops events of nodes that are silent in a scenario. */
  applySilence(day: DayInfo, out: DayBuffers): void;
  labels(): { anomalies: Label[]; hard_negatives: Label[] };
}

/** Collects scenarios and offers the look-ups and session helpers they are written with. */
export class ScenarioBuilder {
  readonly registry: DemoWorldRegistry;
  readonly scenarios: Scenario[] = [];
  readonly maintenanceWindows: MaintenanceWindow[] = [];
  readonly afterHoursPermits: AfterHoursPermit[] = [];
  readonly systemWork: DemoSystemWork[] = [];
  readonly notes: string[] = [];
  private readonly picker: DayPicker;

  constructor(readonly world: DemoWorld) {
    this.registry = world.registry;
    this.picker = new DayPicker(world.days);
  }

  /**
   * Adds a scenario on the best day of the first kind in `days` the period has
   * (`slot` ∈ [0,1] is the preferred position). No kinds: a scenario about the
   * whole period, which takes no day.
   */
  add(s: Omit<Scenario, "day"> & { days: DayKind[]; slot: number }): Scenario {
    const day = s.days.length === 0 ? this.world.days[0] : this.picker.pick(s.days, s.slot, s.organization);
    const scenario: Scenario = { ...s, day };
    this.scenarios.push(scenario);
    return scenario;
  }

  org(code: string): DemoOrganization {
    const o = this.registry.byCode.get(code);
    if (!o) throw new Error(`unknown organisation ${code}`);
    return o;
  }

  /** Operator number `n` of an organisation (OP-<code>-00n). */
  operator(code: string, n: number): DemoOperator {
    const op = this.registry.operatorById.get(`OP-${code}-${pad(n, 3)}`);
    if (!op) throw new Error(`demo registry has no operator ${n} in ${code}`);
    return op;
  }

  /** The k-th operator of a prefectural department (the last one if it has fewer). */
  prefectureOperator(department: string, k = 0): DemoOperator {
    const ops = this.registry.prefecture.operators.filter((o) => o.department === department);
    if (ops.length === 0) throw new Error(`no prefectural operator in ${department}`);
    return ops[Math.min(k, ops.length - 1)];
  }

  /** Terminal n of an organisation, or its last one when it has fewer. */
  terminal(code: string, n: number): DemoTerminal {
    const ts = this.org(code).terminals;
    return ts[Math.min(n, ts.length) - 1];
  }

  /** Another terminal of the operator's organisation, `offset` places after their own. */
  otherTerminal(op: DemoOperator, offset: number): DemoTerminal {
    const ts = this.org(op.organization).terminals;
    const i = ts.indexOf(op.terminal!);
    return ts[(i + offset) % ts.length];
  }

  nodeOf(op: DemoOperator): string {
    return this.org(op.organization).nodeId;
  }

  hoursStart(code: string, day: DayInfo): number {
    return at(day, hoursOf(this.org(code).hours).start);
  }

  hoursEnd(code: string, day: DayInfo): number {
    return at(day, hoursOf(this.org(code).hours).end);
  }

  /** A municipal clerk's session at a fixed time: login, `build`'s events, `cases` ordinary cases, logout. */
  clerkSession(ctx: InjectContext, op: DemoOperator, start: number, cases: number, terminal = op.terminal, build?: (d: SessionDraft) => void): SessionDraft {
    const d = SessionDraft.at(op, terminal);
    d.login(ctx.rng, 0);
    build?.(d);
    const home = this.org(op.organization);
    for (let c = 0; c < cases; c++)
      municipalCase(ctx.world, d, ctx.rng, home, c === 0 ? ctx.rng.uniform(15, 60) * 1000 : ctx.rng.uniform(40, 200) * 1000, ctx.day.movingSeason);
    d.logout(ctx.rng);
    ctx.emit(this.nodeOf(op), d.placeAt(start));
    return d;
  }

  /** A clerk's session of ordinary cases lasting at least `minutes`; `windowed` false keeps it out of the label window. */
  longSession(ctx: InjectContext, op: DemoOperator, terminal: DemoTerminal, start: number, minutes: number, windowed = true): { start: number; end: number } {
    const d = SessionDraft.at(op, terminal);
    d.login(ctx.rng, 0);
    const home = this.org(op.organization);
    while (d.cursor < minutes * MINUTE_MS) municipalCase(ctx.world, d, ctx.rng, home, ctx.rng.uniform(40, 200) * 1000, ctx.day.movingSeason);
    d.logout(ctx.rng);
    (windowed ? ctx.emit : ctx.emitContext)(this.nodeOf(op), d.placeAt(start));
    return { start, end: start + d.cursor };
  }

  /** Declares a maintenance window of the scenario's organisation (registry `maintenance_windows`), clipped to the period. */
  declareMaintenance(s: Scenario, startTime: string, endDayOffset: number, endTime: string, note: string): [number, number] {
    const start = at(s.day, startTime);
    const end = Math.min(at(s.day, endTime) + endDayOffset * DAY_MS, this.world.to);
    s.maintenance = { organization: s.organization, start: isoJst(start), end: isoJst(end), note };
    this.maintenanceWindows.push(s.maintenance);
    return [start, end];
  }

  /** Registers approved after-hours work of operators of the scenario's organisation (registry `after_hours_permits`), clipped to the period. */
  declarePermit(s: Scenario, operators: DemoOperator[], startTime: string, endTime: string, reason: string): [number, number] {
    const start = at(s.day, startTime);
    const end = Math.min(at(s.day, endTime), this.world.to);
    s.permit = { organization: s.organization, operators: operators.map((o) => o.id), start: isoJst(start), end: isoJst(end), reason };
    this.afterHoursPermits.push(s.permit);
    return [start, end];
  }

  /** Records a system-work record of the scenario's organisation (console record, written to system-work.json). */
  recordSystemWork(s: Scenario, w: DemoSystemWork): void {
    s.systemWork = w;
    this.systemWork.push(w);
  }

  /** The plan the generator runs day by day. */
  build(): ScenarioPlan {
    if (!this.world.days.some((d) => d.business))
      this.notes.push("The period has no business day: scenarios meant for business days were placed on non-business days.");
    const { world, scenarios, maintenanceWindows, afterHoursPermits, systemWork, notes } = this;
    const byDay = new Map<string, Scenario[]>();
    for (const s of scenarios) {
      const list = byDay.get(s.day.key) ?? [];
      list.push(s);
      byDay.set(s.day.key, list);
    }
    maintenanceWindows.sort((a, b) => a.start.localeCompare(b.start));
    afterHoursPermits.sort((a, b) => a.start.localeCompare(b.start));
    const silences = scenarios.flatMap((s) => (s.silence ? [s.silence] : []));

    return {
      scenarios,
      maintenanceWindows,
      afterHoursPermits,
      systemWork: [...systemWork].sort((a, b) => a.link_control_set_at.localeCompare(b.link_control_set_at)),
      notes,
      adjustmentsFor(day) {
        const adjust = noAdjustments();
        for (const s of byDay.get(day.key) ?? []) {
          for (const op of s.operators ?? []) adjust.excludedOperators.add(op.id);
          if (s.operatorFactor) adjust.operatorFactor.set(...s.operatorFactor);
          if (s.batchFactor) adjust.batchFactor.set(...s.batchFactor);
        }
        return adjust;
      },
      inject(day, out, alerts) {
        (byDay.get(day.key) ?? []).forEach((s, i) => {
          if (!s.inject) return;
          const note = (t: number) => {
            s.span = s.span ? [Math.min(s.span[0], t), Math.max(s.span[1], t)] : [t, t];
          };
          const ctx: InjectContext = {
            world,
            day,
            rng: rngFor(world.seed, "scenario", day.key, i, s.rule ?? s.kind),
            emit(nodeId, events) {
              for (const e of events) {
                note(e.t);
                out.push(nodeId, e);
              }
            },
            alert(list) {
              for (const a of list) {
                note(a.t);
                alerts.push(a);
              }
            },
            emitContext(nodeId, events) {
              for (const e of events) out.push(nodeId, e);
            },
          };
          s.inject(ctx);
        });
      },
      applySilence(day, out) {
        for (const silence of silences) {
          if (silence.end <= day.midnight || silence.start >= day.midnight + DAY_MS) continue;
          const list = out.byNode.get(silence.nodeId);
          if (list)
            out.byNode.set(
              silence.nodeId,
              list.filter((e) => e.t < silence.start || e.t >= silence.end),
            );
        }
      },
      labels() {
        const toLabel = (s: Scenario, id: string): Label => {
          const window = s.window ?? s.span;
          if (!window) throw new Error(`scenario ${id} (${s.rule}) produced no events`);
          return {
            id,
            rule: s.rule!,
            organization: s.organization,
            entity: s.entity!,
            start: isoJst(window[0]),
            end: isoJst(window[1]),
            description: s.description,
          };
        };
        const byTime = (a: Scenario, b: Scenario) =>
          (a.window ?? a.span ?? [0])[0] - (b.window ?? b.span ?? [0])[0] || RULE_IDS.indexOf(a.rule!) - RULE_IDS.indexOf(b.rule!);
        const anomalies = scenarios.filter((s) => s.kind === "anomaly").sort(byTime);
        const negatives = scenarios.filter((s) => s.kind === "hard_negative").sort(byTime);
        return {
          anomalies: anomalies.map((s, i) => toLabel(s, `A${pad(i + 1, 3)}`)),
          hard_negatives: negatives.map((s, i) => toLabel(s, `H${pad(i + 1, 3)}`)),
        };
      },
    };
  }
}

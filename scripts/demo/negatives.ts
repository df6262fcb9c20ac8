/**
 * Hard negatives (normal data that a naive detector would flag, listed in
 * labels.json with the rule they must not trigger) and the demo subject, a
 * resident of 山口市 whose record is provided several times in the period
 * (for the disclosure page).
 */
import { at, DAY_MS, MINUTE_MS } from "./context";
import { NATIONAL_CODE, PREFECTURE_CODE } from "./registry";
import type { ScenarioBuilder } from "./scenarios";
import { JUKIHO, lookUp, municipalCase, SessionDraft } from "./sessions";
import { immediateProvision, STEADY_BUSY_OPERATORS } from "./traffic";

export function addHardNegatives(b: ScenarioBuilder): void {
  {
    const s = b.add({
      kind: "hard_negative",
      rule: "maintenance-window-update",
      organization: "352071",
      entity: { type: "organization", id: "352071" },
      description: "下松市: declared maintenance window with the link switched off; no updates arrive in it",
      days: ["business"],
      slot: 0.2,
    });
    s.window = b.declareMaintenance(s, "18:00", 0, "22:00", "住民記録システム改修テスト（連携停止）") as [number, number];
  }

  for (const [id, factor] of STEADY_BUSY_OPERATORS) {
    const op = b.registry.operatorById.get(id)!;
    const s = b.add({
      kind: "hard_negative",
      rule: "operator-volume-spike",
      organization: op.organization,
      entity: { type: "operator", id },
      description: `Operator ${id} works at about ${factor}× the volume of peers every business day: high but steady, not a spike`,
      days: [],
      slot: 0,
    });
    s.window = [b.world.from, b.world.to];
  }
  for (const o of [b.registry.prefecture, b.registry.national]) {
    const s = b.add({
      kind: "hard_negative",
      rule: "after-hours-access",
      organization: o.code,
      entity: { type: "node", id: o.nodeId },
      description: `Night-time online-batch provisions (01:00–04:30) and periodic notifications sent by ${o.nodeId} itself, with no operator (system activity); not operator work`,
      days: [],
      slot: 0,
    });
    s.window = [b.world.from, b.world.to];
  }
  {
    const s = b.add({
      kind: "hard_negative",
      rule: "provision-volume-anomaly",
      organization: NATIONAL_CODE,
      entity: { type: "recipient", id: "nenkin-kiko" },
      description: "Nightly online batches to 日本年金機構 carry tens of thousands of records every night: large but usual",
      days: [],
      slot: 0,
    });
    s.window = [b.world.from, b.world.to];
  }
  {
    const op = b.operator("352039", 5);
    b.add({
      kind: "hard_negative",
      rule: "auth-failure-burst",
      organization: "352039",
      entity: { type: "card", id: op.card! },
      description: `One mistyped password on ${op.card} followed by a successful login on the same card`,
      days: ["business"],
      slot: 0.3,
      operators: [op],
      inject: (ctx) => {
        const d = SessionDraft.at(op, op.terminal);
        d.login(ctx.rng, 1);
        ctx.emit(b.nodeOf(op), d.placeAt(at(ctx.day, "08:41", ctx.rng.uniform(0, 60))));
        const rest = SessionDraft.at(op, op.terminal);
        for (let c = 0; c < 5; c++) municipalCase(ctx.world, rest, ctx.rng, b.org("352039"), ctx.rng.uniform(40, 200) * 1000, ctx.day.movingSeason);
        rest.logout(ctx.rng);
        ctx.emitContext(b.nodeOf(op), rest.placeAt(d.events[d.events.length - 1].t));
      },
    });
  }
  {
    const op = b.operator("352039", 6);
    const subject = b.world.residents.reserve();
    b.add({
      kind: "hard_negative",
      rule: "subject-repeat-access",
      organization: "352039",
      entity: { type: "operator", id: op.id },
      description: `Counter clerk ${op.id} looked up the same resident twice in one day (morning certificate, afternoon follow-up)`,
      days: ["business"],
      slot: 0.45,
      operators: [op],
      inject: (ctx) => {
        b.clerkSession(ctx, op, at(ctx.day, "09:40", ctx.rng.uniform(0, 60)), 2, op.terminal, (d) => {
          lookUp(d, ctx.rng, ctx.rng.uniform(20, 60) * 1000, JUKIHO.wideAreaCertificate, subject, [1, 0, 0, 0]);
          d.step(ctx.rng.uniform(20, 60) * 1000, "print").subject(subject).recordCount = 1;
        });
        b.clerkSession(ctx, op, at(ctx.day, "14:10", ctx.rng.uniform(0, 60)), 2, op.terminal, (d) =>
          lookUp(d, ctx.rng, ctx.rng.uniform(20, 60) * 1000, JUKIHO.identityInquiry, subject, [1, 0, 0, 0]),
        );
      },
    });
  }
  {
    const op = b.operator("352012", 3);
    b.add({
      kind: "hard_negative",
      rule: "after-hours-access",
      organization: "352012",
      entity: { type: "operator", id: op.id },
      description: `Operator ${op.id} worked until about 17:25; 下関市's business hours end at 17:30, not the default 17:15`,
      days: ["business"],
      slot: 0.5,
      operators: [op],
      inject: (ctx) => {
        let cases = 4;
        for (;;) {
          const d = SessionDraft.at(op, op.terminal);
          d.login(ctx.rng, 0);
          for (let c = 0; c < cases; c++) municipalCase(ctx.world, d, ctx.rng, b.org("352012"), ctx.rng.uniform(40, 150) * 1000, ctx.day.movingSeason);
          d.logout(ctx.rng);
          const start = at(ctx.day, "17:27") - d.cursor;
          if (start >= at(ctx.day, "16:50") || cases === 1) {
            ctx.emit(b.nodeOf(op), d.placeAt(start));
            return;
          }
          cases--;
        }
      },
    });
  }
  {
    const op = b.operator("352021", 7);
    const second = b.otherTerminal(op, 1);
    b.add({
      kind: "hard_negative",
      rule: "concurrent-session",
      organization: "352021",
      entity: { type: "operator", id: op.id },
      description: `Operator ${op.id} logged out of ${op.terminal!.id} and logged in at ${second.id} four minutes later: consecutive, not concurrent`,
      days: ["business"],
      slot: 0.55,
      operators: [op],
      inject: (ctx) => {
        const a = b.longSession(ctx, op, op.terminal!, at(ctx.day, "09:10", ctx.rng.uniform(0, 60)), 40);
        b.longSession(ctx, op, second, a.end + 4 * MINUTE_MS, 30);
      },
    });
  }
  const season = b.world.days.filter((d) => d.movingSeason);
  if (season.length > 0) {
    const s = b.add({
      kind: "hard_negative",
      rule: "maintenance-window-update",
      organization: "352039",
      entity: { type: "organization", id: "352039" },
      description:
        "Moving season (March–April): updates pushed by the 住民記録システム after counter work and move-in notices roughly double, all in business hours",
      days: [],
      slot: 0,
    });
    s.window = [season[0].midnight, season[season.length - 1].midnight + DAY_MS - 1];
  } else {
    b.notes.push(
      "The period does not include March or April, so there is no moving-season hard negative (updates in business hours at double the usual rate).",
    );
  }
  addSystemHardNegatives(b);
}

/** Hard negatives of system-originated traffic and approved or expected quiet/overtime (issue 11). */
function addSystemHardNegatives(b: ScenarioBuilder): void {
  {
    const o = b.org("352012");
    const s = b.add({
      kind: "hard_negative",
      rule: "maintenance-window-update",
      organization: o.code,
      entity: { type: "organization", id: o.code },
      description: `${o.name}: the 住民記録システム pushes the counters' record changes (move_in, move_out, relocation, birth, death …) to ${o.nodeId} all day on business days, with no operator; no maintenance window is declared, so none of it is an incident`,
      days: [],
      slot: 0,
    });
    s.window = [b.world.from, b.world.to];
  }
  {
    const o = b.registry.municipalities.find((m) => m.businessDaysOnly)!;
    const s = b.add({
      kind: "hard_negative",
      rule: "node-silence",
      organization: o.code,
      entity: { type: "node", id: o.nodeId },
      description: `${o.nodeId} (${o.name}) sends only on business days, in business hours; it is registered with expected_interval_minutes ${o.expectedIntervalMinutes}, which covers nights, weekends and a long weekend (Friday evening to Tuesday morning)`,
      days: [],
      slot: 0,
    });
    s.window = [b.world.from, b.world.to];
  }
  {
    const code = "352039";
    const op = b.operator(code, 3);
    const s = b.add({
      kind: "hard_negative",
      rule: "after-hours-access",
      organization: code,
      entity: { type: "operator", id: op.id },
      description: "",
      days: ["monthEnd", "business"],
      slot: 0.25,
      inject: (ctx) => {
        // Month-end overtime at the usual terminal after the day's normal work, slower than at the counter;
        // at most as many cases as fit in the permit (ten cases, about ten minutes each, end well before 20:30).
        const cases = Math.min(10, Math.max(3, Math.round(6 * Math.sqrt(ctx.world.scale))));
        const d = SessionDraft.at(op, op.terminal);
        d.login(ctx.rng, 0);
        for (let c = 0; c < cases; c++) municipalCase(ctx.world, d, ctx.rng, b.org(code), ctx.rng.uniform(4, 12) * MINUTE_MS, ctx.day.movingSeason);
        d.logout(ctx.rng);
        ctx.emit(b.nodeOf(op), d.placeAt(b.hoursEnd(code, ctx.day) + 12 * MINUTE_MS + ctx.rng.uniform(0, 60) * 1000));
      },
    });
    b.declarePermit(s, [op], "17:00", "20:30", "月末の転入届・証明書発行の集中処理（時間外使用承認）");
    s.description = `Operator ${op.id} (山口市) worked after hours ${s.day.monthEnd ? "at month end" : "(the period has no month end)"}, inside the after-hours permit registered for ${s.day.key} 17:00–20:30`;
  }
}

/** Registers the demo subject's provisions and look-ups; returns what labels.json records about them. */
export function addDemoSubject(b: ScenarioBuilder): { residentCode: string; organization: string; provisions: number } {
  const demoCode = "352039";
  const demoSubject = b.world.residents.reserve();
  const provisionItems = ["1-1", "1-4", "1-2", "1-5"];
  provisionItems.forEach((item, i) => {
    b.add({
      kind: "demo",
      organization: NATIONAL_CODE,
      description: `demo subject provision ${item}`,
      days: ["business"],
      slot: 0.1 + i * 0.25,
      inject: (ctx) =>
        ctx.emit(b.registry.national.nodeId, [immediateProvision(at(ctx.day, ctx.rng.range(600, 960), ctx.rng.uniform(0, 60)), item, demoSubject)]),
    });
  });
  for (const [n, slot, time] of [
    [2, 0.2, "10:20"],
    [8, 0.7, "14:40"],
  ] as const) {
    const op = b.operator(demoCode, n);
    b.add({
      kind: "demo",
      organization: demoCode,
      description: "demo subject certificate at the counter",
      days: ["business"],
      slot,
      operators: [op],
      inject: (ctx) =>
        b.clerkSession(ctx, op, at(ctx.day, time, ctx.rng.uniform(0, 60)), 2, op.terminal, (d) => {
          lookUp(d, ctx.rng, ctx.rng.uniform(20, 60) * 1000, JUKIHO.wideAreaCertificate, demoSubject, [0.5, 0.5, 0, 0]);
          d.step(ctx.rng.uniform(20, 60) * 1000, "print").subject(demoSubject).recordCount = 1;
        }),
    });
  }
  {
    const op = b.prefectureOperator("旅券センター", 1);
    b.add({
      kind: "demo",
      organization: PREFECTURE_CODE,
      description: "demo subject passport check",
      days: ["business"],
      slot: 0.5,
      operators: [op],
      inject: (ctx) => {
        const d = SessionDraft.at(op, op.terminal);
        d.login(ctx.rng, 0);
        lookUp(d, ctx.rng, ctx.rng.uniform(20, 60) * 1000, { schedule: "5", item: "5-5" }, demoSubject, [0, 1, 0, 0]);
        d.logout(ctx.rng);
        ctx.emit(b.registry.prefecture.nodeId, d.placeAt(at(ctx.day, "11:15", ctx.rng.uniform(0, 60))));
      },
    });
  }
  return { residentCode: demoSubject, organization: demoCode, provisions: provisionItems.length };
}

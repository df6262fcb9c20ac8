/**
 * The labelled anomalies: two per detection rule (INTERFACE.md §4), in
 * different organisations and on different days, each clearly one thing.
 * Descriptions are what labels.json shows; entities are what a detector is
 * expected to name.
 */
import { holidayName } from "../../lib/calendar";
import { at, MINUTE_MS } from "./context";
import { AccessEvent, RESIDENT_RECORDS_SYSTEM, type ChangeReason } from "./events";
import { ATTACK_SIGNATURES, makeAlert, type IdsAlert, type Signature } from "./ids";
import { NATIONAL_CODE, PREFECTURE_CODE, type DemoOperator } from "./registry";
import type { InjectContext, ScenarioBuilder } from "./scenarios";
import { JUKIHO, lookUp, municipalCase, PREFECTURE_KINDS, search, SessionDraft, view, type Purpose } from "./sessions";
import { immediatePerBusinessDay, immediateProvision } from "./traffic";

export function addAnomalies(b: ScenarioBuilder): void {
  // ---------------------------------------------------------------- after-hours-access
  {
    const op = b.operator("352021", 5);
    b.add({
      kind: "anomaly", rule: "after-hours-access", organization: "352021", entity: { type: "operator", id: op.id },
      description: `Operator ${op.id} (宇部市) logged in and searched/viewed residents late at night, between 22:00 and 23:00`,
      days: ["business"], slot: 0.55,
      inject: (ctx) => b.clerkSession(ctx, op, at(ctx.day, "22:04", ctx.rng.uniform(0, 60)), 6),
    });
  }
  {
    const op = b.operator("352110", 3);
    const s = b.add({
      kind: "anomaly", rule: "after-hours-access", organization: "352110", entity: { type: "operator", id: op.id },
      description: "", days: ["holiday", "sunday", "nonbusiness", "business"], slot: 0.3,
      inject: (ctx) => b.clerkSession(ctx, op, at(ctx.day, ctx.day.business ? "06:10" : "10:12", ctx.rng.uniform(0, 60)), 5),
    });
    s.description = s.day.business
      ? `Operator ${op.id} (長門市) worked at 06:10, before business hours (the period has no weekend or holiday)`
      : `Operator ${op.id} (長門市) logged in and searched residents on a non-business day (${s.day.weekday === 0 ? "Sunday" : s.day.weekday === 6 ? "Saturday" : holidayName(s.day.key) ? `national holiday ${holidayName(s.day.key)}` : "year-end closure"})`;
  }

  // ---------------------------------------------------------------- operator-volume-spike
  for (const [code, n, slot, name] of [["352039", 4, 0.7, "山口市"], ["352063", 3, 0.45, "防府市"]] as const) {
    const op = b.operator(code, n);
    const s = b.add({
      kind: "anomaly", rule: "operator-volume-spike", organization: code, entity: { type: "operator", id: op.id },
      description: `Operator ${op.id} (${name}) searched and viewed about ten times their usual daily volume, within business hours`,
      days: ["business"], slot, operatorFactor: [op.id, 10],
    });
    s.window = [b.hoursStart(code, s.day), b.hoursEnd(code, s.day)];
  }

  // ---------------------------------------------------------------- broad-query
  {
    const op = b.operator("352047", 2);
    b.add({
      kind: "anomaly", rule: "broad-query", organization: "352047", entity: { type: "operator", id: op.id },
      description: `Operator ${op.id} (萩市) ran name-only and address-only searches returning dozens to hundreds of residents`,
      days: ["business"], slot: 0.2, operators: [op],
      inject: (ctx) =>
        b.clerkSession(ctx, op, at(ctx.day, "10:31", ctx.rng.uniform(0, 60)), 1, op.terminal, (d) => {
          for (let i = 0; i < 5; i++) {
            const e = search(d, ctx.rng.uniform(40, 120) * 1000, JUKIHO.identityInquiry, undefined, i < 3 ? "name_only" : "address_only", i < 3 ? ctx.rng.range(40, 180) : ctx.rng.range(60, 250));
            e.wildcard = false;
          }
        }),
    });
  }
  {
    const op = b.operator("352021", 3);
    b.add({
      kind: "anomaly", rule: "broad-query", organization: "352021", entity: { type: "operator", id: op.id },
      description: `Operator ${op.id} (宇部市) ran wildcard four-information searches returning 300–650 records each`,
      days: ["business"], slot: 0.8, operators: [op],
      inject: (ctx) =>
        b.clerkSession(ctx, op, at(ctx.day, "14:02", ctx.rng.uniform(0, 60)), 1, op.terminal, (d) => {
          for (let i = 0; i < 4; i++) {
            const e = search(d, ctx.rng.uniform(30, 90) * 1000, JUKIHO.identityInquiry, undefined, "four_info", ctx.rng.range(300, 650));
            e.wildcard = true;
          }
        }),
    });
  }

  // ---------------------------------------------------------------- purpose-not-permitted
  {
    const op = b.operator("352136", 2);
    const purpose: Purpose = { schedule: "5", item: "5-1" };
    b.add({
      kind: "anomaly", rule: "purpose-not-permitted", organization: "352136", entity: { type: "operator", id: op.id },
      description: `Municipal operator ${op.id} (美祢市) searched and viewed residents for 別表第5 item 5-1 (prefectural tax), a purpose not permitted to a municipality`,
      days: ["business"], slot: 0.35, operators: [op],
      inject: (ctx) =>
        b.clerkSession(ctx, op, at(ctx.day, "10:44", ctx.rng.uniform(0, 60)), 1, op.terminal, (d) => {
          for (let i = 0; i < 4; i++) lookUp(d, ctx.rng, ctx.rng.uniform(40, 150) * 1000, purpose, ctx.world.residents.local(ctx.rng, "352136"), [0.2, 0.6, 0.2, 0]);
        }),
    });
  }
  {
    const op = b.prefectureOperator("税務課");
    const purpose: Purpose = { schedule: "ordinance", item: "ordinance-20" };
    b.add({
      kind: "anomaly", rule: "purpose-not-permitted", organization: PREFECTURE_CODE, entity: { type: "operator", id: op.id },
      description: `Prefectural operator ${op.id} (税務課) used ordinance item ordinance-20 (debtor tracing), which is not among 山口県's permitted ordinance items`,
      days: ["business"], slot: 0.6, operators: [op],
      inject: (ctx) => {
        const d = SessionDraft.at(op, op.terminal);
        d.login(ctx.rng, 0);
        for (let i = 0; i < 5; i++) {
          // Two ordinary tax look-ups, then three under the ordinance item the prefecture has not registered.
          const used = i < 2 ? op.purposes!.pick(ctx.rng) : purpose;
          lookUp(d, ctx.rng, ctx.rng.uniform(40, 150) * 1000, used, ctx.world.residents.anywhere(ctx.rng), PREFECTURE_KINDS);
        }
        d.logout(ctx.rng);
        ctx.emit(b.registry.prefecture.nodeId, d.placeAt(at(ctx.day, "14:21", ctx.rng.uniform(0, 60))));
      },
    });
  }

  // ---------------------------------------------------------------- subject-repeat-access
  {
    const op = b.operator("352152", 6);
    const subject = b.world.residents.reserve();
    b.add({
      kind: "anomaly", rule: "subject-repeat-access", organization: "352152", entity: { type: "operator", id: op.id },
      description: `Operator ${op.id} (周南市) looked up the same resident 12 times within an hour`,
      days: ["business"], slot: 0.25, operators: [op],
      inject: (ctx) =>
        b.clerkSession(ctx, op, at(ctx.day, "13:10", ctx.rng.uniform(0, 60)), 1, op.terminal, (d) => {
          for (let i = 0; i < 12; i++) {
            search(d, ctx.rng.uniform(150, 260) * 1000, JUKIHO.identityInquiry, subject, "resident_code", 1);
            view(d, ctx.rng.uniform(4, 20) * 1000, JUKIHO.identityInquiry, subject);
          }
        }),
    });
  }
  {
    const subject = b.world.residents.reserve();
    const lookers: [DemoOperator, string, Purpose][] = [
      [b.operator("352071", 2), "09:20", JUKIHO.identityInquiry],
      [b.operator("352152", 9), "10:45", JUKIHO.wideAreaCertificate],
      [b.operator("352063", 6), "11:30", JUKIHO.identityInquiry],
      [b.operator("352101", 3), "13:50", JUKIHO.identityInquiry],
      [b.prefectureOperator("旅券センター"), "15:05", { schedule: "5", item: "5-5" }],
    ];
    b.add({
      kind: "anomaly", rule: "subject-repeat-access", organization: "352071", entity: { type: "subject", id: subject },
      description: "One resident of 下松市 was looked up by five operators of five different organisations within one day",
      days: ["business"], slot: 0.5, operators: lookers.map(([op]) => op),
      inject: (ctx) => {
        for (const [op, time, purpose] of lookers) {
          const d = SessionDraft.at(op, op.terminal);
          d.login(ctx.rng, 0);
          lookUp(d, ctx.rng, ctx.rng.uniform(20, 60) * 1000, purpose, subject, [0.5, 0.5, 0, 0]);
          d.logout(ctx.rng);
          ctx.emit(b.nodeOf(op), d.placeAt(at(ctx.day, time, ctx.rng.uniform(0, 60))));
        }
      },
    });
  }

  // ---------------------------------------------------------------- enumeration-scan
  {
    const op = b.operator("352152", 4);
    b.add({
      kind: "anomaly", rule: "enumeration-scan", organization: "352152", entity: { type: "operator", id: op.id },
      description: `Operator ${op.id} (周南市) searched 240 consecutive resident codes in about 26 minutes (code walk)`,
      days: ["business"], slot: 0.65, operators: [op],
      inject: (ctx) =>
        b.clerkSession(ctx, op, at(ctx.day, "15:05", ctx.rng.uniform(0, 60)), 0, op.terminal, (d) => {
          const base = Number(`${1 + ctx.rng.int(9)}${ctx.rng.digits(7)}100`);
          for (let i = 0; i < 240; i++) {
            const code = String(base + i);
            const hit = ctx.rng.chance(0.3);
            search(d, ctx.rng.uniform(4, 9) * 1000, JUKIHO.identityInquiry, code, "resident_code", hit ? 1 : 0);
            if (hit) view(d, ctx.rng.uniform(1, 3) * 1000, JUKIHO.identityInquiry, code);
          }
        }),
    });
  }
  {
    const op = b.operator("352012", 6);
    b.add({
      kind: "anomaly", rule: "enumeration-scan", organization: "352012", entity: { type: "terminal", id: op.terminal!.id },
      description: `Operator ${op.id} at terminal ${op.terminal!.id} (下関市) looked up 220 distinct residents by four-information search in under 30 minutes`,
      days: ["business"], slot: 0.15, operators: [op],
      inject: (ctx) =>
        b.clerkSession(ctx, op, at(ctx.day, "09:40", ctx.rng.uniform(0, 60)), 0, op.terminal, (d) => {
          const seen = new Set<string>();
          while (seen.size < 220) {
            const subject = ctx.world.residents.anywhere(ctx.rng);
            if (seen.has(subject)) continue;
            seen.add(subject);
            search(d, ctx.rng.uniform(5, 9) * 1000, JUKIHO.identityInquiry, subject, "four_info", 1);
            if (ctx.rng.chance(0.3)) view(d, ctx.rng.uniform(1, 3) * 1000, JUKIHO.identityInquiry, subject);
          }
        }),
    });
  }

  // ---------------------------------------------------------------- auth-failure-burst
  {
    const op = b.operator("352080", 4);
    const admin = b.operator("352080", 1);
    b.add({
      kind: "anomaly", rule: "auth-failure-burst", organization: "352080", entity: { type: "card", id: op.card! },
      description: `IC card ${op.card} (岩国市): six wrong passwords within minutes, then the card was locked (unlocked later that day by ${admin.department})`,
      days: ["business"], slot: 0.4, operators: [op, admin],
      inject: (ctx) => {
        const d = SessionDraft.at(op, op.terminal);
        for (let i = 0; i < 6; i++) d.authFailure(ctx.rng.uniform(12, 40) * 1000);
        const lock = d.step(2000, "card_locked");
        lock.authMethod = op.authMethod;
        lock.cardId = op.card;
        ctx.emit(b.nodeOf(op), d.placeAt(at(ctx.day, "13:20", ctx.rng.uniform(0, 60))));
        // Released by the information-systems section, not by the operator's own counter.
        const u = SessionDraft.at(admin, admin.terminal);
        u.login(ctx.rng, 0);
        const unlock = u.step(ctx.rng.uniform(30, 90) * 1000, "card_unlocked");
        unlock.cardId = op.card;
        u.logout(ctx.rng);
        const unlockEvents = u.placeAt(at(ctx.day, "15:38", ctx.rng.uniform(0, 60)));
        const resume = SessionDraft.at(op, op.terminal);
        resume.login(ctx.rng, 0);
        for (let c = 0; c < 3; c++) municipalCase(ctx.world, resume, ctx.rng, b.org("352080"), ctx.rng.uniform(30, 120) * 1000, ctx.day.movingSeason);
        resume.logout(ctx.rng);
        const resumed = resume.placeAt(at(ctx.day, "15:52", ctx.rng.uniform(0, 60)));
        // Only the failures and the lock make the label window; the rest is context.
        ctx.emitContext(b.nodeOf(op), [...unlockEvents, ...resumed]);
      },
    });
  }
  {
    const code = "352012";
    const term = b.terminal(code, 5);
    const owners = [7, 8, 9, 10].map((n) => b.operator(code, n));
    b.add({
      kind: "anomaly", rule: "auth-failure-burst", organization: code, entity: { type: "terminal", id: term.id },
      description: `Terminal ${term.id} (下関市): failed logins with four different operators' IC cards within ten minutes, none successful`,
      days: ["business"], slot: 0.75, operators: owners,
      inject: (ctx) => {
        // Someone at this terminal tries the cards of colleagues who are away that day.
        let start = at(ctx.day, "12:14", ctx.rng.uniform(0, 60));
        for (const owner of owners) {
          const d = SessionDraft.at(owner, term);
          const n = ctx.rng.range(1, 2);
          for (let i = 0; i < n; i++) d.authFailure(ctx.rng.uniform(10, 30) * 1000);
          ctx.emit(b.org(code).nodeId, d.placeAt(start));
          start += d.cursor + Math.round(ctx.rng.uniform(40, 100) * 1000);
        }
      },
    });
  }

  // ---------------------------------------------------------------- concurrent-session
  for (const [code, n, first, offset, aMinutes, bMinutes, slot, name] of [
    ["352039", 7, "09:05", 75, 150, 35, 0.3, "山口市"],
    ["352152", 8, "13:30", 35, 100, 30, 0.85, "周南市"],
  ] as const) {
    const op = b.operator(code, n);
    const second = b.otherTerminal(op, Math.max(1, Math.floor(b.org(code).terminals.length / 2)));
    b.add({
      kind: "anomaly", rule: "concurrent-session", organization: code, entity: { type: "operator", id: op.id },
      description: `Operator ${op.id} (${name}) was logged in and working at ${op.terminal!.id} and ${second.id} at the same time`,
      days: ["business"], slot, operators: [op],
      inject: (ctx) => {
        const a = at(ctx.day, first, ctx.rng.uniform(0, 60));
        b.longSession(ctx, op, op.terminal!, a, aMinutes, false);
        b.longSession(ctx, op, second, a + offset * MINUTE_MS, bMinutes);
      },
    });
  }

  // ---------------------------------------------------------------- unregistered-terminal
  {
    const op = b.operator("352063", 5);
    const host = "TM-352063-99";
    const ip = `10.35.${b.org("352063").network}.250`;
    b.add({
      kind: "anomaly", rule: "unregistered-terminal", organization: "352063", entity: { type: "host", id: host },
      description: `Operator ${op.id} (防府市) worked from host ${host} (${ip}), which is not a registered terminal`,
      days: ["business"], slot: 0.1, operators: [op],
      inject: (ctx) => {
        const d = new SessionDraft(op, host, ip);
        d.login(ctx.rng, 0);
        for (let c = 0; c < 5; c++) municipalCase(ctx.world, d, ctx.rng, b.org("352063"), ctx.rng.uniform(40, 150) * 1000, ctx.day.movingSeason);
        d.logout(ctx.rng);
        ctx.emit(b.nodeOf(op), d.placeAt(at(ctx.day, "14:10", ctx.rng.uniform(0, 60))));
      },
    });
  }
  {
    const op = b.operator("352128", 3);
    const term = b.terminal("352128", 2);
    const ip = `10.35.${b.org("352128").network}.251`;
    b.add({
      kind: "anomaly", rule: "unregistered-terminal", organization: "352128", entity: { type: "terminal", id: term.id },
      description: `Operator ${op.id} (柳井市) used registered terminal id ${term.id} from unregistered address ${ip} (registered ${term.ip})`,
      days: ["business"], slot: 0.9, operators: [op],
      inject: (ctx) => {
        const d = new SessionDraft(op, term.id, ip);
        d.login(ctx.rng, 0);
        for (let c = 0; c < 4; c++) municipalCase(ctx.world, d, ctx.rng, b.org("352128"), ctx.rng.uniform(40, 150) * 1000, ctx.day.movingSeason);
        d.logout(ctx.rng);
        ctx.emit(b.nodeOf(op), d.placeAt(at(ctx.day, "10:30", ctx.rng.uniform(0, 60))));
      },
    });
  }

  // ---------------------------------------------------------------- maintenance-window-update
  {
    const s = b.add({
      kind: "anomaly", rule: "maintenance-window-update", organization: "352152", entity: { type: "organization", id: "352152" },
      description: "", days: ["saturday", "nonbusiness", "business"], slot: 0.4,
      inject: (ctx) => updateBurst(b, ctx, "352152", at(ctx.day, "19:10", ctx.rng.uniform(0, 60)), 180, 42),
    });
    const weekend = !s.day.business;
    b.declareMaintenance(s, weekend ? "18:00" : "18:30", weekend ? 1 : 0, weekend ? "06:00" : "23:00", "住民記録システム改修テスト");
    s.description = "周南市: 180 identity-record updates pushed by the 住民記録システム, no operator, arrived during the declared test window (test data flowing into the CS, 連携制御 not switched off)";
  }
  {
    const s = b.add({
      kind: "anomaly", rule: "maintenance-window-update", organization: "352080", entity: { type: "organization", id: "352080" },
      description: "", days: ["sunday", "nonbusiness", "business"], slot: 0.8,
      inject: (ctx) => updateBurst(b, ctx, "352080", at(ctx.day, ctx.day.business ? "19:40" : "11:05", ctx.rng.uniform(0, 60)), 90, 28),
    });
    if (s.day.business) b.declareMaintenance(s, "18:00", 0, "23:30", "システム更改");
    else b.declareMaintenance(s, "08:00", 0, "18:00", "システム更改");
    s.description = "岩国市: 90 identity-record updates pushed by the 住民記録システム, no operator, during the declared system-renewal window";
  }
  // ---------------------------------------------------------------- node-silence
  {
    const o = b.org("353051");
    const s = b.add({
      kind: "anomaly", rule: "node-silence", organization: o.code, entity: { type: "node", id: o.nodeId },
      description: `${o.nodeId} (周防大島町) sent nothing during the last eight hours of the period`,
      days: ["last"], slot: 1,
    });
    const start = at(s.day, "16:00");
    s.silence = { nodeId: o.nodeId, start, end: b.world.to + 1 };
    s.window = [start, b.world.to];
  }
  {
    const o = b.org("352136");
    const s = b.add({
      kind: "anomaly", rule: "node-silence", organization: o.code, entity: { type: "node", id: o.nodeId },
      description: `${o.nodeId} (美祢市) sent nothing for five and a half hours on a business day (line failure)`,
      days: ["business"], slot: 0.55,
    });
    const start = at(s.day, "10:00");
    const end = at(s.day, "15:30");
    s.silence = { nodeId: o.nodeId, start, end };
    s.window = [start, end];
  }

  // ---------------------------------------------------------------- ids-alert
  for (const [code, n, termNo, time, alertAfter, signatures, src, slot, name] of [
    ["352021", 2, 3, "10:02", 12, [ATTACK_SIGNATURES.smbProbe, ATTACK_SIGNATURES.smbProbe, ATTACK_SIGNATURES.smbExploit, ATTACK_SIGNATURES.smbExploit, ATTACK_SIGNATURES.smbExploit], "10.35.2.203", 0.2, "宇部市"],
    ["352080", 2, 2, "14:30", 11, [ATTACK_SIGNATURES.rdpBrute, ATTACK_SIGNATURES.rdpBrute, ATTACK_SIGNATURES.rdpBrute, ATTACK_SIGNATURES.rdpBrute, ATTACK_SIGNATURES.trojan], "172.16.8.77", 0.7, "岩国市"],
  ] as const) {
    const op = b.operator(code, n);
    const term = b.terminal(code, termNo);
    b.add({
      kind: "anomaly", rule: "ids-alert", organization: code, entity: { type: "terminal", id: term.id },
      description: `High-severity IDS alerts against registered terminal ${term.id} (${term.ip}, ${name}) while operator ${op.id} was working at it`,
      days: ["business"], slot, operators: [op],
      inject: (ctx) => {
        const start = at(ctx.day, time, ctx.rng.uniform(0, 60));
        b.longSession(ctx, op, term, start, 30, false);
        let t = start + alertAfter * MINUTE_MS;
        const alerts: IdsAlert[] = [];
        for (const sig of signatures as readonly Signature[]) {
          alerts.push(makeAlert(ctx.rng, t, sig, src, term.ip));
          t += Math.round(ctx.rng.uniform(40, 120) * 1000);
        }
        ctx.alert(alerts);
      },
    });
  }

  // ---------------------------------------------------------------- provision-volume-anomaly
  {
    const s = b.add({
      kind: "anomaly", rule: "provision-volume-anomaly", organization: PREFECTURE_CODE, entity: { type: "recipient", id: "todofuken-chiji" },
      description: "Night online batch of 別表第3 item 3-1 (都道府県知事) carried about ten times its usual record count",
      days: ["batchNight"], slot: 0.6, batchFactor: ["3-1", 10],
    });
    s.window = [at(s.day, "01:00"), at(s.day, "04:00")];
  }
  {
    const perDay = immediatePerBusinessDay("1-7") * b.world.scale;
    const count = Math.max(120, Math.round(12 * perDay));
    b.add({
      kind: "anomaly", rule: "provision-volume-anomaly", organization: NATIONAL_CODE, entity: { type: "recipient", id: "kokka-koumuin-kyosai" },
      description: `${count} immediate provisions to 国家公務員共済組合連合会 (別表第1 item 1-7) in one day, against about ${Math.max(1, Math.round(perDay))} on a usual day`,
      days: ["business"], slot: 0.5,
      inject: (ctx) => {
        const start = at(ctx.day, "10:00");
        const events: AccessEvent[] = [];
        for (let i = 0; i < count; i++) events.push(immediateProvision(start + ctx.rng.int(6 * 60 * MINUTE_MS), "1-7", ctx.world.residents.anywhere(ctx.rng)));
        ctx.emit(b.registry.national.nodeId, events);
      },
    });
  }

  // ---------------------------------------------------------------- bulk-export
  {
    const op = b.operator("352161", 3);
    b.add({
      kind: "anomaly", rule: "bulk-export", organization: "352161", entity: { type: "operator", id: op.id },
      description: `Operator ${op.id} (山陽小野田市) exported 3,200 identity records to a file`,
      days: ["business"], slot: 0.35, operators: [op],
      inject: (ctx) =>
        b.clerkSession(ctx, op, at(ctx.day, "16:20", ctx.rng.uniform(0, 60)), 0, op.terminal, (d) => {
          d.step(ctx.rng.uniform(30, 90) * 1000, "export").recordCount = 3200;
        }),
    });
  }
  {
    const op = b.operator("352101", 2);
    b.add({
      kind: "anomaly", rule: "bulk-export", organization: "352101", entity: { type: "operator", id: op.id },
      description: `Operator ${op.id} (光市) printed 1,850 identity records in one job`,
      days: ["business"], slot: 0.6, operators: [op],
      inject: (ctx) =>
        b.clerkSession(ctx, op, at(ctx.day, "11:05", ctx.rng.uniform(0, 60)), 1, op.terminal, (d) => {
          d.step(ctx.rng.uniform(30, 90) * 1000, "print").recordCount = 1850;
        }),
    });
  }
}

/** A burst of record updates pushed by the resident-records system through the CS link: system activity, no `user.id` (seed 000). */
function updateBurst(b: ScenarioBuilder, ctx: InjectContext, code: string, start: number, count: number, minutes: number): void {
  const o = b.org(code);
  const reasons: ChangeReason[] = ["correction", "correction", "relocation", "relocation", "name_change", "move_out"];
  const events: AccessEvent[] = [];
  for (let i = 0; i < count; i++) {
    const e = new AccessEvent(start + Math.round((i / count) * minutes * MINUTE_MS) + ctx.rng.int(8000), "update", "success", code, undefined, undefined, undefined);
    e.residentCode = ctx.world.residents.local(ctx.rng, code);
    e.recordCount = 1;
    e.changeReason = ctx.rng.pick(reasons);
    e.changeSource = RESIDENT_RECORDS_SYSTEM;
    events.push(e);
  }
  ctx.emit(o.nodeId, events);
}

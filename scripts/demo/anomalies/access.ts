/**
 * Anomalies of sign-in and terminals: auth-failure-burst, concurrent-session
 * and unregistered-terminal.
 */
import { at, MINUTE_MS } from "../context";
import type { ScenarioBuilder } from "../scenarios";
import { municipalCase, SessionDraft } from "../sessions";

export function addAccessAnomalies(b: ScenarioBuilder): void {
  // ---------------------------------------------------------------- auth-failure-burst
  {
    const op = b.operator("352080", 4);
    const admin = b.operator("352080", 1);
    b.add({
      kind: "anomaly",
      rule: "auth-failure-burst",
      organization: "352080",
      entity: { type: "card", id: op.card! },
      description: `IC card ${op.card} (岩国市): six wrong passwords within minutes, then the card was locked (unlocked later that day by ${admin.department})`,
      days: ["business"],
      slot: 0.4,
      operators: [op, admin],
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
      kind: "anomaly",
      rule: "auth-failure-burst",
      organization: code,
      entity: { type: "terminal", id: term.id },
      description: `Terminal ${term.id} (下関市): failed logins with four different operators' IC cards within ten minutes, none successful`,
      days: ["business"],
      slot: 0.75,
      operators: owners,
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
      kind: "anomaly",
      rule: "concurrent-session",
      organization: code,
      entity: { type: "operator", id: op.id },
      description: `Operator ${op.id} (${name}) was logged in and working at ${op.terminal!.id} and ${second.id} at the same time`,
      days: ["business"],
      slot,
      operators: [op],
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
      kind: "anomaly",
      rule: "unregistered-terminal",
      organization: "352063",
      entity: { type: "host", id: host },
      description: `Operator ${op.id} (防府市) worked from host ${host} (${ip}), which is not a registered terminal`,
      days: ["business"],
      slot: 0.1,
      operators: [op],
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
      kind: "anomaly",
      rule: "unregistered-terminal",
      organization: "352128",
      entity: { type: "terminal", id: term.id },
      description: `Operator ${op.id} (柳井市) used registered terminal id ${term.id} from unregistered address ${ip} (registered ${term.ip})`,
      days: ["business"],
      slot: 0.9,
      operators: [op],
      inject: (ctx) => {
        const d = new SessionDraft(op, term.id, ip);
        d.login(ctx.rng, 0);
        for (let c = 0; c < 4; c++) municipalCase(ctx.world, d, ctx.rng, b.org("352128"), ctx.rng.uniform(40, 150) * 1000, ctx.day.movingSeason);
        d.logout(ctx.rng);
        ctx.emit(b.nodeOf(op), d.placeAt(at(ctx.day, "10:30", ctx.rng.uniform(0, 60))));
      },
    });
  }
}

/**
 * Anomalies of which residents were looked up: subject-repeat-access and
 * enumeration-scan.
 */
import { at } from "../context";
import type { DemoOperator } from "../registry";
import type { ScenarioBuilder } from "../scenarios";
import { JUKIHO, lookUp, search, SessionDraft, view, type Purpose } from "../sessions";

export function addSubjectAnomalies(b: ScenarioBuilder): void {
  // ---------------------------------------------------------------- subject-repeat-access
  {
    const op = b.operator("352152", 6);
    const subject = b.world.residents.reserve();
    b.add({
      kind: "anomaly",
      rule: "subject-repeat-access",
      organization: "352152",
      entity: { type: "operator", id: op.id },
      description: `Operator ${op.id} (周南市) looked up the same resident 12 times within an hour`,
      days: ["business"],
      slot: 0.25,
      operators: [op],
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
      kind: "anomaly",
      rule: "subject-repeat-access",
      organization: "352071",
      entity: { type: "subject", id: subject },
      description: "One resident of 下松市 was looked up by five operators of five different organisations within one day",
      days: ["business"],
      slot: 0.5,
      operators: lookers.map(([op]) => op),
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
      kind: "anomaly",
      rule: "enumeration-scan",
      organization: "352152",
      entity: { type: "operator", id: op.id },
      description: `Operator ${op.id} (周南市) searched 240 consecutive resident codes in about 26 minutes (code walk)`,
      days: ["business"],
      slot: 0.65,
      operators: [op],
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
      kind: "anomaly",
      rule: "enumeration-scan",
      organization: "352012",
      entity: { type: "terminal", id: op.terminal!.id },
      description: `Operator ${op.id} at terminal ${op.terminal!.id} (下関市) looked up 220 distinct residents by four-information search in under 30 minutes`,
      days: ["business"],
      slot: 0.15,
      operators: [op],
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
}

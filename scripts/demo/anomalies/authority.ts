/**
 * Anomalies of authority and authentication: purpose-outside-authority (a 事務 the prefecture may use but the
 * operator's division is not assigned, registry `departments`) and weak-operator-auth (a login weaker than the
 * organisation's `required_auth_method`).
 */
import { at } from "../context";
import { PREFECTURE_CODE } from "../registry";
import type { ScenarioBuilder } from "../scenarios";
import { lookUp, PREFECTURE_KINDS, SessionDraft, type Purpose } from "../sessions";
import type { DemoOperator } from "../registry";

export function addAuthorityAnomalies(b: ScenarioBuilder): void {
  // ---------------------------------------------------------------- purpose-outside-authority
  const outside = (op: DemoOperator, purpose: Purpose, slot: number, time: string, description: string) =>
    b.add({
      kind: "anomaly",
      rule: "purpose-outside-authority",
      organization: PREFECTURE_CODE,
      entity: { type: "operator", id: op.id },
      description,
      days: ["business"],
      slot,
      operators: [op],
      inject: (ctx) => {
        const d = SessionDraft.at(op, op.terminal);
        d.login(ctx.rng, 0);
        for (let i = 0; i < 5; i++) {
          // Two look-ups of the division's own 事務, then three for another division's.
          const used = i < 2 ? op.purposes!.pick(ctx.rng) : purpose;
          lookUp(d, ctx.rng, ctx.rng.uniform(40, 150) * 1000, used, ctx.world.residents.anywhere(ctx.rng), PREFECTURE_KINDS);
        }
        d.logout(ctx.rng);
        ctx.emit(b.registry.prefecture.nodeId, d.placeAt(at(ctx.day, time, ctx.rng.uniform(0, 60))));
      },
    });
  {
    const op = b.prefectureOperator("税務課", 1);
    outside(
      op,
      { schedule: "5", item: "5-3" },
      0.45,
      "11:05",
      `Prefectural operator ${op.id} (税務課, assigned 別表第5 5-1) looked residents up for 5-3, a welfare 事務 of 障害者支援課 that 山口県 may use but the tax division may not`,
    );
  }
  {
    const op = b.prefectureOperator("旅券センター", 1);
    outside(
      op,
      { schedule: "ordinance", item: "ordinance-1" },
      0.8,
      "15:10",
      `Prefectural operator ${op.id} (旅券センター, assigned 別表第5 5-5) looked residents up for ordinance-1, an ordinance 事務 of 教育委員会`,
    );
  }

  // ---------------------------------------------------------------- weak-operator-auth
  {
    const op = b.operator("352039", 6);
    b.add({
      kind: "anomaly",
      rule: "weak-operator-auth",
      organization: "352039",
      entity: { type: "operator", id: op.id },
      description: `Operator ${op.id} (山口市, vein authentication required) signed in with IC card + password`,
      days: ["business"],
      slot: 0.3,
      operators: [op],
      inject: (ctx) =>
        b.clerkSession(ctx, op, at(ctx.day, "09:12", ctx.rng.uniform(0, 60)), 3, op.terminal, (d) => {
          d.events[0].authMethod = "ic_card_password";
        }),
    });
  }
  {
    const op = b.prefectureOperator("こども家庭課", 1);
    b.add({
      kind: "anomaly",
      rule: "weak-operator-auth",
      organization: PREFECTURE_CODE,
      entity: { type: "operator", id: op.id },
      description: `Prefectural operator ${op.id} (こども家庭課, IC card + vein required) signed in with the vein reader alone, without the IC card`,
      days: ["business"],
      slot: 0.65,
      operators: [op],
      inject: (ctx) => {
        const d = SessionDraft.at(op, op.terminal);
        const login = d.login(ctx.rng, 0);
        login.authMethod = "biometric";
        login.cardId = undefined;
        for (let i = 0; i < 3; i++)
          lookUp(d, ctx.rng, ctx.rng.uniform(40, 150) * 1000, op.purposes!.pick(ctx.rng), ctx.world.residents.anywhere(ctx.rng), PREFECTURE_KINDS);
        d.logout(ctx.rng);
        ctx.emit(b.registry.prefecture.nodeId, d.placeAt(at(ctx.day, "13:40", ctx.rng.uniform(0, 60))));
      },
    });
  }
}

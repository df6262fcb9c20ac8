/**
 * Anomalies of what an operator searched for and why: broad-query and
 * purpose-not-permitted.
 */
import { at } from "../context";
import { PREFECTURE_CODE } from "../registry";
import type { ScenarioBuilder } from "../scenarios";
import { JUKIHO, lookUp, PREFECTURE_KINDS, search, SessionDraft, type Purpose } from "../sessions";

export function addSearchAnomalies(b: ScenarioBuilder): void {
  // ---------------------------------------------------------------- broad-query
  {
    const op = b.operator("352047", 2);
    b.add({
      kind: "anomaly",
      rule: "broad-query",
      organization: "352047",
      entity: { type: "operator", id: op.id },
      description: `Operator ${op.id} (萩市) ran name-only and address-only searches returning dozens to hundreds of residents`,
      days: ["business"],
      slot: 0.2,
      operators: [op],
      inject: (ctx) =>
        b.clerkSession(ctx, op, at(ctx.day, "10:31", ctx.rng.uniform(0, 60)), 1, op.terminal, (d) => {
          for (let i = 0; i < 5; i++) {
            const e = search(
              d,
              ctx.rng.uniform(40, 120) * 1000,
              JUKIHO.identityInquiry,
              undefined,
              i < 3 ? "name_only" : "address_only",
              i < 3 ? ctx.rng.range(40, 180) : ctx.rng.range(60, 250),
            );
            e.wildcard = false;
          }
        }),
    });
  }
  {
    const op = b.operator("352021", 3);
    b.add({
      kind: "anomaly",
      rule: "broad-query",
      organization: "352021",
      entity: { type: "operator", id: op.id },
      description: `Operator ${op.id} (宇部市) ran wildcard four-information searches returning 300–650 records each`,
      days: ["business"],
      slot: 0.8,
      operators: [op],
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
      kind: "anomaly",
      rule: "purpose-not-permitted",
      organization: "352136",
      entity: { type: "operator", id: op.id },
      description: `Municipal operator ${op.id} (美祢市) searched and viewed residents for 別表第5 item 5-1 (prefectural tax), a purpose not permitted to a municipality`,
      days: ["business"],
      slot: 0.35,
      operators: [op],
      inject: (ctx) =>
        b.clerkSession(ctx, op, at(ctx.day, "10:44", ctx.rng.uniform(0, 60)), 1, op.terminal, (d) => {
          for (let i = 0; i < 4; i++)
            lookUp(d, ctx.rng, ctx.rng.uniform(40, 150) * 1000, purpose, ctx.world.residents.local(ctx.rng, "352136"), [0.2, 0.6, 0.2, 0]);
        }),
    });
  }
  {
    const op = b.prefectureOperator("税務課");
    const purpose: Purpose = { schedule: "ordinance", item: "ordinance-20" };
    b.add({
      kind: "anomaly",
      rule: "purpose-not-permitted",
      organization: PREFECTURE_CODE,
      entity: { type: "operator", id: op.id },
      description: `Prefectural operator ${op.id} (税務課) used ordinance item ordinance-20 (debtor tracing), which is not among 山口県's permitted ordinance items`,
      days: ["business"],
      slot: 0.6,
      operators: [op],
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
}

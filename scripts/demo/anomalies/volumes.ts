/**
 * Anomalies of how many records left the network: provision-volume-anomaly
 * and bulk-export.
 */
import { at, MINUTE_MS } from "../context";
import type { AccessEvent } from "../events";
import { NATIONAL_CODE, PREFECTURE_CODE } from "../registry";
import type { ScenarioBuilder } from "../scenarios";
import { immediatePerBusinessDay, immediateProvision } from "../traffic";

export function addVolumeAnomalies(b: ScenarioBuilder): void {
  // ---------------------------------------------------------------- provision-volume-anomaly
  {
    const s = b.add({
      kind: "anomaly",
      rule: "provision-volume-anomaly",
      organization: PREFECTURE_CODE,
      entity: { type: "recipient", id: "todofuken-chiji" },
      description: "Night online batch of 別表第3 item 3-1 (都道府県知事) carried about ten times its usual record count",
      days: ["batchNight"],
      slot: 0.6,
      batchFactor: ["3-1", 10],
    });
    s.window = [at(s.day, "01:00"), at(s.day, "04:00")];
  }
  {
    const perDay = immediatePerBusinessDay("1-7") * b.world.scale;
    const count = Math.max(120, Math.round(12 * perDay));
    b.add({
      kind: "anomaly",
      rule: "provision-volume-anomaly",
      organization: NATIONAL_CODE,
      entity: { type: "recipient", id: "kokka-koumuin-kyosai" },
      description: `${count} immediate provisions to 国家公務員共済組合連合会 (別表第1 item 1-7) in one day, against about ${Math.max(1, Math.round(perDay))} on a usual day`,
      days: ["business"],
      slot: 0.5,
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
      kind: "anomaly",
      rule: "bulk-export",
      organization: "352161",
      entity: { type: "operator", id: op.id },
      description: `Operator ${op.id} (山陽小野田市) exported 3,200 identity records to a file`,
      days: ["business"],
      slot: 0.35,
      operators: [op],
      inject: (ctx) =>
        b.clerkSession(ctx, op, at(ctx.day, "16:20", ctx.rng.uniform(0, 60)), 0, op.terminal, (d) => {
          d.step(ctx.rng.uniform(30, 90) * 1000, "export").recordCount = 3200;
        }),
    });
  }
  {
    const op = b.operator("352101", 2);
    b.add({
      kind: "anomaly",
      rule: "bulk-export",
      organization: "352101",
      entity: { type: "operator", id: op.id },
      description: `Operator ${op.id} (光市) printed 1,850 identity records in one job`,
      days: ["business"],
      slot: 0.6,
      operators: [op],
      inject: (ctx) =>
        b.clerkSession(ctx, op, at(ctx.day, "11:05", ctx.rng.uniform(0, 60)), 1, op.terminal, (d) => {
          d.step(ctx.rng.uniform(30, 90) * 1000, "print").recordCount = 1850;
        }),
    });
  }
}

/**
 * Anomalies of systems rather than operators: maintenance-window-update,
 * node-silence and ids-alert.
 */
import { at, DAY_MS, MINUTE_MS } from "../context";
import { AccessEvent, isoJst, RESIDENT_RECORDS_SYSTEM, type ChangeReason } from "../events";
import { ATTACK_SIGNATURES, makeAlert, type IdsAlert, type Signature } from "../ids";
import type { InjectContext, ScenarioBuilder } from "../scenarios";

export function addSystemAnomalies(b: ScenarioBuilder): void {
  // ---------------------------------------------------------------- maintenance-window-update
  {
    const s = b.add({
      kind: "anomaly",
      rule: "maintenance-window-update",
      organization: "352152",
      entity: { type: "organization", id: "352152" },
      description: "",
      days: ["saturday", "nonbusiness", "business"],
      slot: 0.4,
      inject: (ctx) => updateBurst(b, ctx, "352152", at(ctx.day, "19:10", ctx.rng.uniform(0, 60)), 180, 42),
    });
    const weekend = !s.day.business;
    b.declareMaintenance(s, weekend ? "18:00" : "18:30", weekend ? 1 : 0, weekend ? "06:00" : "23:00", "住民記録システム改修テスト");
    s.description =
      "周南市: 180 identity-record updates pushed by the 住民記録システム, no operator, arrived during the declared test window (test data flowing into the CS, 連携制御 not switched off)";
  }
  {
    const s = b.add({
      kind: "anomaly",
      rule: "maintenance-window-update",
      organization: "352080",
      entity: { type: "organization", id: "352080" },
      description: "",
      days: ["sunday", "nonbusiness", "business"],
      slot: 0.8,
      inject: (ctx) => updateBurst(b, ctx, "352080", at(ctx.day, ctx.day.business ? "19:40" : "11:05", ctx.rng.uniform(0, 60)), 90, 28),
    });
    if (s.day.business) b.declareMaintenance(s, "18:00", 0, "23:30", "システム更改");
    else b.declareMaintenance(s, "08:00", 0, "18:00", "システム更改");
    s.description = "岩国市: 90 identity-record updates pushed by the 住民記録システム, no operator, during the declared system-renewal window";
  }
  // ---------------------------------------------------------------- maintenance-window-update: seed 000 (連携制御記録)
  {
    // The seed incident with a system-work record and no maintenance window: the vendor's engineer records that the
    // tests have ended and the test data is deleted a day ahead of the schedule, link control is released at 19:45,
    // and test data keeps flowing from the resident-records system into the town's CS right after the release.
    const code = "353418";
    const s = b.add({
      kind: "anomaly",
      rule: "maintenance-window-update",
      organization: code,
      entity: { type: "organization", id: code },
      description:
        "上関町 (seed 000): link control released at 19:45 on the vendor's word that the operation tests had ended and the test data was deleted (a day ahead of the schedule); 120 updates from the 住民記録システム, no operator, follow within the hour",
      days: ["business", "nonbusiness"],
      slot: 0.62,
      inject: (ctx) => updateBurst(b, ctx, code, at(ctx.day, "19:50", ctx.rng.uniform(0, 60)), 120, 40),
    });
    const t = (time: string, dayOffset = 0) => isoJst(at(s.day, time) + dayOffset * DAY_MS);
    b.recordSystemWork(s, {
      id: `demo-sw-${code}-${s.day.key}`,
      organization: code,
      title: "住民記録システム改修（税制改正対応）",
      vendor: "株式会社周南情報システム",
      purpose: "upgrade",
      steps: [
        { step: "work_start", plannedAt: t("17:20"), actualAt: t("17:25") },
        { step: "link_control_set", plannedAt: t("17:30"), actualAt: t("17:30") },
        { step: "operation_test", plannedAt: t("18:00", 1), actualAt: t("19:30") },
        { step: "test_data_delete", plannedAt: t("12:00", 2), actualAt: t("19:40") },
        { step: "link_control_release", plannedAt: t("17:00", 2), actualAt: t("19:45") },
        { step: "work_end", plannedAt: t("18:00", 2), actualAt: null },
      ],
      link_control_set_at: t("17:30"),
      link_control_set_by: "町民課 吉田",
      tests_ended_at: t("19:30"),
      tests_ended_by: "株式会社周南情報システム 担当者",
      test_data_deleted_at: t("19:40"),
      test_data_deleted_by: "株式会社周南情報システム 担当者",
      link_control_released_at: t("19:45"),
      link_control_released_by: "株式会社周南情報システム 担当者",
      note: "seed 000 の事案の再現（デモ）",
    });
  }
  // ---------------------------------------------------------------- node-silence
  {
    const o = b.org("353051");
    const s = b.add({
      kind: "anomaly",
      rule: "node-silence",
      organization: o.code,
      entity: { type: "node", id: o.nodeId },
      description: `${o.nodeId} (周防大島町) sent nothing during the last eight hours of the period`,
      days: ["last"],
      slot: 1,
    });
    const start = at(s.day, "16:00");
    s.silence = { nodeId: o.nodeId, start, end: b.world.to + 1 };
    s.window = [start, b.world.to];
  }
  {
    const o = b.org("352136");
    const s = b.add({
      kind: "anomaly",
      rule: "node-silence",
      organization: o.code,
      entity: { type: "node", id: o.nodeId },
      description: `${o.nodeId} (美祢市) sent nothing for five and a half hours on a business day (line failure)`,
      days: ["business"],
      slot: 0.55,
    });
    const start = at(s.day, "10:00");
    const end = at(s.day, "15:30");
    s.silence = { nodeId: o.nodeId, start, end };
    s.window = [start, end];
  }

  // ---------------------------------------------------------------- ids-alert
  for (const [code, n, termNo, time, alertAfter, signatures, src, slot, name] of [
    [
      "352021",
      2,
      3,
      "10:02",
      12,
      [ATTACK_SIGNATURES.smbProbe, ATTACK_SIGNATURES.smbProbe, ATTACK_SIGNATURES.smbExploit, ATTACK_SIGNATURES.smbExploit, ATTACK_SIGNATURES.smbExploit],
      "10.35.2.203",
      0.2,
      "宇部市",
    ],
    [
      "352080",
      2,
      2,
      "14:30",
      11,
      [ATTACK_SIGNATURES.rdpBrute, ATTACK_SIGNATURES.rdpBrute, ATTACK_SIGNATURES.rdpBrute, ATTACK_SIGNATURES.rdpBrute, ATTACK_SIGNATURES.trojan],
      "172.16.8.77",
      0.7,
      "岩国市",
    ],
  ] as const) {
    const op = b.operator(code, n);
    const term = b.terminal(code, termNo);
    b.add({
      kind: "anomaly",
      rule: "ids-alert",
      organization: code,
      entity: { type: "terminal", id: term.id },
      description: `High-severity IDS alerts against registered terminal ${term.id} (${term.ip}, ${name}) while operator ${op.id} was working at it`,
      days: ["business"],
      slot,
      operators: [op],
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
}

/** A burst of record updates pushed by the resident-records system through the CS link: system activity, no `user.id` (seed 000). */
function updateBurst(b: ScenarioBuilder, ctx: InjectContext, code: string, start: number, count: number, minutes: number): void {
  const o = b.org(code);
  const reasons: ChangeReason[] = ["correction", "correction", "relocation", "relocation", "name_change", "move_out"];
  const events: AccessEvent[] = [];
  for (let i = 0; i < count; i++) {
    const e = new AccessEvent(
      start + Math.round((i / count) * minutes * MINUTE_MS) + ctx.rng.int(8000),
      "update",
      "success",
      code,
      undefined,
      undefined,
      undefined,
    );
    e.residentCode = ctx.world.residents.local(ctx.rng, code);
    e.recordCount = 1;
    e.changeReason = ctx.rng.pick(reasons);
    e.changeSource = RESIDENT_RECORDS_SYSTEM;
    events.push(e);
  }
  ctx.emit(o.nodeId, events);
}

/**
 * Anomalies of when and how much an operator works: after-hours-access and
 * operator-volume-spike.
 */
import { holidayName } from "../../../lib/calendar";
import { at } from "../context";
import type { ScenarioBuilder } from "../scenarios";

export function addHoursAnomalies(b: ScenarioBuilder): void {
  // ---------------------------------------------------------------- after-hours-access
  {
    const op = b.operator("352021", 5);
    b.add({
      kind: "anomaly",
      rule: "after-hours-access",
      organization: "352021",
      entity: { type: "operator", id: op.id },
      description: `Operator ${op.id} (宇部市) logged in and searched/viewed residents late at night, between 22:00 and 23:00`,
      days: ["business"],
      slot: 0.55,
      inject: (ctx) => b.clerkSession(ctx, op, at(ctx.day, "22:04", ctx.rng.uniform(0, 60)), 6),
    });
  }
  {
    const op = b.operator("352110", 3);
    const s = b.add({
      kind: "anomaly",
      rule: "after-hours-access",
      organization: "352110",
      entity: { type: "operator", id: op.id },
      description: "",
      days: ["holiday", "sunday", "nonbusiness", "business"],
      slot: 0.3,
      inject: (ctx) => b.clerkSession(ctx, op, at(ctx.day, ctx.day.business ? "06:10" : "10:12", ctx.rng.uniform(0, 60)), 5),
    });
    s.description = s.day.business
      ? `Operator ${op.id} (長門市) worked at 06:10, before business hours (the period has no weekend or holiday)`
      : `Operator ${op.id} (長門市) logged in and searched residents on a non-business day (${s.day.weekday === 0 ? "Sunday" : s.day.weekday === 6 ? "Saturday" : holidayName(s.day.key) ? `national holiday ${holidayName(s.day.key)}` : "year-end closure"})`;
  }

  // ---------------------------------------------------------------- operator-volume-spike
  for (const [code, n, slot, name] of [
    ["352039", 4, 0.7, "山口市"],
    ["352063", 3, 0.45, "防府市"],
  ] as const) {
    const op = b.operator(code, n);
    const s = b.add({
      kind: "anomaly",
      rule: "operator-volume-spike",
      organization: code,
      entity: { type: "operator", id: op.id },
      description: `Operator ${op.id} (${name}) searched and viewed about ten times their usual daily volume, within business hours`,
      days: ["business"],
      slot,
      operatorFactor: [op.id, 10],
    });
    s.window = [b.hoursStart(code, s.day), b.hoursEnd(code, s.day)];
  }
}

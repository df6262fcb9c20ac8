/**
 * Demo training and drills register (issue 17): for each of the 19 市町, this
 * and last fiscal year, a new-operator training in April, the yearly security
 * training (most operators attend; a few are left for the reminder), an
 * emergency drill (緊急時対応訓練) — this year's linked to the demo's exercise
 * incident when it exists — and a network disconnection drill in some. 美祢市
 * held no drill this fiscal year. Deterministic (seeded per municipality and
 * year); sessions after today are not recorded. Idempotent: kept when the
 * demo's sessions exist.
 */
import { fiscalYear, jstMidnight, jstParts } from "../../lib/calendar";
import { db } from "../../lib/db";
import { MUNICIPALITIES } from "./prefecture";
import { rngFor } from "./random";

const MARK = "（デモ）";
/** The municipality with no drill this fiscal year. */
export const NO_DRILL_THIS_YEAR = "352136"; // 美祢市

const pad = (n: number) => String(n).padStart(2, "0");

export async function ensureDemoTraining(opts: { now?: Date; seed?: string } = {}): Promise<boolean> {
  if (await db().trainingSession.findFirst({ where: { title: { endsWith: MARK } } })) return false;
  const now = opts.now ?? new Date();
  const today = jstParts(now).dateKey;
  const current = fiscalYear(now);
  const drillIncident = await db().incident.findFirst({ where: { exercise: true, title: { endsWith: MARK } }, orderBy: { id: "asc" } });
  const drillDay = drillIncident ? jstParts(drillIncident.openedAt).dateKey : undefined;
  const codes = MUNICIPALITIES.map((m) => m.code);
  const orgs = new Set((await db().organization.findMany({ where: { id: { in: codes } }, select: { id: true } })).map((o) => o.id));
  for (const [i, m] of MUNICIPALITIES.entries()) {
    if (!orgs.has(m.code)) continue;
    const operators = (await db().operator.findMany({ where: { organizationId: m.code, kind: "person" }, select: { id: true }, orderBy: { id: "asc" } })).map(
      (o) => o.id,
    );
    for (const fy of [current - 1, current]) {
      const rng = rngFor(opts.seed ?? "42", "training", m.code, fy);
      const sessions: {
        kind: string;
        title: string;
        day: string;
        operators: string[];
        extra: number;
        outcome: string;
        lessons: string;
        incidentId?: number;
      }[] = [];
      // New operators of the year: the last one or two registered.
      const newcomers = operators.slice(-Math.min(2, operators.length));
      sessions.push({
        kind: "new_operator_training",
        title: `新任操作者研修${MARK}`,
        day: `${fy}-04-${pad(3 + (i % 10))}`,
        operators: newcomers,
        extra: 0,
        outcome: "住基ネットの概要、セキュリティ対策、禁止事項と罰則を説明し、理解度確認を実施。",
        lessons: "",
      });
      // The yearly security training: most operators (the last year's all but ~15 %).
      const attend = operators.filter(() => !rng.chance(fy === current ? 0.15 : 0.05));
      sessions.push({
        kind: "security_training",
        title: `住基ネットセキュリティ研修${MARK}`,
        day: `${fy}-${pad(6 + (i % 4))}-${pad(5 + rng.int(20))}`,
        operators: attend,
        extra: rng.int(3),
        outcome: "目的外照会・知人照会の事例と処分を取り上げた。未受講者には資料を配布。",
        lessons: "",
      });
      if (!(fy === current && m.code === NO_DRILL_THIS_YEAR)) {
        const linked = fy === current && drillIncident && drillDay ? drillIncident.id : undefined;
        sessions.push({
          kind: "emergency_drill",
          title: `緊急時対応訓練（連絡網）${MARK}`,
          day: linked ? drillDay! : `${fy}-11-${pad(1 + (i % 19))}`,
          operators: operators.slice(0, Math.min(3, operators.length)),
          extra: 1,
          outcome: "県・機構との連絡網を確認し、30分以内に受信確認を返信した。",
          lessons: rng.chance(0.4) ? "夜間の連絡先が古かったため更新した。" : "",
          incidentId: linked,
        });
      }
      if (m.operators >= 10 && rng.chance(0.5))
        sessions.push({
          kind: "disconnection_drill",
          title: `ネットワーク切断訓練${MARK}`,
          day: `${fy}-${pad(9 + (i % 3))}-${pad(10 + rng.int(15))}`,
          operators: operators.slice(0, Math.min(2, operators.length)),
          extra: 1,
          outcome: "CSの切断手順と判断者への連絡を確認した。",
          lessons: "切断中の窓口対応の手順書を整備する。",
        });
      for (const s of sessions) {
        if (s.day > today) continue;
        await db().trainingSession.create({
          data: {
            organizationId: m.code,
            kind: s.kind,
            title: s.title,
            heldOn: jstMidnight(s.day),
            participantCount: s.operators.length + s.extra,
            outcome: s.outcome,
            lessons: s.lessons,
            incidentId: s.incidentId ?? null,
            recordedBy: "demo",
            participants: { create: s.operators.map((operatorId) => ({ operatorId })) },
          },
        });
      }
    }
  }
  return true;
}

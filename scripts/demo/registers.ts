/**
 * The demo's registers (issue 17): an equipment register for each of the 19 市町 (written as the Japanese
 * spreadsheet columns offices keep, `registers/equipment.csv`, imported through the register import) and an IC
 * card register (`registers/cards.json`, the registry file's `card_register` extension). Some devices are past
 * their maintenance end, one municipality's CS is due for renewal this fiscal year, one card is lost and revoked
 * after the period, and one card is used after its return — the labelled anomaly of card-register-mismatch.
 * Deterministic: everything follows from the world and the period.
 */
import { fiscalYear } from "../../lib/calendar";
import { at, type DayInfo } from "./context";
import type { ScenarioBuilder } from "./scenarios";
import { MUNICIPALITIES } from "./prefecture";
import { SessionDraft } from "./sessions";

const HEAD = [
  "管理番号",
  "団体コード",
  "機器種別",
  "機器名",
  "設置場所",
  "ノードID",
  "端末ID",
  "設置日",
  "保守期限",
  "更改予定日",
  "状態",
  "廃棄日",
  "消去方法",
  "消去実施者",
  "備考",
];
const iso = (t: number) => new Date(t + 9 * 3600_000).toISOString().replace(/\.\d{3}Z$/, "+09:00");

export interface DemoRegisters {
  equipmentCsv: string;
  cards: { card_register: unknown[] };
}

/** Adds the card register's labelled anomaly (after every other scenario, so the data drawn before stays the same) and returns the register builder. */
export function addRegisterScenarios(b: ScenarioBuilder): (lastDay: DayInfo) => DemoRegisters {
  const code = "352047"; // 萩市
  const op = b.operator(code, 6);
  const s = b.add({
    kind: "anomaly",
    rule: "card-register-mismatch",
    organization: code,
    entity: { type: "card", id: op.card! },
    description: `IC card ${op.card} (萩市): returned at noon according to the card register (管理簿), then used for a sign-in at 15:00 the same day`,
    days: ["business"],
    slot: 0.55,
    operators: [op],
    inject: (ctx) => {
      const d = SessionDraft.at(op, op.terminal);
      d.login(ctx.rng, 0);
      d.logout(ctx.rng);
      ctx.emit(b.nodeOf(op), d.placeAt(at(ctx.day, "15:00", ctx.rng.uniform(0, 60))));
    },
  });
  const lost = b.operator("352101", 5); // 光市
  return (lastDay) => {
    const fy = fiscalYear(lastDay.midnight);
    const rows: string[][] = [];
    MUNICIPALITIES.forEach((m, i) => {
      const org = b.org(m.code);
      // One municipality's CS was installed in the autumn six years ago: its renewal falls in this fiscal year.
      const csInstalled = i === 3 ? `${fy - 6}-10-01` : `${fy - 2}-04-01`;
      // Every fourth municipality still runs a firewall past its maintenance end.
      const fwEnd = i % 4 === 1 ? `${fy}-03-31` : `${fy + 3}-03-31`;
      rows.push([`${m.code}-CS-01`, m.code, "CSサーバ", "市町村CS", "サーバ室", org.nodeId, "", csInstalled, `${fy + 4}-03-31`, "", "稼働中", "", "", "", ""]);
      rows.push([
        `${m.code}-FW-01`,
        m.code,
        "ファイアウォール",
        "CS前段ファイアウォール",
        "サーバ室",
        "",
        "",
        `${fy - 7}-04-01`,
        fwEnd,
        "",
        "稼働中",
        "",
        "",
        "",
        "",
      ]);
      org.terminals
        .slice(0, 2)
        .forEach((t, n) =>
          rows.push([
            `${m.code}-TM-0${n + 1}`,
            m.code,
            "業務端末",
            `${m.department}端末${n + 1}`,
            m.department,
            "",
            t.id,
            `${fy - 2}-04-01`,
            `${fy + 4}-03-31`,
            "",
            "稼働中",
            "",
            "",
            "",
            "",
          ]),
        );
      rows.push([
        `${m.code}-CR-01`,
        m.code,
        "ICカードリーダ",
        "ICカードリーダ（予備）",
        "保管庫",
        "",
        "",
        `${fy - 2}-04-01`,
        `${fy + 4}-03-31`,
        "",
        "予備",
        "",
        "",
        "",
        "",
      ]);
      rows.push([
        `${m.code}-TM-90`,
        m.code,
        "業務端末",
        "旧業務端末",
        m.department,
        "",
        "",
        `${fy - 8}-04-01`,
        `${fy - 2}-03-31`,
        "",
        "廃棄",
        `${fy - 1}-05-20`,
        "専用ソフトによる上書き消去（3回）",
        "保守事業者（職員立会い）",
        "",
      ]);
    });
    const day = s.day.key;
    const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const endOfPeriod = at(lastDay, "23:59");
    return {
      equipmentCsv: "\ufeff" + [HEAD, ...rows].map((r) => r.join(",")).join("\r\n") + "\r\n",
      cards: {
        card_register: [
          {
            card: op.card,
            issued_on: `${fy - 1}-04-01`,
            expires_on: `${fy + 4}-03-31`,
            loans: [
              {
                operator: op.id,
                lent_at: `${fy - 1}-04-01T08:30:00+09:00`,
                lent_by: "市民課長",
                returned_at: `${day}T12:00:00+09:00`,
                received_by: "市民課長",
              },
              { operator: op.id, lent_at: `${next}T08:00:00+09:00`, lent_by: "市民課長" },
            ],
          },
          {
            card: lost.card,
            issued_on: `${fy - 1}-04-01`,
            expires_on: `${fy + 4}-03-31`,
            lost_at: iso(endOfPeriod + 60_000),
            revoked_at: iso(endOfPeriod + 30 * 60_000),
            revoked_by: "情報政策課",
            note: "紛失届により失効",
            loans: [{ operator: lost.id, lent_at: `${fy - 1}-04-01T08:30:00+09:00`, lent_by: "市民課長" }],
          },
        ],
      },
    };
  };
}

/**
 * Demo incident response: the prefecture's threat-level definitions
 * (version 1, the defaults), contacts for the prefecture and every
 * municipality, escalation paths, and a few incidents — one under
 * investigation at 下関市 with an open investigation request, one closed
 * failure, and one drill (訓練) of the whole contact chain. Idempotent: kept
 * when the demo's incidents exist.
 */
import {
  addContact,
  addEscalationStep,
  addNote,
  changeStatus,
  openIncident,
  recordContact,
  recordDecision,
  requestInvestigation,
  seedDefaultLevels,
  updateMeasures,
} from "../../domain/incidents";
import type { Principal } from "../../lib/auth/principal";
import { jstParts } from "../../lib/calendar";
import { db } from "../../lib/db";
import { MUNICIPALITIES } from "./prefecture";

const DAY = 86_400_000;
const MARK = "（デモ）";

async function principal(loginId: string): Promise<Principal> {
  const u = await db().user.findUniqueOrThrow({ where: { loginId } });
  return { kind: "user", id: u.id, login: u.loginId, role: u.role as Principal["role"], organizationId: u.organizationId };
}

export async function ensureDemoIncidents(opts: { prefectureId: string; adminLogin: string; monitorLogin: string }): Promise<boolean> {
  if (await db().incident.findFirst({ where: { title: { endsWith: MARK } } })) return false;
  const admin = await principal(opts.adminLogin);
  const monitor = await principal(opts.monitorLogin);
  const pref = opts.prefectureId;
  await seedDefaultLevels(pref);

  // The prefecture's chain: the monitoring centre, the security heads, J-LIS's contact desk.
  const centre = await addContact(admin, {
    organizationId: pref,
    role: "monitoring_centre",
    name: "県 住基ネット監視センター",
    email: "juki-soc@pref.yamaguchi.example.lg.jp",
    phone: "083-933-0000",
    hours: "24時間",
  });
  const officer = await addContact(admin, {
    organizationId: pref,
    role: "security_officer",
    name: "県 市町課 セキュリティ責任者",
    email: "shicho@pref.yamaguchi.example.lg.jp",
    phone: "083-933-0001",
    hours: "平日 8:30〜17:15",
  });
  const head = await addContact(admin, {
    organizationId: pref,
    role: "security_head",
    name: "県 総務部長（セキュリティ統括責任者）",
    email: "somubu@pref.yamaguchi.example.lg.jp",
    phone: "083-933-0002",
    hours: "平日 8:30〜17:15（夜間は携帯）",
  });
  const jlis = await addContact(admin, {
    organizationId: pref,
    role: "national_centre",
    name: "全国センター 緊急連絡窓口",
    email: "emergency@jlis.example.jp",
    phone: "03-0000-0000",
    hours: "24時間",
  });
  for (const [level, path] of [
    [1, [centre]],
    [2, [centre, officer]],
    [3, [centre, officer, head, jlis]],
    [4, [centre, head, jlis]],
  ] as const)
    for (const c of path) await addEscalationStep(admin, pref, level, c);

  // Every municipality: its security officer and system administrator; its own path starts with them and goes up to the prefecture.
  const ids = new Set((await db().organization.findMany({ where: { parentId: pref }, select: { id: true } })).map((o) => o.id));
  for (const m of MUNICIPALITIES.filter((x) => ids.has(x.code))) {
    const mail = (who: string) => `${who}@city-${m.code}.example.lg.jp`;
    const sec = await addContact(admin, {
      organizationId: m.code,
      role: "security_officer",
      name: `${m.name} ${m.department}長（セキュリティ責任者）`,
      email: mail("security"),
      phone: "0000-00-0000",
      hours: "平日 8:30〜17:15",
    });
    await addContact(admin, {
      organizationId: m.code,
      role: "system_admin",
      name: `${m.name} 情報政策担当（システム管理者）`,
      email: mail("system"),
      phone: "0000-00-0001",
      hours: "平日 8:30〜17:15",
    });
    for (const [level, path] of [
      [2, [sec, centre, officer]],
      [3, [sec, centre, officer, head, jlis]],
    ] as const)
      for (const c of path) await addEscalationStep(admin, m.code, level, c);
  }

  const now = Date.now();
  const has = (org: string) => ids.has(org);
  // 1. 下関市: suspected misuse, level 3, under investigation; the link was cut and restored; an investigation request is open.
  if (!has("352012")) return true;
  const a = await openIncident(
    monitor,
    {
      title: `下関市 業務時間外の大量照会${MARK}`,
      kind: "misconduct",
      level: 3,
      organizations: ["352012"],
      summary: "夜間に一の操作者による住民票コード検索が短時間に集中した。正当な業務によるものか確認中。",
    },
    new Date(now - 2 * DAY),
  );
  await recordContact(monitor, a, {
    who: "全国センター 緊急連絡窓口",
    means: "phone",
    upward: true,
    note: "第一報",
    at: new Date(now - 2 * DAY + 40 * 60_000),
  });
  await changeStatus(monitor, a, "investigating");
  await recordDecision(monitor, a, {
    decision: "disconnect",
    decidedBy: "県 総務部長",
    reason: "被害拡大の防止のため、当該端末の接続を一時切断",
    at: new Date(now - 2 * DAY + 60 * 60_000),
  });
  await recordDecision(monitor, a, { decision: "reconnect", decidedBy: "県 総務部長", reason: "当該端末の隔離を確認したため", at: new Date(now - DAY) });
  await requestInvestigation(monitor, {
    organizationId: "352012",
    question: "該当操作者の当日の業務内容と、時間外の照会の理由を確認してください。",
    due: jstParts(now + 5 * DAY).dateKey,
    incidentId: a,
  });
  // 2. 周南市: a CS failure, closed.
  if (has("352152")) {
    const b = await openIncident(
      monitor,
      { title: `周南市 CSの通信障害${MARK}`, kind: "failure", level: 2, organizations: ["352152"], summary: "周南市CSからのログが途絶えた。回線機器の故障。" },
      new Date(now - 20 * DAY),
    );
    await recordContact(monitor, b, { who: "県 市町課 セキュリティ責任者", means: "mail", upward: true, at: new Date(now - 20 * DAY + 3 * 3600_000) });
    await changeStatus(monitor, b, "recovered");
    await updateMeasures(monitor, b, "回線機器を交換し、ログの再送を確認した。");
    await changeStatus(monitor, b, "closed", "復旧と再送を確認");
  }
  // 3. The yearly drill: J-LIS's scenario of a suspected virus at the prefectural server centre, every municipality concerned.
  const c = await openIncident(
    monitor,
    {
      title: `緊急時対応訓練（県サーバセンターのウイルス感染疑い）${MARK}`,
      kind: "other",
      level: 3,
      organizations: [pref, ...ids],
      exercise: true,
      summary: "機構主催の訓練。メールによる連絡網（機構↔県↔19市町）を確認。",
    },
    new Date(now - 30 * DAY),
  );
  await recordContact(monitor, c, { who: "全国センター 緊急連絡窓口", means: "mail", upward: true, at: new Date(now - 30 * DAY + 20 * 60_000) });
  await addNote(monitor, c, "19市町すべてから30分以内に受信確認の返信があった。");
  await changeStatus(monitor, c, "closed", "訓練終了");
  // 4. 山口市: a suspected leak at level 2 whose upward report is overdue (the dashboard tile and the worker's notice show it).
  if (has("352039"))
    await openIncident(
      monitor,
      {
        title: `山口市 照会結果の印刷物の紛失${MARK}`,
        kind: "leak_suspected",
        level: 2,
        organizations: ["352039"],
        summary: "窓口で本人確認情報の照会結果を印刷した帳票1枚の所在が不明。",
      },
      new Date(now - 30 * 3600_000),
    );
  return true;
}

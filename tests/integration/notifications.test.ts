/**
 * Notifications end to end below the browser: a real SMTP server (smtp-server, a full SMTP conversation) and a local
 * webhook receiver, the real detectors writing alerts into Elasticsearch, the delivery queue in SQLite drained as the
 * worker does. Time is moved by passing `now` to the drain, so backoff costs no waiting.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSmtp, startWebhookReceiver, type TestSmtp, type TestWebhookReceiver } from "../support/smtp";
import { at, DATES, ev, ingest, resident, SHIMONOSEKI, useFixtureRegistry, YAMAGUCHI, PREF, businessWeek } from "./detectors/harness";
import { runDetectors } from "../../detectors/engine";
import { createUser } from "../../lib/auth/accounts";
import { scopeOf } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { drainDeliveries, backoffMs } from "../../domain/notifications/queue";
import { closeTransports } from "../../domain/notifications/channels";
import { createEndpoint } from "../../domain/notifications/endpoints";
import { savePreferences, DEFAULT_PREFERENCES } from "../../domain/notifications/preferences";
import { notify } from "../../domain/notifications/notify";
import { verifySignature } from "../../domain/notifications/text";
import { unreadCount } from "../../domain/notifications/inbox";
import { notifyChecklistDeadlines } from "../../domain/checklist/deadlines";
import type { Role } from "../../lib/auth/principal";

let smtp: TestSmtp;
let hook: TestWebhookReceiver;
const day = businessWeek(DATES.notifications.start);
/** Every 住民票コード of this file's events: none may leave in a mail or a webhook body. */
const CODES = [resident(151), resident(152), resident(153), resident(154)];
const users: Record<string, { id: string; role: Role; organizationId: string }> = {};

async function user(loginId: string, role: Role, organizationId: string, email: string) {
  const u = await createUser({ loginId, name: `通知 ${loginId}`, role, organizationId, password: "notify-test-password" });
  await savePreferences(u.id, { ...DEFAULT_PREFERENCES, email, minSeverity: "low" });
  users[loginId] = { id: u.id, role, organizationId };
}

const allBodies = () => [...smtp.mails.map((m) => `${m.raw}\n${m.subject}\n${m.text}`), ...hook.requests.map((r) => r.body)];

beforeAll(async () => {
  smtp = await startTestSmtp(Number(process.env.TEST_SMTP_PORT ?? 0));
  hook = await startWebhookReceiver(0);
  process.env.SMTP_URL = smtp.url;
  process.env.NEXTAUTH_URL = "https://watch.example.lg.jp";
  await useFixtureRegistry();
  await user("notify-monitor", "monitor", PREF, "monitor@pref.example.lg.jp");
  await user("notify-shimonoseki", "municipal_officer", SHIMONOSEKI, "officer@city.shimonoseki.example.lg.jp");
  await user("notify-yamaguchi", "municipal_officer", YAMAGUCHI, "officer@city.yamaguchi.example.lg.jp");
});

afterAll(async () => {
  closeTransports();
  await smtp.stop();
  await hook.stop();
  delete process.env.SMTP_URL;
  delete process.env.NEXTAUTH_URL;
});

describe("notifications", () => {
  let endpointSecret = "";
  let alertEventId = "";

  it("a new alert is put in the list of users in scope and queued for their mail and the prefecture's webhook, once", async () => {
    const admin = await createUser({ loginId: "notify-admin", name: "通知 admin", role: "admin", organizationId: PREF, password: "notify-test-password" });
    users["notify-admin"] = { id: admin.id, role: "admin", organizationId: PREF };
    const scope = await scopeOf({ kind: "user", id: admin.id, login: admin.loginId, role: "admin", organizationId: PREF });
    const ep = await createEndpoint(scope, { organizationId: PREF, name: "県SOC", url: hook.url, types: [], minSeverity: "low" }, admin.loginId);
    endpointSecret = ep.secret;
    expect(await db().webhookEndpoint.count({ where: { secret: { contains: "whsec_" } } })).toBe(1);

    // A critical bulk export at 下関市 after hours, records of residents with known codes.
    const d = day(1);
    await ingest([
      ev({ t: at(d, "21:10"), action: "export", records: 5000, user: `OP-${SHIMONOSEKI}-001`, resident: CODES[0] }),
      ev({ t: at(d, "21:20"), action: "search", user: `OP-${SHIMONOSEKI}-001`, resident: CODES[1] }),
      ev({ t: at(d, "21:25"), action: "view", user: `OP-${SHIMONOSEKI}-001`, resident: CODES[2] }),
    ]);
    const window = { from: new Date(at(d, "00:00")), to: new Date(at(day(2), "00:00")) };
    const first = await runDetectors(window, { rules: ["bulk-export", "after-hours-access"], trigger: "test", now: new Date(at(day(2), "01:00")) });
    expect(first.created).toBeGreaterThanOrEqual(2);
    // Other test files' detector runs in this database notify too; events are dated by the run's `now`, inside this file's date slot.
    const ofThisFile = { type: "alert.created", organizationId: SHIMONOSEKI, createdAt: { gte: new Date(at(d, "00:00")), lt: new Date(at(day(3), "00:00")) } };
    const events = await db().notificationEvent.findMany({ where: ofThisFile });
    expect(events.length).toBe(first.created);
    const critical = events.find((e) => e.severity === "critical")!;
    expect(critical.title).toContain("大量");
    alertEventId = critical.id;

    // A rerun over the same window refreshes the alerts and notifies nobody again.
    const again = await runDetectors(window, { rules: ["bulk-export", "after-hours-access"], trigger: "test", now: new Date(at(day(2), "02:00")) });
    expect(again.created).toBe(0);
    expect(await db().notificationEvent.count({ where: ofThisFile })).toBe(events.length);

    // Scope: the prefecture's monitor and 下関市's officer, never 山口市's officer.
    const inbox = await db().notification.findMany({ where: { eventId: critical.id } });
    // (Users of other test files in this database may be told too; this file's are judged.)
    const mine = new Set(Object.values(users).map((u) => u.id));
    expect(
      inbox
        .map((n) => n.userId)
        .filter((id) => mine.has(id))
        .sort(),
    ).toEqual([users["notify-admin"].id, users["notify-monitor"].id, users["notify-shimonoseki"].id].sort());
    const mails = await db().notificationDelivery.findMany({ where: { eventId: critical.id, channel: "mail" } });
    expect(mails.map((m) => m.address).sort()).toEqual(["monitor@pref.example.lg.jp", "officer@city.shimonoseki.example.lg.jp"]);
    expect(await db().notificationDelivery.count({ where: { eventId: critical.id, channel: "webhook" } })).toBe(1);
    const y = users["notify-yamaguchi"];
    expect(await unreadCount(y.id, await scopeOf({ kind: "user", id: y.id, login: "notify-yamaguchi", role: y.role, organizationId: y.organizationId }))).toBe(
      0,
    );
  });

  it("while the SMTP server is down the mail waits; after it returns it is delivered exactly once, the log showing the retry", async () => {
    await smtp.stop();
    hook.respondWith(500);
    const t0 = new Date();
    const down = await drainDeliveries({ now: t0 });
    expect(down.delivered).toBe(0);
    expect(down.retried).toBe(down.claimed);
    expect(down.claimed).toBeGreaterThanOrEqual(3);
    // Not due yet: nothing is tried before the backoff.
    expect((await drainDeliveries({ now: new Date(t0.getTime() + 1000) })).claimed).toBe(0);

    await smtp.start();
    hook.respondWith(204);
    const t1 = new Date(t0.getTime() + backoffMs(1) + 1000);
    const up = await drainDeliveries({ now: t1 });
    expect(up.delivered).toBe(down.claimed);
    expect((await drainDeliveries({ now: new Date(t1.getTime() + 3_600_000) })).claimed).toBe(0);

    const forCritical = smtp.mails.filter((m) => m.headers["x-jukinet-delivery"] && m.subject.includes("緊急"));
    expect(forCritical.map((m) => m.to[0]).sort()).toEqual(["monitor@pref.example.lg.jp", "officer@city.shimonoseki.example.lg.jp"]);
    // Exactly once per delivery.
    const ids = smtp.mails.map((m) => m.headers["x-jukinet-delivery"]);
    expect(new Set(ids).size).toBe(ids.length);
    const d = await db().notificationDelivery.findFirstOrThrow({
      where: { eventId: alertEventId, address: "monitor@pref.example.lg.jp" },
      include: { log: true },
    });
    expect(d.status).toBe("delivered");
    expect(d.attempts).toBe(2);
    expect(d.log.map((l) => l.ok)).toEqual([false, true]);
    expect(d.log[0].error).toMatch(/SMTP/);
    const m = forCritical.find((x) => x.to[0] === "monitor@pref.example.lg.jp")!;
    expect(m.text).toContain("下関市（352012）");
    expect(m.text).toContain(`https://watch.example.lg.jp/alerts/`);
    expect(m.text).toMatch(/日時（日本時間）：\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/);
  });

  it("a webhook answered 500 is retried; the body is §7's and its signature verifies with the endpoint's secret", async () => {
    const critical = hook.requests.filter((r) => JSON.parse(r.body).id === alertEventId);
    expect(critical.map((r) => r.status)).toEqual([500, 204]);
    expect(critical[0].headers["x-jukinet-delivery"]).toBe(critical[1].headers["x-jukinet-delivery"]);
    for (const r of critical) expect(verifySignature(endpointSecret, r.body, r.headers["x-jukinet-signature"] as string)).toBe(true);
    expect(verifySignature("whsec_wrong", critical[1].body, critical[1].headers["x-jukinet-signature"] as string)).toBe(false);
    const body = JSON.parse(critical[1].body);
    expect(Object.keys(body).sort()).toEqual(["at", "id", "organization", "severity", "title", "type", "url"]);
    expect(body).toMatchObject({ type: "alert.created", severity: "critical", organization: { id: SHIMONOSEKI, name: "下関市" } });
    expect(body.url).toMatch(/^https:\/\/watch\.example\.lg\.jp\/alerts\/[0-9a-f]{24}$/);
    expect(body.at).toMatch(/\+09:00$/);
    const log = await db().notificationAttempt.findMany({ where: { delivery: { eventId: alertEventId, channel: "webhook" } }, orderBy: { id: "asc" } });
    expect(log.map((l) => [l.ok, l.error])).toEqual([
      [false, "webhook: HTTP 500"],
      [true, null],
    ]);
    // The secret is in no log line.
    expect(JSON.stringify(await db().notificationAttempt.findMany())).not.toContain(endpointSecret);
  });

  it("two drainers at once send each message once", async () => {
    for (let i = 0; i < 6; i++)
      await notify({
        type: "investigation.requested",
        organizationCode: SHIMONOSEKI,
        severity: "medium",
        title: `調査依頼 ${i}`,
        path: `/alerts/concurrency-${i}`,
        ref: { kind: "investigation", id: `c-${i}` },
        recipients: { addresses: [{ email: `contact${i}@example.lg.jp` }] },
      });
    const before = smtp.mails.length;
    const pending = await db().notificationDelivery.count({ where: { status: "pending" } });
    expect(pending).toBe(24); // each: mail to the monitor, to 下関市's officer and to the contact, and the webhook
    const now = new Date(Date.now() + 10 * 3_600_000);
    const [a, b] = await Promise.all([drainDeliveries({ now }), drainDeliveries({ now })]);
    expect(a.claimed + b.claimed).toBe(pending);
    expect(a.delivered + b.delivered).toBe(pending);
    await smtp.waitFor(before + 18);
    const ids = smtp.mails.map((m) => m.headers["x-jukinet-delivery"]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(smtp.mails.filter((m) => /^contact\d@/.test(m.to[0])).length).toBe(6);
    const hooks = hook.requests.filter((r) => r.status === 204).map((r) => r.headers["x-jukinet-delivery"]);
    expect(new Set(hooks).size).toBe(hooks.length);
  });

  it("a 住民票コード put in a title by mistake is blanked, and no mail or webhook body carries any code of the test data", async () => {
    await notify({
      type: "incident.opened",
      organizationCode: SHIMONOSEKI,
      severity: "critical",
      title: `事案 ${CODES[3]} の登録`,
      lines: [`参考 ${CODES[3]}`],
      path: "/alerts/leak-check",
      ref: { kind: "incident", id: "leak-check" },
    });
    await drainDeliveries({ now: new Date(Date.now() + 20 * 3_600_000) });
    expect(smtp.mails.some((m) => m.subject.includes("事案") && m.subject.includes("［番号省略］"))).toBe(true);
    const bodies = allBodies();
    expect(bodies.length).toBeGreaterThan(10);
    for (const code of CODES) for (const b of bodies) expect(b).not.toContain(code);
    // Nor the pseudonymous references of the alerts' evidence.
    expect(bodies.join("\n")).not.toMatch(/subject\.ref|resident_code/);
  });

  it("a municipal user is not notified of another municipality's alert", async () => {
    const d = day(3);
    await ingest([ev({ t: at(d, "22:00"), org: YAMAGUCHI, user: `OP-${YAMAGUCHI}-001`, resident: CODES[1] })]);
    const res = await runDetectors(
      { from: new Date(at(d, "00:00")), to: new Date(at(day(4), "00:00")) },
      { rules: ["after-hours-access"], trigger: "test", now: new Date(at(day(4), "01:00")) },
    );
    expect(res.created).toBe(1);
    const ev2 = await db().notificationEvent.findFirstOrThrow({ where: { organizationId: YAMAGUCHI, type: "alert.created" } });
    const told = (await db().notification.findMany({ where: { eventId: ev2.id } })).map((n) => n.userId);
    expect(told).toContain(users["notify-yamaguchi"].id);
    expect(told).toContain(users["notify-monitor"].id);
    expect(told).not.toContain(users["notify-shimonoseki"].id);
    const mails = await db().notificationDelivery.findMany({ where: { eventId: ev2.id, channel: "mail" } });
    expect(mails.map((m) => m.address)).not.toContain("officer@city.shimonoseki.example.lg.jp");
  });

  it("a self-inspection deadline a week and a day away reminds the municipality's unsubmitted assessment once each", async () => {
    const now = new Date("2031-02-20T09:00:00+09:00");
    const round = await db().checklistRound.create({
      data: { organizationId: PREF, fiscalYear: 2030, templateVersion: "fy2026", deadline: new Date("2031-02-26T17:00:00+09:00"), openedById: "notify-admin" },
    });
    await db().assessment.create({ data: { roundId: round.id, organizationId: SHIMONOSEKI, status: "draft" } });
    await db().assessment.create({ data: { roundId: round.id, organizationId: YAMAGUCHI, status: "submitted" } });
    expect(await notifyChecklistDeadlines(now)).toBe(1);
    expect(await notifyChecklistDeadlines(new Date(now.getTime() + 60_000))).toBe(0);
    expect(await notifyChecklistDeadlines(new Date("2031-02-25T18:00:00+09:00"))).toBe(1);
    const events = await db().notificationEvent.findMany({ where: { type: "checklist.deadline" }, include: { inbox: true } });
    expect(events.map((e) => [e.organizationId, e.severity])).toEqual([
      [SHIMONOSEKI, "medium"],
      [SHIMONOSEKI, "high"],
    ]);
    expect(events[0].inbox.map((n) => n.userId)).toContain(users["notify-shimonoseki"].id);
    expect(events[0].inbox.map((n) => n.userId)).not.toContain(users["notify-yamaguchi"].id);
    expect(events[0].path).toMatch(/^\/checklist\/assessments\//);
  });
});

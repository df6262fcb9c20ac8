/** Notifications (issue 15): the user's own list and preferences, the admin's webhook endpoints and delivery log. */
import { session, page, administers, orgTargets, contentOf, db, get, type Entry } from "./policy";
import { CALLERS, OTHER, type Caller, type World } from "./world";

/** Signed in with a live scope (an auditor outside every access period has none: the forbidden page). */
const ownInbox = (c: Caller) => session(c) && !!c.role && c.scope.length > 0;

/** A notification of `org`, put in the list of every signed-in caller (the list must show it only to those whose scope has `org`). */
async function notificationOf(w: World, org: string, marker: string): Promise<void> {
  const d = await db();
  const ev = await d.notificationEvent.upsert({
    where: { dedupeKey: marker },
    create: {
      type: "alert.created",
      organizationId: org,
      severity: "high",
      title: marker,
      path: "/alerts",
      refKind: "alert",
      refId: marker,
      dedupeKey: marker,
    },
    update: {},
  });
  for (const c of CALLERS)
    if (c.login && w.userId[c.login])
      await d.notification.upsert({
        where: { userId_eventId: { userId: w.userId[c.login], eventId: ev.id } },
        create: { userId: w.userId[c.login], eventId: ev.id },
        update: {},
      });
}

async function endpointOf(org: string, name: string): Promise<string> {
  const d = await db();
  return (await d.webhookEndpoint.create({ data: { organizationId: org, name, url: "http://127.0.0.1:9/authz", secret: "whsec_authz", createdBy: "authz" } }))
    .id;
}

export const NOTIFICATION_ENTRIES: Record<string, Entry> = {
  "PAGE /notifications": {
    allow: page(),
    targets: [
      { name: "own notifications", call: () => get("/notifications") },
      {
        ...contentOf(
          OTHER,
          () => `authz-notification-of-${OTHER}`,
          () => get("/notifications"),
        ),
        setup: async (w) => void (await notificationOf(w, OTHER, `authz-notification-of-${OTHER}`)),
      },
    ],
  },
  "PAGE /notifications/preferences": { allow: page(), targets: [{ name: "own preferences", call: () => get("/notifications/preferences") }] },
  "PAGE /admin/notifications": {
    allow: page(["admin"]),
    targets: [
      { name: "endpoints and delivery log", call: () => get("/admin/notifications") },
      {
        ...contentOf(
          OTHER,
          () => `authz-endpoint-of-${OTHER}`,
          () => get("/admin/notifications"),
        ),
        setup: async () => {
          if (!(await (await db()).webhookEndpoint.count({ where: { name: `authz-endpoint-of-${OTHER}` } })))
            await endpointOf(OTHER, `authz-endpoint-of-${OTHER}`);
        },
      },
    ],
  },

  // Self-service: one's own list and preferences.
  "ACTION app/_actions/notifications.ts#markReadAction": {
    allow: ownInbox,
    targets: [
      { name: "all own notifications", call: () => ({ action: true, form: { all: "1" } }) },
      {
        // Nobody marks another user's notification read (the id of someone else's row changes nothing).
        name: "another user's notification",
        allow: () => false,
        setup: async (_w, n) => {
          const d = await db();
          const ev = await d.notificationEvent.create({
            data: {
              type: "alert.created",
              organizationId: OTHER,
              severity: "low",
              title: `authz-other-${n}`,
              path: "/alerts",
              refKind: "alert",
              refId: `authz-${n}`,
            },
          });
          return { id: String((await d.notification.create({ data: { userId: "authz-nobody", eventId: ev.id } })).id) };
        },
        call: (_w, _c, _n, p) => ({ action: true, form: { id: p.id } }),
        effect: async (_w, _c, _n, p) => !!(await (await db()).notification.findUnique({ where: { id: Number(p.id) } }))?.readAt,
      },
    ],
  },
  "ACTION app/_actions/notifications.ts#savePreferencesAction": {
    allow: ownInbox,
    targets: [
      {
        name: "own preferences",
        call: (_w, _c, n) => ({
          action: true,
          previousState: true,
          form: { email: `authz-${n}@example.lg.jp`, mail: "1", console: "1", types: "alert.created", minSeverity: "high" },
        }),
        effect: async (_w, _c, n) => (await (await db()).notificationPreference.count({ where: { email: `authz-${n}@example.lg.jp` } })) > 0,
      },
    ],
  },

  // Administration inside the admin's subtree.
  "ACTION app/_actions/notifications.ts#createEndpointAction": {
    allow: administers,
    targets: orgTargets((org) => ({
      call: (_w, _c, n) => ({
        action: true,
        previousState: true,
        form: { organizationId: org, name: `authz-${n}`, url: "http://127.0.0.1:9/authz", minSeverity: "low" },
      }),
      effect: async (_w, _c, n) => (await (await db()).webhookEndpoint.count({ where: { name: `authz-${n}` } })) > 0,
    })),
  },
  "ACTION app/_actions/notifications.ts#disableEndpointAction": {
    allow: administers,
    targets: orgTargets((org) => ({
      setup: async (_w, n) => ({ id: await endpointOf(org, `authz-disable-${n}`) }),
      call: (_w, _c, _n, p) => ({ action: true, form: { id: p.id } }),
      effect: async (_w, _c, _n, p) => !!(await (await db()).webhookEndpoint.findUnique({ where: { id: p.id } }))?.disabledAt,
    })),
  },
  "ACTION app/_actions/notifications.ts#retryDeliveryAction": {
    allow: administers,
    targets: orgTargets((org) => ({
      setup: async (_w, n) => {
        const d = await db();
        const ev = await d.notificationEvent.create({
          data: {
            type: "alert.created",
            organizationId: org,
            severity: "low",
            title: `authz-retry-${n}`,
            path: "/alerts",
            refKind: "alert",
            refId: `authz-${n}`,
          },
        });
        const row = await d.notificationDelivery.create({
          data: {
            eventId: ev.id,
            organizationId: org,
            channel: "mail",
            address: "authz@example.lg.jp",
            status: "failed",
            attempts: 9,
            nextAttemptAt: new Date(0),
          },
        });
        return { id: row.id };
      },
      call: (_w, _c, _n, p) => ({ action: true, form: { id: p.id } }),
      effect: async (_w, _c, _n, p) => (await (await db()).notificationDelivery.findUnique({ where: { id: p.id } }))?.status === "pending",
    })),
  },
};

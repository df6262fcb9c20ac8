/**
 * npm run detect:worker -- [--interval 300]: the scheduled detection worker (the demo command starts it).
 * Several may run (one per console host): they share the database lease "detection-scheduler"
 * (DETECT_LEASE_SECONDS, default 30), so one runs the detection passes and another takes over when it stops.
 * Besides the detection passes every worker runs the notification pass every NOTIFY_DRAIN_SECONDS (30): checklist
 * deadline reminders and the log-review pass (domain/reviews/overdue.ts), then one drain of the delivery queue (mail and webhooks, retried with backoff; rows are
 * claimed atomically, so several workers never send one message twice). Every minute it also brings the dashboard's
 * six-hour tallies of the last 90 days up to date.
 */
import { startScheduler } from "../detectors/scheduler";
import { currentTallies, tallyBucketStart } from "../domain/events/tallies";
import { notifyChecklistDeadlines } from "../domain/checklist/deadlines";
import { runReviewPass } from "../domain/reviews/overdue";
import { notifyRegisterReminders } from "../domain/registers/reminders";
import { drainDeliveries } from "../domain/notifications/queue";
import { config } from "../lib/config";
import { ensureIndexTemplates } from "../lib/es/indices";

/** Register reminders (issue 17) are read at most every 10 minutes; each is still sent once per month (its dedupe key). */
const REGISTER_REMINDER_MS = 10 * 60_000;
let registersReadAt = 0;

/** Deadline and register reminders, then one drain of the delivery queue. */
async function notificationPass(now = new Date()) {
  let reminders = await notifyChecklistDeadlines(now);
  // Log reviews: default schedules, the tasks of ended periods, overdue notifications (idempotent).
  reminders += (await runReviewPass(now)).notified;
  if (now.getTime() - registersReadAt >= REGISTER_REMINDER_MS) {
    registersReadAt = now.getTime();
    reminders += await notifyRegisterReminders(now);
  }
  return { reminders, ...(await drainDeliveries({ now })) };
}

let running = false;
setInterval(() => {
  if (running) return;
  running = true;
  notificationPass()
    .then((s) => {
      if (s.claimed || s.reminders)
        console.error(`[notify] ${new Date().toISOString()} ${s.reminders} reminders, ${s.delivered} delivered, ${s.retried} to retry, ${s.failed} failed`);
    })
    .catch((e: Error) => console.error(`[notify] pass failed: ${e.message}`))
    .finally(() => (running = false));
}, config().NOTIFY_DRAIN_SECONDS * 1000);

/**
 * The dashboard's six-hour tallies (domain/events/tallies.ts) over its longest range (90 days) are brought up to
 * date every minute, so that a page load after a late batch or a restore does not pay for tallying. Cheap when
 * nothing changed (one count per month); several workers may do it at once (tallies are versioned).
 */
const TALLY_DAYS = 92;
let tallying = false;
setInterval(() => {
  if (tallying) return;
  tallying = true;
  const to = tallyBucketStart(Date.now());
  currentTallies({ from: tallyBucketStart(to - TALLY_DAYS * 86_400_000), to })
    .catch((e: Error) => console.error(`[tallies] update failed: ${e.message}`))
    .finally(() => (tallying = false));
}, 60_000);

const i = process.argv.indexOf("--interval");
await ensureIndexTemplates();
await startScheduler(i >= 0 ? Number(process.argv[i + 1]) : Number(process.env.DETECT_INTERVAL_SECONDS ?? 300));

/**
 * npm run detect:worker -- [--interval 300]: the scheduled detection worker (the demo command starts it).
 * Besides the detection passes it runs the notification pass every NOTIFY_DRAIN_SECONDS (30): checklist
 * deadline reminders, then one drain of the delivery queue (mail and webhooks, retried with backoff).
 */
import { startScheduler } from "../detectors/scheduler";
import { notifyChecklistDeadlines } from "../domain/checklist/deadlines";
import { drainDeliveries } from "../domain/notifications/queue";
import { config } from "../lib/config";

const i = process.argv.indexOf("--interval");
void startScheduler(i >= 0 ? Number(process.argv[i + 1]) : Number(process.env.DETECT_INTERVAL_SECONDS ?? 300));

/** Deadline reminders, then one drain of the delivery queue. */
async function notificationPass(now = new Date()) {
  const reminders = await notifyChecklistDeadlines(now);
  return { reminders, ...(await drainDeliveries({ now })) };
}

const drainEvery = config().NOTIFY_DRAIN_SECONDS * 1000;
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
}, drainEvery);

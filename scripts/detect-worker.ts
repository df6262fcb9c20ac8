/**
 * npm run detect:worker -- [--interval 300]: the scheduled detection worker (the demo command starts it).
 * Several may run (one per console host): they share the database lease "detection-scheduler"
 * (DETECT_LEASE_SECONDS, default 30), so one runs the passes and another takes over when it stops.
 */
import { startScheduler } from "../detectors/scheduler";
import { ensureIndexTemplates } from "../lib/es/indices";

const i = process.argv.indexOf("--interval");
await ensureIndexTemplates();
await startScheduler(i >= 0 ? Number(process.argv[i + 1]) : Number(process.env.DETECT_INTERVAL_SECONDS ?? 300));

/** npm run detect:worker -- [--interval 300]: the scheduled detection worker (the demo command starts it). */
import { startScheduler } from "../detectors/scheduler";

const i = process.argv.indexOf("--interval");
startScheduler(i >= 0 ? Number(process.argv[i + 1]) : Number(process.env.DETECT_INTERVAL_SECONDS ?? 300));

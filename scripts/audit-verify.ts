/** npm run audit:verify — walks the console audit trail's hash chain; exit 1 when a record was altered, removed or reordered. */
import { verifyAuditChain } from "../lib/audit/trail";
import { disconnectDb } from "../lib/db";

verifyAuditChain()
  .then(async (r) => {
    console.log(JSON.stringify(r));
    if (!r.ok) {
      console.error(`audit trail BROKEN at record ${r.brokenAt}: ${r.reason}`);
      process.exitCode = 1;
    } else console.error(`audit trail intact: ${r.records} records`);
    await disconnectDb();
  })
  .catch((e) => {
    console.error(`audit:verify: ${(e as Error).message}`);
    process.exit(2);
  });

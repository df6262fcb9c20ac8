/**
 * npm run audit:verify — walks the whole console audit trail (keyed MACs,
 * links, sequence) and compares it with every checkpoint in Elasticsearch;
 * exit 1 when a record was altered, removed or reordered or the tail is
 * missing (naming the record), 0 with the count when intact, 2 when it
 * could not check (no key, database or Elasticsearch unreachable).
 *
 * npm run audit:verify -- --rotate-key — verifies, appends a new trail key to
 * AUDIT_TRAIL_KEY_FILE (the old keys stay for older records), records
 * `trail_key_rotated` signed with the new key and checkpoints it.
 */
import { appendNewTrailKey } from "../lib/audit/keys";
import { checkpointsSettled, recordAudit, verifyAuditChain, type ChainCheck } from "../lib/audit/trail";
import { disconnectDb } from "../lib/db";
import { resetEsClient } from "../lib/es/client";

export async function auditVerify(argv: string[] = []): Promise<{ code: number; result: ChainCheck }> {
  const result = await verifyAuditChain();
  console.log(JSON.stringify(result));
  if (!result.ok) {
    console.error(`audit trail BROKEN at record ${result.brokenAt}: ${result.reason}`);
    return { code: 1, result };
  }
  console.error(`audit trail intact: ${result.records} records`);
  if (argv.includes("--rotate-key")) {
    const { previous, current } = appendNewTrailKey();
    await recordAudit({ actorLogin: "system:cli", action: "trail_key_rotated", details: { from: previous, to: current } });
    const after = await verifyAuditChain();
    await checkpointsSettled();
    if (!after.ok) {
      console.error(`audit trail BROKEN at record ${after.brokenAt} after the rotation: ${after.reason}`);
      return { code: 1, result: after };
    }
    console.error(`audit-trail key rotated: ${previous} → ${current} (record ${after.head.seq}); keep the old key in the key file`);
    return { code: 0, result: after };
  }
  return { code: 0, result };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  auditVerify(process.argv.slice(2))
    .then(async ({ code }) => {
      process.exitCode = code;
      await disconnectDb();
      await resetEsClient();
    })
    .catch((e) => {
      console.error(`audit:verify: ${(e as Error).message}`);
      process.exit(2);
    });
}

/**
 * The console's tamper-evident audit trail: who did what, when, within which
 * scope.
 *
 * Each record stores the MAC of the previous one (`prevHash`) and its own MAC
 * (`hash`) over its content and that link: HMAC-SHA256 with the trail key
 * (lib/audit/keys.ts), which is not in the database, so whoever can write the
 * SQLite file can neither change a record nor recompute the chain after it
 * without being detected (`macVersion` 1, `keyId` names the key).
 *
 * Records written before keyed MACs carry a plain SHA-256 chain
 * (`macVersion` 0). They keep verifying, but only as a prefix of the trail:
 * once a keyed record appears, a legacy record after it is a break. (Turning
 * the whole trail into legacy records is caught by the checkpoints: the
 * record at a checkpointed seq no longer carries the checkpoint's MAC.)
 *
 * The head is checkpointed outside the database (lib/audit/checkpoints.ts)
 * every AUDIT_TRAIL_CHECKPOINT_RECORDS records or AUDIT_TRAIL_CHECKPOINT_SECONDS
 * seconds and after a successful verification, so deleting the newest records
 * is detected too. `npm run audit:verify` walks the whole chain and compares
 * it with every checkpoint; the page verifies incrementally from the last
 * verified position (`AuditTrailVerification`, itself MAC-signed).
 */
export { checkpointsSettled } from "./head";
export { listAuditTrail, seesUnownedAuditRecords, type TrailRow } from "./list";
export { legacyHashOf, macOf } from "./mac";
export { recordAudit, type AuditEntry } from "./record";
export { verifyAuditChain, verifyAuditChainIncremental, type ChainCheck } from "./verify";

/**
 * Keyed pseudonyms for resident identifiers. The clear 住民票コード and
 * 個人番号 never leave this module: callers store only the HMACs, which still
 * correlate repeat access and answer a resident's disclosure request.
 */
import { createHmac } from "node:crypto";
import { pseudonymKeys } from "../../lib/config";

let keys: Buffer[] | undefined;

function hmacWith(key: Buffer, domain: string, value: string): string {
  return createHmac("sha256", key).update(domain).update("\u0000").update(value).digest("hex").slice(0, 32);
}

/** With the current key: what ingest stores. */
function hmac(domain: string, value: string): string {
  keys ??= pseudonymKeys();
  return hmacWith(keys[0], domain, value);
}

/** Reference of a 住民票コード (11 digits): `jukinet.subject.ref`. */
export function residentRef(residentCode: string): string {
  return hmac("resident_code", residentCode);
}

/**
 * Reference of the block of 1,000 consecutive codes a 住民票コード falls in (its
 * first 8 of 11 digits): `jukinet.subject.block_ref`. Lets the enumeration rule
 * see near-sequential code walks without keeping any code.
 */
export function residentBlockRef(residentCode: string): string {
  return hmac("resident_code_block", residentCode.slice(0, 8)).slice(0, 16);
}

/** Reference of a 個人番号 (12 digits): `jukinet.subject.number_ref`. */
export function individualNumberRef(individualNumber: string): string {
  return hmac("individual_number", individualNumber);
}

/**
 * Every reference a 住民票コード may be stored under: the current key's first,
 * then those of the previous keys kept after a rotation (PSEUDONYM_KEY_PREVIOUS).
 * Look-ups by a typed code search all of them.
 */
export function residentRefs(residentCode: string): string[] {
  keys ??= pseudonymKeys();
  return keys.map((k) => hmacWith(k, "resident_code", residentCode));
}

/** For tests that switch keys within one process. */
export function resetPseudonymKey(): void {
  keys = undefined;
}

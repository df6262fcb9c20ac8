/**
 * Checkpoints of the audit trail's head, kept OUTSIDE the database: one
 * document per checkpointed record in Elasticsearch (`<prefix>-trail-checkpoints`,
 * id = the record's seq, created once and never overwritten) and one JSON
 * line in the process log. Someone who rewrites the SQLite file cannot make
 * the record at a checkpointed seq carry the recorded MAC again, nor delete
 * records up to a checkpoint unnoticed. No secret is in a checkpoint: the MAC
 * is an output of the keyed function, the key id a fingerprint.
 */
import { errors, type estypes } from "@elastic/elasticsearch";
import { config } from "../config";
import { es } from "../es/client";

export interface Checkpoint {
  seq: number;
  mac: string;
  /** Key id of the record's MAC (null for a legacy SHA-256 record). */
  key: string | null;
  at: string;
}

export function checkpointIndex(): string {
  return `${config().ES_INDEX_PREFIX}-trail-checkpoints`;
}

const mappings: estypes.MappingTypeMapping = {
  dynamic: "strict",
  properties: {
    seq: { type: "long" },
    mac: { type: "keyword" },
    key: { type: "keyword" },
    at: { type: "date" },
  },
};

let ensured: string | undefined;

async function ensureIndex(): Promise<void> {
  const index = checkpointIndex();
  if (ensured === index) return;
  try {
    await es().indices.create({ index, settings: { number_of_shards: 1, number_of_replicas: config().ES_REPLICAS }, mappings });
  } catch (e) {
    if (!(e instanceof errors.ResponseError && e.body?.error?.type === "resource_already_exists_exception")) throw e;
  }
  ensured = index;
}

/**
 * Writes a checkpoint (write-once: an existing checkpoint of the same seq is
 * kept; a different MAC there is logged as evidence of a rewrite, and the
 * verification reports it) and logs it as one JSON line.
 */
export async function writeCheckpoint(cp: Checkpoint): Promise<void> {
  await ensureIndex();
  console.log(JSON.stringify({ audit_trail_checkpoint: cp }));
  try {
    await es().create({ index: checkpointIndex(), id: String(cp.seq), document: cp, refresh: true });
  } catch (e) {
    if (!(e instanceof errors.ResponseError && e.statusCode === 409)) throw e;
    const existing = (await es().get<Checkpoint>({ index: checkpointIndex(), id: String(cp.seq) }))._source;
    if (existing?.mac !== cp.mac) console.error(JSON.stringify({ audit_trail_checkpoint_conflict: { seq: cp.seq, recorded: existing?.mac, now: cp.mac } }));
  }
}

/** The newest checkpoint, or undefined when none was written yet. */
export async function latestCheckpoint(): Promise<Checkpoint | undefined> {
  const res = await es().search<Checkpoint>({ index: checkpointIndex(), ignore_unavailable: true, size: 1, sort: [{ seq: "desc" }], query: { match_all: {} } });
  return res.hits.hits[0]?._source;
}

/** Every checkpoint, oldest first (paged with search_after). */
export async function allCheckpoints(): Promise<Checkpoint[]> {
  const out: Checkpoint[] = [];
  let after: estypes.SortResults | undefined;
  for (;;) {
    const res = await es().search<Checkpoint>({
      // Months of checkpoints restored from the archive (domain/archive) are compared too.
      index: `${checkpointIndex()},${checkpointIndex()}-*-restored`,
      ignore_unavailable: true,
      size: 5000,
      sort: [{ seq: "asc" }],
      query: { match_all: {} },
      ...(after ? { search_after: after } : {}),
    });
    const hits = res.hits.hits;
    for (const h of hits) out.push(h._source!);
    if (hits.length < 5000) return out;
    after = hits[hits.length - 1].sort;
  }
}

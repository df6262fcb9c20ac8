/**
 * The archive job (README "Retention and archive"): for each stream, each JST
 * month that left the hot period is snapshotted to the fs snapshot repository,
 * the snapshot verified (state SUCCESS, every shard, and the month restored
 * under a scratch name holding exactly the live month's documents: same count,
 * same id digest), recorded (ArchivedMonth), and only then deleted from the
 * cluster. After the total period the snapshot is deleted too.
 *
 * Safe to kill at any point: every step first looks at what Elasticsearch
 * actually holds (the live index, the snapshot and its state) and the record,
 * and a rerun resumes where the killed run stopped. Nothing is deleted before
 * a verified snapshot is recorded, and the deletion re-checks the snapshot.
 * The job runs in the detection worker under its lease (detectors/scheduler.ts);
 * `holds` is asked before each month.
 */
import type { estypes } from "@elastic/elasticsearch";
import { config } from "../../lib/config";
import { db } from "../../lib/db";
import {
  blockWrites,
  countDocs,
  createSnapshot,
  deleteIndex,
  deleteMonthFrom,
  deleteSnapshot,
  ensureRepository,
  extractMonth,
  idDigest,
  indexExists,
  indicesMatching,
  monthsWithDocs,
  restoreAs,
  snapshotState,
} from "./es-ops";
import {
  cutoffs,
  indexSuffix,
  monthOrdinal,
  monthRange,
  parseMonth,
  restoredIndexOf,
  snapshotNameOf,
  sourceIndexOf,
  streamDefs,
  type ArchiveStream,
  type StreamDef,
} from "./streams";

export interface ArchivePassOptions {
  now?: Date;
  /** Only these streams / months (tests, `npm run archive -- run --stream … --month …`). */
  streams?: ArchiveStream[];
  months?: string[];
  holds?: () => Promise<boolean>;
  log?: (s: string) => void;
}

export interface MonthOutcome {
  stream: ArchiveStream;
  month: string;
  action: "archived" | "expired" | "in_progress" | "failed" | "deleted_past_retention";
  detail?: string;
}

/** Test hook: ARCHIVE_TEST_PAUSE_AFTER=snapshot|verified makes the job stop there (the test kills it). */
async function testPause(step: "snapshot" | "verified", log: (s: string) => void): Promise<void> {
  if (process.env.ARCHIVE_TEST_PAUSE_AFTER !== step) return;
  log(`[archive] paused after ${step} (ARCHIVE_TEST_PAUSE_AFTER)`);
  await new Promise(() => {});
}

const monthQuery = (def: StreamDef, month: string): estypes.QueryDslQueryContainer => {
  const r = monthRange(month);
  return { range: { [def.dateField]: { gte: r.from.toISOString(), lt: r.to.toISOString() } } };
};

/** Months of a stream to look at: the live months before the hot period, and every unfinished record. */
async function candidateMonths(def: StreamDef, hotFrom: string): Promise<string[]> {
  const months = new Set<string>();
  if (def.kind === "monthly") {
    for (const index of await indicesMatching(`${def.base}-*`)) {
      const m = /-(\d{4})\.(\d{2})$/.exec(index);
      if (m && `${m[1]}-${m[2]}` < hotFrom) months.add(`${m[1]}-${m[2]}`);
    }
  } else {
    for (const m of await monthsWithDocs(def.base, def.dateField, monthRange(hotFrom).from)) months.add(m);
    for (const index of await indicesMatching(`${sourceIndexOf(def, "2000-01").replace(/\d{4}\.\d{2}$/, "")}*`)) {
      const m = /-(\d{4})\.(\d{2})$/.exec(index);
      if (m && `${m[1]}-${m[2]}` < hotFrom) months.add(`${m[1]}-${m[2]}`);
    }
  }
  const open = await db().archivedMonth.findMany({ where: { stream: def.stream, state: { in: ["snapshotting", "verified", "failed"] } } });
  for (const r of open) if (r.month < hotFrom) months.add(r.month);
  return [...months].sort();
}

const sourceMonth = (index: string) => /(\d{4})\.(\d{2})$/.exec(index)!.slice(1).join("-");

/** Verifies a SUCCESS snapshot against the live source: restored under a scratch name, same count and same id digest. */
async function verifySnapshot(def: StreamDef, repository: string, snapshot: string, source: string): Promise<number> {
  const s = await snapshotState(repository, snapshot);
  if (!s) throw new Error(`snapshot ${snapshot} is not in the repository`);
  if (s.state !== "SUCCESS") throw new Error(`snapshot ${snapshot} is ${s.state}`);
  if (!s.indices.includes(source)) throw new Error(`snapshot ${snapshot} does not hold ${source}`);
  if (s.shards.failed > 0 || s.shards.successful !== s.shards.total || s.shards.total === 0)
    throw new Error(`snapshot ${snapshot}: ${s.shards.successful} of ${s.shards.total} shards, ${s.shards.failed} failed`);
  // A name outside every pattern the console reads or templates (`<prefix>-events-*` …).
  const scratch = `${config().ES_INDEX_PREFIX}-archive-verify-${def.stream}-${indexSuffix(sourceMonth(source))}`;
  await deleteIndex(scratch);
  try {
    await restoreAs(repository, snapshot, source, scratch);
    const [live, copy] = [await idDigest(source), await idDigest(scratch)];
    if (live.count !== copy.count) throw new Error(`snapshot ${snapshot} holds ${copy.count} documents, the live month ${live.count}`);
    if (live.sum !== copy.sum || live.xor !== copy.xor) throw new Error(`snapshot ${snapshot}: the document ids differ from the live month`);
    return live.count;
  } finally {
    await deleteIndex(scratch);
  }
}

/** Archives one month: snapshot → verify → record → delete, resuming from whatever a killed run left. */
async function archiveMonth(def: StreamDef, month: string, keptFrom: string, log: (s: string) => void): Promise<MonthOutcome | undefined> {
  const repository = await ensureRepository();
  const snapshot = snapshotNameOf(def, month);
  const source = sourceIndexOf(def, month);
  const where = { stream_month: { stream: def.stream, month } };
  let rec = await db().archivedMonth.findUnique({ where });
  if (rec && ["archived", "restored", "expired"].includes(rec.state)) {
    // A late write may have recreated the live month after it was archived: leave it, say so.
    if (def.kind === "monthly" && (await indexExists(source))) log(`[archive] ${def.stream} ${month}: archived, but ${source} exists again; not touched`);
    return undefined;
  }
  const liveQuery = monthQuery(def, month);

  // Past the total period and never archived: nothing to keep.
  if (!rec && month < keptFrom) {
    if (def.kind === "monthly") await deleteIndex(source);
    else {
      await deleteMonthFrom(def.base, liveQuery);
      await deleteIndex(source);
    }
    return { stream: def.stream, month, action: "deleted_past_retention" };
  }

  // The index the snapshot holds: the monthly index, or the month extracted from the single index.
  if (def.kind === "extract" && rec?.state !== "verified") {
    const live = await countDocs(def.base, liveQuery);
    const staged = (await indexExists(source)) ? await countDocs(source) : -1;
    if (live === 0 && staged <= 0 && !rec) return undefined;
    if (live > 0 && staged !== live) await extractMonth(def.base, source, liveQuery);
  }
  const sourceThere = await indexExists(source);
  const snap = await snapshotState(repository, snapshot);

  if (!sourceThere) {
    // Killed after the deletion and before the record said so: done, if the snapshot is there and was verified.
    if (rec?.state === "verified" && snap?.state === "SUCCESS") {
      await db().archivedMonth.update({ where, data: { state: "archived", deletedAt: new Date() } });
      return { stream: def.stream, month, action: "archived", detail: "resumed after the deletion" };
    }
    if (!rec) return undefined;
    await db().archivedMonth.update({ where, data: { state: "failed", error: `${source} is gone but no verified snapshot is recorded` } });
    return { stream: def.stream, month, action: "failed", detail: `${source} is gone but no verified snapshot is recorded` };
  }

  rec ??= await db().archivedMonth.upsert({
    where,
    create: { stream: def.stream, month, sourceIndex: source, repository, snapshot, state: "snapshotting" },
    update: {},
  });

  if (!(rec.state === "verified" && snap?.state === "SUCCESS")) {
    if (snap?.state === "IN_PROGRESS") return { stream: def.stream, month, action: "in_progress" };
    if (snap && snap.state !== "SUCCESS") await deleteSnapshot(repository, snapshot);
    if (!snap || snap.state !== "SUCCESS") {
      await blockWrites(source, true);
      await db().archivedMonth.update({ where, data: { state: "snapshotting", error: null } });
      log(`[archive] ${def.stream} ${month}: snapshot ${snapshot} of ${source} …`);
      await createSnapshot(repository, snapshot, source, { stream: def.stream, month });
      await db().archivedMonth.update({ where, data: { snapshotAt: new Date() } });
    }
    await testPause("snapshot", log);
    try {
      const docCount = await verifySnapshot(def, repository, snapshot, source);
      rec = await db().archivedMonth.update({ where, data: { state: "verified", docCount, verifiedAt: new Date(), error: null } });
    } catch (e) {
      // The live month is untouched; the unverifiable snapshot is dropped so the next pass makes a new one.
      await deleteSnapshot(repository, snapshot);
      await db().archivedMonth.update({ where, data: { state: "failed", error: (e as Error).message } });
      return { stream: def.stream, month, action: "failed", detail: (e as Error).message };
    }
    await testPause("verified", log);
  }

  // Deletion: only with the verified snapshot still SUCCESS in the repository and the live count unchanged.
  const again = await snapshotState(repository, snapshot);
  if (again?.state !== "SUCCESS") {
    await db().archivedMonth.update({ where, data: { state: "failed", error: `snapshot ${snapshot} is no longer SUCCESS (${again?.state ?? "missing"})` } });
    return { stream: def.stream, month, action: "failed", detail: "snapshot missing before the deletion" };
  }
  const now = await countDocs(source);
  if (now !== rec.docCount) {
    // Written to after the verification (the write block was lifted by hand?): start again next pass.
    await db().archivedMonth.update({ where, data: { state: "snapshotting", error: `${source} changed after the verification (${rec.docCount} → ${now})` } });
    await deleteSnapshot(repository, snapshot);
    return { stream: def.stream, month, action: "failed", detail: "changed after the verification" };
  }
  if (def.kind === "extract") await deleteMonthFrom(def.base, liveQuery);
  await deleteIndex(source);
  await db().archivedMonth.update({ where, data: { state: "archived", deletedAt: new Date() } });
  log(`[archive] ${def.stream} ${month}: ${now} documents archived in ${snapshot}, deleted from the cluster`);
  return { stream: def.stream, month, action: "archived" };
}

/** At the end of the total period: the snapshot (and a restored copy) deleted, the record kept as expired. */
async function expireMonths(def: StreamDef, keptFrom: string, months: string[] | undefined, log: (s: string) => void): Promise<MonthOutcome[]> {
  const out: MonthOutcome[] = [];
  const due = await db().archivedMonth.findMany({
    where: { stream: def.stream, month: { lt: keptFrom }, state: { not: "expired" } },
    orderBy: { month: "asc" },
  });
  for (const r of due) {
    if (months && !months.includes(r.month)) continue;
    if (r.state !== "archived" && r.state !== "restored" && r.state !== "verified") continue;
    await deleteIndex(restoredIndexOf(def, r.month));
    if (r.state === "verified") {
      // Killed before its deletion: the total period is over anyway.
      if (def.kind === "extract") await deleteMonthFrom(def.base, monthQuery(def, r.month));
      await deleteIndex(r.sourceIndex);
    }
    await deleteSnapshot(r.repository, r.snapshot);
    await db().archivedMonth.update({ where: { id: r.id }, data: { state: "expired", expiredAt: new Date() } });
    log(`[archive] ${def.stream} ${r.month}: total period over, snapshot ${r.snapshot} deleted`);
    out.push({ stream: def.stream, month: r.month, action: "expired" });
  }
  return out;
}

/** One pass of the archive job over every stream (or the ones asked for). */
export async function runArchivePass(o: ArchivePassOptions = {}): Promise<MonthOutcome[]> {
  const now = o.now ?? new Date();
  const log = o.log ?? ((s: string) => console.error(s));
  const holds = o.holds ?? (async () => true);
  const months = o.months?.map(parseMonth);
  const out: MonthOutcome[] = [];
  for (const def of streamDefs()) {
    if (o.streams && !o.streams.includes(def.stream)) continue;
    const { hotFrom, keptFrom } = cutoffs(def, now);
    for (const month of await candidateMonths(def, hotFrom)) {
      if (months && !months.includes(month)) continue;
      if (!(await holds())) return out;
      try {
        const r = await archiveMonth(def, month, keptFrom, log);
        if (r) out.push(r);
      } catch (e) {
        log(`[archive] ${def.stream} ${month}: ${(e as Error).message}`);
        out.push({ stream: def.stream, month, action: "failed", detail: (e as Error).message });
      }
    }
    if (!(await holds())) return out;
    out.push(...(await expireMonths(def, keptFrom, months, log)));
  }
  return out;
}

export { monthOrdinal };

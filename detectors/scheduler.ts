/**
 * The detection worker: every few minutes each enabled rule runs from its
 * checkpoint (minus an overlap, for late events) to now (minus a small ingest
 * delay). Checkpoints live in the database, so a restart neither skips nor
 * repeats a window; a pause longer than the catch-up limit is recorded as a
 * gap instead of being silently skipped.
 *
 * Several workers (one per console host) may run: only the holder of the
 * database lease "detection-scheduler" runs passes; the others wait and take
 * the lease over when it lapses (DETECT_LEASE_SECONDS after the holder stopped
 * renewing it, e.g. because it was killed).
 *
 * The lease holder also runs the archive job (domain/archive, README "Retention
 * and archive") every ARCHIVE_INTERVAL_SECONDS, asking the lease before each month.
 *
 * Each pass of the lease holder also runs the incidents' escalation pass
 * (overdue upward reports, unanswered investigation requests), which
 * notifies each once.
 */
import { runArchivePass } from "../domain/archive/job";
import { runEscalationPass } from "../domain/incidents";
import { config } from "../lib/config";
import { db } from "../lib/db";
import { acquireLease, LEASE_HOLDER, releaseLease } from "../lib/lease";
import { loadRules } from "./catalogue";
import { runDetectors } from "./engine";

export interface SchedulerOptions {
  overlapMinutes: number;
  delayMinutes: number;
  /** Window of a rule's first run, when it has no checkpoint yet. */
  initialLookbackHours: number;
  /** Longest window one run may take; older uncovered time is recorded as a gap. */
  maxCatchUpHours: number;
}

export const DEFAULT_SCHEDULER_OPTIONS: SchedulerOptions = {
  overlapMinutes: 10,
  delayMinutes: 2,
  initialLookbackHours: 24,
  maxCatchUpHours: 24 * 7,
};

const MIN = 60_000;

export interface ScheduledRun {
  ruleId: string;
  from: Date;
  to: Date;
  alerts: number;
  created: number;
  gap?: { from: Date; to: Date };
  error?: string;
}

/** The window a rule runs over next, and the gap (if any) that must be recorded. */
export function nextWindow(coveredTo: Date | undefined, now: Date, o: SchedulerOptions): { from: Date; to: Date; gap?: { from: Date; to: Date } } {
  const to = new Date(now.getTime() - o.delayMinutes * MIN);
  if (!coveredTo) return { from: new Date(to.getTime() - o.initialLookbackHours * 60 * MIN), to };
  let from = new Date(coveredTo.getTime() - o.overlapMinutes * MIN);
  const earliest = new Date(to.getTime() - o.maxCatchUpHours * 60 * MIN);
  if (from < earliest) {
    const gap = { from: coveredTo, to: earliest };
    from = earliest;
    return { from, to, gap };
  }
  return { from, to };
}

export const SCHEDULER_LEASE = "detection-scheduler";

/**
 * One pass over the enabled rules. `holds` (the worker's lease check) is asked
 * before each rule and before its checkpoint is moved: a worker that lost its
 * lease stops instead of running windows its successor runs.
 */
export async function runScheduledOnce(
  now = new Date(),
  options: SchedulerOptions = DEFAULT_SCHEDULER_OPTIONS,
  only?: string[],
  holds: () => Promise<boolean> = async () => true,
): Promise<ScheduledRun[]> {
  const rules = (await loadRules()).filter((r) => !only || only.includes(r.id));
  const disabled = new Set((await db().ruleSetting.findMany({ where: { organizationId: "", enabled: false } })).map((s) => s.ruleId));
  const out: ScheduledRun[] = [];
  for (const rule of rules.filter((r) => !disabled.has(r.id))) {
    if (!(await holds())) break;
    const cp = await db().detectorCheckpoint.findUnique({ where: { ruleId: rule.id } });
    const w = nextWindow(cp?.coveredTo, now, options);
    if (w.to <= w.from) continue;
    if (w.gap) {
      await db().detectorRun.create({
        data: {
          ruleId: rule.id,
          from: w.gap.from,
          to: w.gap.to,
          startedAt: now,
          durationMs: 0,
          trigger: "schedule",
          error: `gap: not evaluated (the worker was away longer than ${options.maxCatchUpHours} h); run npm run detect over this window`,
        },
      });
    }
    const summary = await runDetectors({ from: w.from, to: w.to }, { rules: [rule.id], trigger: "schedule", now });
    const r = summary.rules[0];
    if (!r.error && (await holds())) {
      await db().detectorCheckpoint.upsert({ where: { ruleId: rule.id }, create: { ruleId: rule.id, coveredTo: w.to }, update: { coveredTo: w.to } });
    }
    out.push({ ruleId: rule.id, from: w.from, to: w.to, alerts: r.alerts, created: r.created, gap: w.gap, error: r.error });
  }
  return out;
}

/**
 * Runs forever: while holding the lease, one pass every `intervalSeconds`
 * (the lease renewed every third of its time meanwhile); else a check every
 * third of the lease time, taking it over once it lapsed.
 */
export async function startScheduler(
  intervalSeconds = 300,
  log: (s: string) => void = console.error,
  leaseSeconds = Number(process.env.DETECT_LEASE_SECONDS ?? 30),
): Promise<never> {
  const ttl = leaseSeconds * 1000;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  let holding = false;
  // Renewal on a timer, so a long pass does not let the lease lapse.
  const heartbeat = setInterval(() => {
    if (holding)
      acquireLease(SCHEDULER_LEASE, ttl)
        .then((ok) => {
          if (!ok) {
            holding = false;
            log(`[detect] ${LEASE_HOLDER} lost the lease`);
          }
        })
        .catch((e) => log(`[detect] lease renewal failed: ${(e as Error).message}`));
  }, ttl / 3);
  heartbeat.unref();
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => {
      void releaseLease(SCHEDULER_LEASE).finally(() => process.exit(0));
    });
  const holds = async () => holding && (await acquireLease(SCHEDULER_LEASE, ttl));
  let lastArchive = 0;
  for (;;) {
    const started = Date.now();
    try {
      const had = holding;
      holding = await acquireLease(SCHEDULER_LEASE, ttl);
      if (holding && !had) log(`[detect] ${LEASE_HOLDER} holds the lease ${SCHEDULER_LEASE}`);
      if (!holding) {
        if (had) log(`[detect] ${LEASE_HOLDER} lost the lease`);
        await sleep(ttl / 3);
        continue;
      }
      const runs = await runScheduledOnce(new Date(), DEFAULT_SCHEDULER_OPTIONS, undefined, holds);
      const created = runs.reduce((n, r) => n + r.created, 0);
      const errors = runs.filter((r) => r.error);
      log(
        `[detect] ${new Date().toISOString()} ${LEASE_HOLDER} ${runs.length} rules, ${created} new alerts${errors.length ? `, errors: ${errors.map((e) => `${e.ruleId}: ${e.error}`).join("; ")}` : ""} (${Date.now() - started} ms)`,
      );
    } catch (e) {
      log(`[detect] pass failed: ${(e as Error).message}`);
    }
    if (holding) {
      try {
        const { overdue, reminded } = await runEscalationPass(new Date());
        if (overdue.length || reminded.length)
          log(`[incidents] overdue reports notified: ${overdue.join(", ") || "none"}; requests reminded: ${reminded.join(", ") || "none"}`);
      } catch (e) {
        log(`[incidents] escalation pass failed: ${(e as Error).message}`);
      }
    }
    if (holding) lastArchive = await archiveIfDue(lastArchive, holds, log);
    await sleep(Math.max(1000, intervalSeconds * 1000 - (Date.now() - started)));
  }
}

/** The archive job when ARCHIVE_ENABLED and ARCHIVE_INTERVAL_SECONDS passed since the last one; returns the time of the last run. */
async function archiveIfDue(last: number, holds: () => Promise<boolean>, log: (s: string) => void): Promise<number> {
  const c = config();
  if (!c.ARCHIVE_ENABLED || Date.now() - last < c.ARCHIVE_INTERVAL_SECONDS * 1000) return last;
  try {
    const out = await runArchivePass({ holds, log });
    if (out.length) log(`[archive] ${out.map((o) => `${o.stream} ${o.month} ${o.action}${o.detail ? ` (${o.detail})` : ""}`).join("; ")}`);
  } catch (e) {
    log(`[archive] pass failed: ${(e as Error).message}`);
  }
  return Date.now();
}

/**
 * Deterministic demo data: registry, access events per node, IDS alerts and
 * labels, written day by day to files (never the whole period in memory).
 * Same options → byte-identical output.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { addRegisterScenarios } from "./registers";
import path from "node:path";
import { isBusinessDay } from "../../lib/calendar";
import { addAnomalies } from "./anomalies";
import { addDemoSubject, addHardNegatives } from "./negatives";
import { ScenarioBuilder } from "./scenarios";
import { DayBuffers, DAY_MS, periodDays, type DemoWorld } from "./context";
import { isoJst, serializeAccessEvent, sortByTime } from "./events";
import { noiseAlerts, serializeAlert, type IdsAlert } from "./ids";
import { NdjsonWriter } from "./output";
import { buildDemoRegistry, IDS_NODE, toRegistryJson } from "./registry";
import { ResidentPools } from "./residents";
import { rngFor } from "./random";
import { addPeriodicNotifications, generateNormalDay } from "./traffic";

export interface GenerateOptions {
  out: string;
  seed: number;
  days: number;
  scale: number;
  /** Last JST calendar day generated (inclusive), YYYY-MM-DD. */
  end: string;
  /** Receives progress lines (stderr in the CLI). */
  progress?: (line: string) => void;
}

export const DEFAULT_OPTIONS = { out: "var/demo", seed: 42, days: 30, scale: 1, end: "2026-11-20" } as const;

export interface GenerateSummary {
  out: string;
  events: number;
  idsAlerts: number;
  files: string[];
  labels: number;
  seconds: number;
  /** Events per node, in registry order. */
  perNode: Record<string, number>;
}

export function validateOptions(o: GenerateOptions): void {
  if (!Number.isInteger(o.seed)) throw new Error(`--seed must be an integer, got ${o.seed}`);
  if (!Number.isInteger(o.days) || o.days < 1 || o.days > 366) throw new Error(`--days must be an integer from 1 to 366, got ${o.days}`);
  if (!(o.scale > 0 && o.scale <= 100)) throw new Error(`--scale must be a number in (0, 100], got ${o.scale}`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(o.end) ||
    Number.isNaN(Date.parse(`${o.end}T00:00:00Z`)) ||
    new Date(`${o.end}T00:00:00Z`).toISOString().slice(0, 10) !== o.end
  ) {
    throw new Error(`--end must be a date YYYY-MM-DD, got ${o.end}`);
  }
}

/** The world (registry, residents, period) for a set of options, without writing anything. */
export function buildWorld(o: Pick<GenerateOptions, "seed" | "days" | "scale" | "end">): DemoWorld {
  const registry = buildDemoRegistry(o.seed, o.scale);
  const days = periodDays(o.end, o.days);
  return {
    seed: o.seed,
    scale: o.scale,
    registry,
    residents: new ResidentPools(o.seed, o.scale, registry.municipalities),
    days,
    from: days[0].midnight,
    to: days[days.length - 1].midnight + DAY_MS - 1,
  };
}

export async function generateDemo(options: GenerateOptions): Promise<GenerateSummary> {
  validateOptions(options);
  const started = performance.now();
  const progress = options.progress ?? (() => {});
  const world = buildWorld(options);
  const scenarios = new ScenarioBuilder(world);
  addAnomalies(scenarios);
  addHardNegatives(scenarios);
  const demoSubject = addDemoSubject(scenarios);
  // Registers (issue 17): drawn after every other scenario, so the data before stays as it was.
  const registers = addRegisterScenarios(scenarios);
  const plan = scenarios.build();
  const out = options.out;

  await mkdir(path.join(out, "events"), { recursive: true });
  await mkdir(path.join(out, "ids"), { recursive: true });
  const files: string[] = ["registry.json"];
  await writeFile(
    path.join(out, "registry.json"),
    JSON.stringify(toRegistryJson(world.registry, plan.maintenanceWindows, plan.afterHoursPermits), null, 2) + "\n",
  );

  // System-work records with link control (issue 18): console records, loaded by `npm run demo`.
  await writeFile(path.join(out, "system-work.json"), JSON.stringify(plan.systemWork, null, 2) + "\n");
  files.push("system-work.json");

  const nodes = world.registry.organizations.map((o) => ({
    id: o.nodeId,
    observer: JSON.stringify({ id: o.nodeId, type: o.nodeType }),
    writer: new NdjsonWriter(path.join(out, "events", `${o.nodeId}.ndjson`)),
    seq: 0,
  }));
  const idsWriter = new NdjsonWriter(path.join(out, "ids", `${IDS_NODE}.ndjson`));
  files.push(...nodes.map((n) => `events/${n.id}.ndjson`), `ids/${IDS_NODE}.ndjson`);

  let total = 0;
  for (const day of world.days) {
    const buffers = new DayBuffers();
    const alerts: IdsAlert[] = noiseAlerts(rngFor(world.seed, "ids", day.key), day);
    generateNormalDay(world, day, plan.adjustmentsFor(day), buffers);
    plan.inject(day, buffers, alerts);
    plan.applySilence(day, buffers);
    addPeriodicNotifications(world, day, buffers);
    plan.applySilence(day, buffers);

    let dayEvents = 0;
    for (const node of nodes) {
      const events = sortByTime(buffers.get(node.id));
      for (const e of events) {
        node.seq++;
        if (node.writer.append(serializeAccessEvent(e, `${node.id}-${String(node.seq).padStart(8, "0")}`, node.observer))) await node.writer.flush();
      }
      dayEvents += events.length;
    }
    alerts.sort((a, b) => a.t - b.t || a.micros - b.micros);
    for (const a of alerts) if (idsWriter.append(serializeAlert(a))) await idsWriter.flush();
    total += dayEvents;
    progress(
      `day ${day.index + 1}/${world.days.length} ${day.key}${isBusinessDay(day.key) ? "" : " (closed)"}: ${dayEvents} events, ${alerts.length} IDS alerts (total ${total})`,
    );
  }
  for (const node of nodes) await node.writer.close();
  await idsWriter.close();

  const labels = plan.labels();
  const labelsJson = {
    seed: options.seed,
    days: options.days,
    scale: options.scale,
    from: isoJst(world.from),
    to: isoJst(world.to),
    demo_subject: { resident_code: demoSubject.residentCode, organization: demoSubject.organization, provisions: demoSubject.provisions },
    anomalies: labels.anomalies,
    hard_negatives: labels.hard_negatives,
    notes: plan.notes,
  };
  await writeFile(path.join(out, "labels.json"), JSON.stringify(labelsJson, null, 2) + "\n");
  files.push("labels.json");
  // Registers (issue 17): the equipment register as offices keep it (CSV) and the IC card register (registry extension).
  const reg = registers(world.days[world.days.length - 1]);
  await mkdir(path.join(out, "registers"), { recursive: true });
  await writeFile(path.join(out, "registers", "equipment.csv"), reg.equipmentCsv);
  await writeFile(path.join(out, "registers", "cards.json"), JSON.stringify(reg.cards, null, 2) + "\n");
  files.push("registers/equipment.csv", "registers/cards.json");

  return {
    out,
    events: total,
    idsAlerts: idsWriter.lines,
    files,
    labels: labels.anomalies.length,
    seconds: Math.round((performance.now() - started) / 10) / 100,
    perNode: Object.fromEntries(nodes.map((n) => [n.id, n.writer.lines])),
  };
}

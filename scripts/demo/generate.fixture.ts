/**
 * Shared fixture of the demo generator's tests (generate.*.test.ts): the
 * datasets they read, generated once per test file into a temporary folder,
 * and the shapes of the files the generator writes.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import type { DemoSystemWork } from "./system-work";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe } from "vitest";
import type { BusinessHours } from "../../lib/calendar";
import type { Label } from "./scenarios";
import { generateDemo, type GenerateOptions, type GenerateSummary } from "./generate";

export const BASE: Omit<GenerateOptions, "out"> = { seed: 7, days: 7, scale: 0.05, end: "2026-11-20" };

/** A week in November (weekend, no moving season) and three spring business days (moving season, fallbacks). */
const DATASETS = {
  november: BASE,
  spring: { ...BASE, days: 3, end: "2027-04-01" },
} satisfies Record<string, Omit<GenerateOptions, "out">>;

export type DatasetName = keyof typeof DATASETS;

export interface Ev {
  "@timestamp": string;
  event: { id: string; action: string; outcome: string };
  observer: { id: string; type: string };
  organization: { id: string };
  user?: { id: string };
  host?: { id: string };
  source?: { ip: string };
  jukinet?: {
    auth?: { method?: string; card_id?: string };
    query?: { kind: string; wildcard: boolean; result_count?: number };
    subject?: { resident_code?: string };
    purpose?: { schedule: string; item: string };
    recipient?: { id: string; name?: string };
    channel?: string;
    record_count?: number;
    change?: { reason: string; source_system?: string };
  };
}
export interface Loaded extends Ev {
  file: string;
  t: number;
}
export interface Registry {
  organizations: { id: string; name: string; kind: string; parent?: string; business_hours: BusinessHours }[];
  nodes: { id: string; type: string; organization: string; expected_interval_minutes: number }[];
  terminals: { id: string; organization: string; ip: string }[];
  operators: { id: string; organization: string; department: string; cards: string[] }[];
  permitted_purposes: { organization: string; schedule: string; items: string[] }[];
  maintenance_windows: { organization: string; start: string; end: string; note: string }[];
  after_hours_permits: { organization: string; operators: string[]; start: string; end: string; reason: string }[];
}
export interface Labels {
  seed: number;
  days: number;
  scale: number;
  from: string;
  to: string;
  demo_subject: { resident_code: string; organization: string; provisions: number };
  anomalies: Label[];
  hard_negatives: Label[];
}

export interface Dataset {
  name: string;
  options: GenerateOptions;
  summary: GenerateSummary;
  registry: Registry;
  labels: Labels;
  /** system-work.json: system-work records with link control (issue 18). */
  systemWork: DemoSystemWork[];
  events: Loaded[];
  alerts: { timestamp: string; dest_ip: string; src_ip: string; alert: { severity: number } }[];
}

export const within = (label: Label, t: number) => t >= Date.parse(label.start) && t <= Date.parse(label.end);
export const isSystem = (user: string | undefined) => user?.startsWith("SYS-") ?? false;

async function generateAndLoad(root: string, name: string, options: Omit<GenerateOptions, "out">): Promise<Dataset> {
  const out = path.join(root, name);
  const summary = await generateDemo({ ...options, out });
  const events: Loaded[] = [];
  for (const file of (await readdir(path.join(out, "events"))).sort()) {
    const text = await readFile(path.join(out, "events", file), "utf8");
    for (const line of text.split("\n")) {
      if (line === "") continue;
      const e = JSON.parse(line) as Ev;
      events.push({ ...e, file, t: Date.parse(e["@timestamp"]) });
    }
  }
  const ids = await readFile(path.join(out, "ids", "IDS-350001.ndjson"), "utf8");
  return {
    name,
    options: { ...options, out },
    summary,
    registry: JSON.parse(await readFile(path.join(out, "registry.json"), "utf8")),
    labels: JSON.parse(await readFile(path.join(out, "labels.json"), "utf8")),
    systemWork: JSON.parse(await readFile(path.join(out, "system-work.json"), "utf8")),
    events,
    alerts: ids
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
  };
}

export interface Fixture {
  /** The temporary folder; dataset `name` is in `<root>/<name>`. */
  readonly root: string;
  byName(name: DatasetName): Dataset;
}

/** Generates the named datasets before the file's tests (in a temporary folder, removed after them). */
export function useDatasets(names: readonly DatasetName[]): Fixture {
  let root = "";
  const datasets: Dataset[] = [];
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "demo-generate-"));
    for (const name of names) datasets.push(await generateAndLoad(root, name, DATASETS[name]));
  }, 120_000);
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });
  return {
    get root() {
      return root;
    },
    byName: (name) => datasets.find((d) => d.name === name)!,
  };
}

/** One dataset as the per-dataset tests read it, filled in before they run. */
export interface DatasetView extends Dataset {
  /** The anomaly labels of one rule. */
  labelled(rule: string): Label[];
}

/** Runs `body` once for each dataset, inside a `<name> data` describe block. */
export function describeEachDataset(body: (data: DatasetView) => void): void {
  const fixture = useDatasets(Object.keys(DATASETS) as DatasetName[]);
  describe.each(Object.keys(DATASETS) as DatasetName[])("%s data", (name) => {
    const data = { labelled: (rule: string) => data.labels.anomalies.filter((l) => l.rule === rule) } as DatasetView;
    beforeAll(() => {
      Object.assign(data, fixture.byName(name));
    });
    body(data);
  });
}

/**
 * Detection quality on the demo data: runs every rule over the generated
 * 30 days and compares the alerts with the generator's labels. Prints recall
 * per rule, overall precision, and any alert on a labelled hard negative.
 *
 *   npx tsx bench/detect-quality.ts [--scale 1] [--days 30] [--reuse]
 *
 * An alert matches a label when the rule is the same, the organisation is the
 * same and the alert's window overlaps the label's (±1 h). For precision, an
 * alert also counts when it names the same entity at the same time as an
 * incident labelled for another rule (listed separately); subject labels carry
 * the clear code, mapped here through the same keyed reference as at ingest.
 * `--reuse` keeps the generated and ingested dataset of that scale (shared with
 * bench:detect); each run starts without alerts.
 */
import { log, prepareDataset, type Label } from "./dataset";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};

async function main() {
  const ds = await prepareDataset({ scale: Number(arg("scale", "1")), days: Number(arg("days", "30")), reuse: process.argv.includes("--reuse") });
  const { runDetectors } = await import("../detectors/engine");
  const { loadRules } = await import("../detectors/catalogue");
  const { searchAlerts } = await import("../domain/alerts");
  const { systemScope } = await import("../lib/auth/scope");
  const labels: Label[] = ds.labels.anomalies;
  const negatives: Label[] = ds.labels.hard_negatives;
  const from = new Date(ds.labels.from);
  const to = new Date(Date.parse(ds.labels.to) + 1);
  log(`running every rule over ${ds.labels.from} … ${ds.labels.to}`);
  const summary = await runDetectors({ from, to }, { now: to, trigger: "cli" });
  const { alerts } = await searchAlerts({ from: from.toISOString(), to: to.toISOString(), size: 10_000 }, systemScope("bench"));
  const SLACK = 3600_000;
  const overlaps = (a: { start: string; end: string }, l: Label) =>
    Date.parse(a.start) < Date.parse(l.end) + SLACK && Date.parse(a.end) > Date.parse(l.start) - SLACK;
  const matches = (a: (typeof alerts)[number], l: Label) => a.rule.id === l.rule && a.organization.id === l.organization && overlaps(a.window, l);

  const rules = (await loadRules()).map((r) => r.id);
  console.log(`\nDetection quality on the demo data (scale ${arg("scale", "1")}, ${ds.events.toLocaleString()} events, ${labels.length} labelled anomalies)`);
  console.log("| rule | labelled | found | recall | alerts | alerts matching a label |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  let truePositives = 0;
  let found = 0;
  const missing: string[] = [];
  for (const rule of rules) {
    const ls = labels.filter((l) => l.rule === rule);
    const as = alerts.filter((a) => a.rule.id === rule);
    const hit = ls.filter((l) => as.some((a) => matches(a, l)));
    const tp = as.filter((a) => ls.some((l) => matches(a, l))).length;
    truePositives += tp;
    found += hit.length;
    for (const l of ls) if (!hit.includes(l)) missing.push(`${l.id} ${l.rule} ${l.organization}: ${l.description}`);
    const time = summary.rules.find((r) => r.id === rule);
    console.log(
      `| ${rule} | ${ls.length} | ${hit.length} | ${ls.length ? (hit.length / ls.length).toFixed(2) : "–"} | ${as.length} | ${tp}${time?.error ? ` (error: ${time.error})` : ""} |`,
    );
  }
  // An alert of one rule on an incident labelled for another (same organisation, same entity, same time —
  // e.g. the operator whose volume spike also printed a hundred records) points at a real incident: it counts
  // for precision, and is listed so that this stays visible.
  const { residentRef } = await import("../domain/ingest/pseudonym");
  const labelEntity = (l: Label) => (l.entity.type === "subject" ? residentRef(l.entity.id) : l.entity.id);
  const onOtherIncident = (a: (typeof alerts)[number]) =>
    !labels.some((l) => matches(a, l)) &&
    labels.some(
      (l) =>
        l.rule !== a.rule.id &&
        l.organization === a.organization.id &&
        l.entity.type === a.entity.type &&
        labelEntity(l) === a.entity.id &&
        overlaps(a.window, l),
    );
  const crossRule = alerts.filter(onOtherIncident);
  const precision = alerts.length ? (truePositives + crossRule.length) / alerts.length : 1;
  console.log(
    `\nRecall overall: ${found}/${labels.length} = ${(found / labels.length).toFixed(2)}; precision: ${truePositives + crossRule.length}/${alerts.length} = ${precision.toFixed(2)} (${truePositives} on their own rule's label, ${crossRule.length} on an incident labelled for another rule; by own-rule labels only: ${(alerts.length ? truePositives / alerts.length : 1).toFixed(2)})`,
  );
  if (crossRule.length)
    console.log(
      `\nAlerts on an incident labelled for another rule:\n${crossRule
        .map(
          (a) =>
            `- ${a.rule.id} ${a.organization.id} ${a.entity.type}:${a.entity.id} ${a.window.start} ${a.summary} ← ${labels
              .filter((l) => l.organization === a.organization.id && labelEntity(l) === a.entity.id && overlaps(a.window, l))
              .map((l) => `${l.rule}: ${l.description}`)
              .join("; ")}`,
        )
        .join("\n")}`,
    );
  if (missing.length) console.log(`\nMissed:\n${missing.map((m) => `- ${m}`).join("\n")}`);
  const onNegatives = alerts.filter(
    (a) =>
      negatives.some((n) => a.rule.id === n.rule && (a.entity.id === n.entity.id || a.organization.id === n.organization) && overlaps(a.window, n)) &&
      !labels.some((l) => matches(a, l)),
  );
  if (onNegatives.length)
    console.log(
      `\nAlerts on hard negatives:\n${onNegatives.map((a) => `- ${a.rule.id} ${a.organization.id} ${a.entity.type}:${a.entity.id} ${a.window.start} ${a.summary}`).join("\n")}`,
    );
  const unmatched = alerts.filter((a) => !labels.some((l) => matches(a, l)) && !crossRule.includes(a));
  if (unmatched.length)
    console.log(
      `\nAlerts matching no label (${unmatched.length}):\n${unmatched
        .slice(0, 40)
        .map((a) => `- ${a.rule.id} ${a.organization.id} ${a.entity.type}:${a.entity.id} ${a.window.start} ${a.summary}`)
        .join("\n")}`,
    );
  await ds.stop();
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

/**
 * Deterministic demo data for the demo prefecture (山口県 and its 19 市町).
 *
 *   npx tsx scripts/demo-generate.ts [--out var/demo] [--seed 42] [--days 30] [--scale 1] [--end 2026-11-20]
 *
 * --end is the last JST calendar day generated (inclusive). Progress goes to
 * stderr; a JSON summary { out, events, idsAlerts, files, labels, seconds } to stdout.
 */
import { parseArgs } from "node:util";
import { DEFAULT_OPTIONS, generateDemo } from "./demo/generate";

function numberArg(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) throw new Error(`--${name} must be a number, got "${value}"`);
  return n;
}

async function main() {
  const { values } = parseArgs({
    options: {
      out: { type: "string" },
      seed: { type: "string" },
      days: { type: "string" },
      scale: { type: "string" },
      end: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write("usage: npx tsx scripts/demo-generate.ts [--out var/demo] [--seed 42] [--days 30] [--scale 1] [--end 2026-11-20]\n");
    return;
  }
  const summary = await generateDemo({
    out: values.out ?? DEFAULT_OPTIONS.out,
    seed: numberArg("seed", values.seed, DEFAULT_OPTIONS.seed),
    days: numberArg("days", values.days, DEFAULT_OPTIONS.days),
    scale: numberArg("scale", values.scale, DEFAULT_OPTIONS.scale),
    end: values.end ?? DEFAULT_OPTIONS.end,
    progress: (line) => process.stderr.write(line + "\n"),
  });
  const { out, events, idsAlerts, files, labels, seconds } = summary;
  process.stdout.write(JSON.stringify({ out, events, idsAlerts, files, labels, seconds }) + "\n");
}

main().catch((err: unknown) => {
  process.stderr.write(`demo-generate: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});

/**
 * npm run archive -- list [--stream events]
 *                  | restore <stream> <YYYY-MM> --reason "…"
 *                  | release <stream> <YYYY-MM>
 *                  | run [--stream events] [--month YYYY-MM] [--now ISO]
 *
 * The archive tier (README "Retention and archive"): `run` is one pass of the
 * job the detection worker runs on its own (snapshot → verify → record →
 * delete of each month leaving the hot period; snapshot deletion at the end of
 * the total period). Streams: events, ids, alerts, trail. Restore and release
 * are written to the audit trail (actor system:cli). Every command is safe to
 * kill and to run again.
 */
import { checkpointsSettled } from "../lib/audit/trail";
import { runArchivePass } from "../domain/archive/job";
import { listArchive, releaseMonth, restoreMonth } from "../domain/archive/restore";
import { ARCHIVE_STREAMS, ArchiveError, type ArchiveStream } from "../domain/archive/streams";

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const positional = args.filter((a, i) => !a.startsWith("--") && !(i > 0 && args[i - 1].startsWith("--")));
const actor = { actorLogin: "system:cli" };

function stream(s: string | undefined): ArchiveStream | undefined {
  if (s === undefined) return undefined;
  if (!(ARCHIVE_STREAMS as readonly string[]).includes(s))
    throw new ArchiveError("unknown_stream", `unknown stream "${s}" (one of ${ARCHIVE_STREAMS.join(", ")})`);
  return s as ArchiveStream;
}

async function main(): Promise<void> {
  const [command, a, b] = positional;
  switch (command) {
    case "list": {
      const rows = await listArchive(stream(opt("stream")));
      if (!rows.length) console.log("no archived months");
      for (const r of rows)
        console.log(
          [
            r.stream,
            r.month,
            r.state,
            r.snapshot,
            r.docCount ?? "-",
            r.deletedAt?.toISOString() ?? "-",
            r.restoredBy ? `restored by ${r.restoredBy}: ${r.restoreReason}` : "",
            r.error ?? "",
          ]
            .join("\t")
            .trimEnd(),
        );
      return;
    }
    case "restore": {
      if (!a || !b) throw new Error('usage: npm run archive -- restore <stream> <YYYY-MM> --reason "…"');
      const r = await restoreMonth(a, b, opt("reason") ?? "", actor);
      console.log(`restored ${a} ${b} as ${r.index} (${r.docCount ?? "?"} documents); release it with: npm run archive -- release ${a} ${b}`);
      return;
    }
    case "release": {
      if (!a || !b) throw new Error("usage: npm run archive -- release <stream> <YYYY-MM>");
      await releaseMonth(a, b, actor);
      console.log(`released ${a} ${b}`);
      return;
    }
    case "run": {
      const s = stream(opt("stream"));
      const now = opt("now");
      const out = await runArchivePass({
        streams: s ? [s] : undefined,
        months: opt("month") ? [opt("month")!] : undefined,
        now: now ? new Date(now) : undefined,
        log: (l) => console.error(l),
      });
      for (const o of out) console.log([o.stream, o.month, o.action, o.detail ?? ""].join("\t").trimEnd());
      if (!out.length) console.log("nothing to do");
      if (out.some((o) => o.action === "failed")) process.exitCode = 1;
      return;
    }
    default:
      console.error(
        'usage: npm run archive -- list | restore <stream> <YYYY-MM> --reason "…" | release <stream> <YYYY-MM> | run [--stream s] [--month YYYY-MM]',
      );
      process.exit(2);
  }
}

main()
  .then(() => checkpointsSettled())
  .then(() => process.exit(process.exitCode ?? 0))
  .catch((e) => {
    console.error(`[archive] ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  });

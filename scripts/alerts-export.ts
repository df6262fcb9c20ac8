/** npm run alerts:export -- --from <ISO> --to <ISO>: alerts overlapping the range, as GET /api/alerts returns them, full scope. */
import { searchAlerts } from "../domain/alerts";
import { systemScope } from "../lib/auth/scope";

const args = process.argv.slice(2);
const value = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
searchAlerts(
  { from: value("from"), to: value("to"), rule: value("rule"), organization: value("organization"), status: value("status"), size: 10_000 },
  systemScope("cli"),
)
  .then((r) => console.log(JSON.stringify(r, null, 2)))
  .catch((e) => {
    console.error(`alerts:export: ${(e as Error).message}`);
    process.exit(1);
  });

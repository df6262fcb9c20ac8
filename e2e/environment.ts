/**
 * The e2e console's configuration: its database, Elasticsearch port, secrets
 * for tests, mail server and sign-in limits. Read by the global setup, which
 * serves the console with it, and by `npm test`, which builds the console with
 * it ahead of the e2e phase (next build must see what next start will).
 */
import path from "node:path";
import { VAR_DIR } from "../lib/paths";

export const E2E_ES_PORT = Number(process.env.E2E_ES_PORT ?? 9270);
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_SMTP_PORT = Number(process.env.E2E_SMTP_PORT ?? 2587);
export const E2E_DB_FILE = path.join(VAR_DIR, "test", "e2e.db");
/** Set by `npm test` when it has built the console with this configuration in the same run: the setup skips its build. */
export const PREBUILT_FLAG = "E2E_PREBUILT";

export function e2eEnvironment(): Record<string, string> {
  return {
    DATABASE_URL: `file:${E2E_DB_FILE}`,
    PSEUDONYM_KEY: "6532652d70736575646f6e796d2d6b65792d6e6f742d666f722d70726f64756374696f6e",
    NEXTAUTH_SECRET: "e2e-session-secret-not-for-production",
    // Every e2e request comes from one address: the per-address sign-in limit would otherwise throttle the specs.
    SIGNIN_LIMIT_PER_ADDRESS: "1000",
    NEXTAUTH_URL: `http://localhost:${E2E_PORT}`,
    NEXT_TELEMETRY_DISABLED: "1",
    EVIDENCE_DIR: path.join(VAR_DIR, "test", "e2e-evidence"),
    SMTP_URL: `smtp://127.0.0.1:${E2E_SMTP_PORT}`,
    MAIL_FROM: "Juki-net Watch e2e <watch@e2e.example.lg.jp>",
    ...(process.env.ELASTICSEARCH_URL ? {} : { ES_PORT: String(E2E_ES_PORT) }),
  };
}

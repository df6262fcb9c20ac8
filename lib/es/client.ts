/** The one Elasticsearch client of the process. */
import fs from "node:fs";
import { Client } from "@elastic/elasticsearch";
import { config, elasticsearchUrl } from "../config";

let client: Client | undefined;

export function es(): Client {
  if (client) return client;
  const c = config();
  client = new Client({
    node: elasticsearchUrl(),
    auth: c.ELASTICSEARCH_API_KEY
      ? { apiKey: c.ELASTICSEARCH_API_KEY }
      : c.ELASTICSEARCH_USERNAME
        ? { username: c.ELASTICSEARCH_USERNAME, password: c.ELASTICSEARCH_PASSWORD ?? "" }
        : undefined,
    tls: c.ELASTICSEARCH_CA_CERT ? { ca: fs.readFileSync(c.ELASTICSEARCH_CA_CERT) } : undefined,
    requestTimeout: 120_000,
    // Ingest handles retries itself so that it can answer 429/503 with Retry-After.
    maxRetries: 1,
    compression: false,
  });
  return client;
}

/** For tests and scripts that switch clusters within one process. */
export async function resetEsClient(): Promise<void> {
  const old = client;
  client = undefined;
  await old?.close();
}

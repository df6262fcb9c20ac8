/**
 * A real SMTP server for tests (the `smtp-server` package: a full SMTP
 * conversation over TCP, no mocked transport) that keeps every message it
 * accepted, parsed with `mailparser`; and a local HTTP receiver of webhooks
 * that keeps each request's raw body and headers and answers what the test
 * says. Both can be stopped and started again on the same port, to play an
 * outage. Used by the integration tests and the e2e specs.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { simpleParser } from "mailparser";

export interface CapturedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  raw: string;
  headers: Record<string, string>;
}

export interface TestSmtp {
  port: number;
  url: string;
  mails: CapturedMail[];
  /** Resolves when `n` mails have arrived (rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<CapturedMail[]>;
  stop(): Promise<void>;
  /** Listens again on the same port after a stop. */
  start(): Promise<void>;
}

/** Starts the server on `port` (0: any free port). */
export async function startTestSmtp(port = 0): Promise<TestSmtp> {
  const mails: CapturedMail[] = [];
  const make = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          const raw = Buffer.concat(chunks);
          simpleParser(raw).then(
            (m) => {
              const headers: Record<string, string> = {};
              for (const [k, v] of m.headers) headers[k] = typeof v === "string" ? v : JSON.stringify(v);
              mails.push({
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
                to: session.envelope.rcptTo.map((r) => r.address),
                subject: m.subject ?? "",
                text: m.text ?? "",
                raw: raw.toString("utf8"),
                headers,
              });
              callback();
            },
            (e: Error) => callback(e),
          );
        });
      },
    });
  let server = make();
  const listen = (p: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(p, "127.0.0.1", () => resolve((server.server.address() as AddressInfo).port));
    });
  const actual = await listen(port);
  return {
    port: actual,
    url: `smtp://127.0.0.1:${actual}`,
    mails,
    async waitFor(n, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      while (mails.length < n) {
        if (Date.now() > until) throw new Error(`expected ${n} mails at the test SMTP server, got ${mails.length}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return mails;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    async start() {
      server = make();
      await listen(actual);
    },
  };
}

export interface CapturedRequest {
  body: string;
  headers: http.IncomingHttpHeaders;
  status: number;
}

export interface TestWebhookReceiver {
  url: string;
  requests: CapturedRequest[];
  /** The status of the next answers (default 204). */
  respondWith(status: number): void;
  stop(): Promise<void>;
}

export async function startWebhookReceiver(port = 0): Promise<TestWebhookReceiver> {
  const requests: CapturedRequest[] = [];
  let status = 204;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests.push({ body: Buffer.concat(chunks).toString("utf8"), headers: req.headers, status });
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    requests,
    respondWith: (s) => void (status = s),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

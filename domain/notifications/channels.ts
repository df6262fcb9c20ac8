/**
 * The two outgoing channels: mail through the SMTP server of `SMTP_URL`
 * (nodemailer, one pooled transport per URL) and signed webhook POSTs
 * (INTERFACE.md §7). Each either resolves (delivered) or throws an error
 * whose message goes to the delivery log; neither message ever carries the
 * webhook secret or the SMTP password.
 */
import nodemailer, { type Transporter } from "nodemailer";
import { config } from "../../lib/config";
import { signatureOf } from "./text";

const transports = new Map<string, Transporter>();

function transportFor(url: string): Transporter {
  let tr = transports.get(url);
  if (!tr) {
    tr = nodemailer.createTransport(url, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 } as object);
    transports.set(url, tr);
  }
  return tr;
}

/** Closes the cached SMTP connections (tests, worker shutdown). */
export function closeTransports(): void {
  for (const tr of transports.values()) tr.close();
  transports.clear();
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  deliveryId: string;
}

export async function sendMail(m: MailMessage, smtpUrl = config().SMTP_URL): Promise<void> {
  if (!smtpUrl) throw new Error("SMTP_URL is not set");
  const c = config();
  try {
    await transportFor(smtpUrl).sendMail({
      from: c.MAIL_FROM,
      to: m.to,
      subject: m.subject,
      text: m.text,
      headers: { "X-Jukinet-Delivery": m.deliveryId },
      messageId: `<${m.deliveryId}@jukinet-watch>`,
    });
  } catch (e) {
    throw new Error(`SMTP: ${scrub((e as Error).message, smtpUrl)}`);
  }
}

export interface WebhookMessage {
  url: string;
  secret: string;
  body: string;
  deliveryId: string;
  type: string;
}

/** POSTs the body; any 2xx acknowledges, anything else (a redirect included) is an error to retry. */
export async function sendWebhook(m: WebhookMessage, timeoutMs = 10_000): Promise<void> {
  let res: Response;
  try {
    res = await fetch(m.url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "jukinet-watch",
        "X-Jukinet-Signature": signatureOf(m.secret, m.body),
        "X-Jukinet-Delivery": m.deliveryId,
        "X-Jukinet-Event": m.type,
      },
      body: m.body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    throw new Error(`webhook: ${err.cause?.code ?? err.cause?.message ?? err.message}`);
  }
  await res.body?.cancel().catch(() => undefined);
  if (res.status < 200 || res.status > 299) throw new Error(`webhook: HTTP ${res.status}`);
}

/** Takes credentials of the SMTP URL out of an error message. */
function scrub(message: string, url: string): string {
  let out = message;
  try {
    const u = new URL(url);
    for (const s of [u.password, decodeURIComponent(u.password)]) if (s) out = out.split(s).join("***");
  } catch {
    // not a URL: nothing to take out
  }
  return out.slice(0, 500);
}

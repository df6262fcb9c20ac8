/**
 * What a notification says, by channel: the mail (subject and plain text)
 * and the webhook body of INTERFACE.md §7 with its signature. Text comes
 * from the catalogue, times in JST, links to the console; every free line
 * passes `redactNumbers`, so a resident's 住民票コード (11 digits) or
 * 個人番号 (12 digits) that a caller put in by mistake never leaves.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { formatJst, labelOr, t } from "../../lib/i18n";
import { JST_OFFSET_MS } from "../../lib/calendar";
import type { NotificationType } from "./types";

/** A stored event as the channels read it. */
export interface StoredEvent {
  id: string;
  type: string;
  organizationId: string;
  severity: string;
  title: string;
  lines: string;
  path: string;
  createdAt: Date;
}

/** Runs of 11 or 12 digits standing alone (a 住民票コード, a 個人番号) are replaced; organisation codes (6) and times are not. */
export function redactNumbers(text: string): string {
  return text.replace(/(?<![0-9A-Za-z])\d{11,12}(?![0-9A-Za-z])/g, t("notify.redacted"));
}

const label = labelOr;
export const typeLabel = (type: string): string => label(`notify.type.${type}`, type);
export const severityLabel = (s: string): string => label(`severity.${s}`, s);

/** An absolute console link of a path (only paths of this console: one leading slash). */
export function consoleLink(base: string, path: string): string {
  const p = path.startsWith("/") && !path.startsWith("//") ? path : `/${path.replace(/^\/+/, "")}`;
  return `${base}${p}`;
}

/** ISO 8601 in JST with its offset, e.g. 2026-12-02T14:03:00+09:00. */
export function jstIso(d: Date): string {
  return new Date(d.getTime() + JST_OFFSET_MS).toISOString().replace(/\.\d{3}Z$/, "+09:00");
}

function linesOf(e: StoredEvent): string[] {
  try {
    const v = JSON.parse(e.lines) as unknown;
    return Array.isArray(v) ? v.map((l) => redactNumbers(String(l))) : [];
  } catch {
    return [];
  }
}

export function mailOf(e: StoredEvent, organizationName: string, base: string): { subject: string; text: string } {
  const title = redactNumbers(e.title);
  const subject = `${t("notify.mail.subjectPrefix")}［${severityLabel(e.severity)}］${title}`;
  const text = [
    title,
    "",
    `${t("notify.mail.type")}：${typeLabel(e.type as NotificationType)}`,
    `${t("notify.mail.severity")}：${severityLabel(e.severity)}`,
    `${t("notify.mail.organization")}：${organizationName}（${e.organizationId}）`,
    `${t("notify.mail.at")}：${formatJst(e.createdAt)}`,
    ...linesOf(e),
    "",
    `${t("notify.mail.link")}：${consoleLink(base, e.path)}`,
    "",
    "--",
    t("notify.mail.footer"),
    "",
  ].join("\n");
  return { subject, text };
}

/** The webhook body of INTERFACE.md §7, as the exact bytes that are signed and sent. */
export function webhookBody(e: StoredEvent, organizationName: string, base: string): string {
  return JSON.stringify({
    type: e.type,
    id: e.id,
    severity: e.severity,
    organization: { id: e.organizationId, name: organizationName },
    title: redactNumbers(e.title),
    url: consoleLink(base, e.path),
    at: jstIso(e.createdAt),
  });
}

/** `sha256=<hex HMAC-SHA256 of the raw body>` with the endpoint's secret. */
export function signatureOf(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** What a receiver does: compare the header with its own HMAC in constant time. */
export function verifySignature(secret: string, body: string | Buffer, header: string | null | undefined): boolean {
  if (!header) return false;
  const want = Buffer.from(signatureOf(secret, body));
  const got = Buffer.from(header);
  return want.length === got.length && timingSafeEqual(want, got);
}

/**
 * Suricata EVE JSON alert lines (INTERFACE.md §2), sent unmodified by the
 * sensor. Only `event_type: "alert"` lines are stored; other EVE record types
 * (flow, dns, stats …) in the same file are counted as skipped.
 */
import { isIP } from "node:net";
import { z } from "zod";

// Suricata writes e.g. 2026-11-03T10:15:02.123456+0900
const EVE_TS = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

const ip = z.string().refine((s) => isIP(s) !== 0, { message: "expected an IP address" });
const port = z.number().int().min(0).max(65535).optional();

export const eveAlertSchema = z.object({
  timestamp: z.string().refine((s) => toIsoTimestamp(s) !== undefined, { message: "expected a Suricata timestamp like 2026-11-03T10:15:02.123456+0900" }),
  event_type: z.literal("alert"),
  flow_id: z.union([z.number(), z.string()]).optional(),
  in_iface: z.string().optional(),
  src_ip: ip,
  src_port: port,
  dest_ip: ip,
  dest_port: port,
  proto: z.string().min(1),
  app_proto: z.string().optional(),
  alert: z.object({
    action: z.string().optional(),
    gid: z.number().int().optional(),
    signature_id: z.number().int(),
    rev: z.number().int().optional(),
    signature: z.string().min(1),
    category: z.string().optional(),
    severity: z.number().int().min(1).max(255),
  }),
});

export type EveAlert = z.infer<typeof eveAlertSchema>;

/** Normalises a Suricata timestamp to ISO 8601 UTC with milliseconds, or undefined if unreadable. */
export function toIsoTimestamp(s: string): string | undefined {
  const m = EVE_TS.exec(s);
  if (!m) return undefined;
  const frac = m[2] ? m[2].slice(0, 4).padEnd(4, "0") : ".000";
  const offset = m[3] === "Z" ? "Z" : `${m[3].slice(0, 3)}:${m[3].slice(-2)}`;
  const t = Date.parse(`${m[1]}${frac}${offset}`);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

export function toStoredIdsAlert(a: EveAlert, raw: string, observer: { id: string; organization: string }, eventId: string, ingested: string) {
  return {
    "@timestamp": toIsoTimestamp(a.timestamp)!,
    event: { id: eventId, kind: "alert", dataset: "suricata.eve", ingested, original: raw },
    observer: { id: observer.id, type: "ids_sensor" },
    organization: { id: observer.organization },
    source: { ip: a.src_ip, port: a.src_port },
    destination: { ip: a.dest_ip, port: a.dest_port },
    network: { transport: a.proto.toLowerCase(), protocol: a.app_proto },
    rule: { id: String(a.alert.signature_id), name: a.alert.signature, category: a.alert.category },
    suricata: {
      eve: {
        flow_id: a.flow_id === undefined ? undefined : String(a.flow_id),
        in_iface: a.in_iface,
        alert: { severity: a.alert.severity, action: a.alert.action, gid: a.alert.gid, rev: a.alert.rev },
      },
    },
  };
}

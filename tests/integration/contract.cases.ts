/**
 * The contract-conformance cases (INTERFACE.md §1–§3) as data: what the
 * contract allows (ALLOWED) and what it forbids (FORBIDDEN, with the reason
 * that must name the field). contract.test.ts sends each through every
 * transport.
 */
import type { Stream } from "../../lib/es/indices";

export const CS = "CS-352012";
export const PS = "PS-350001"; // a prefectural server: sends for the municipalities of its subtree
export const IDS = "IDS-350001";
export const T0 = Date.parse("2026-11-10T09:00:00+09:00");
export const at = (n: number) => new Date(T0 + n * 60_000 + 9 * 3600_000).toISOString().replace("Z", "+09:00");

export type Line = Record<string, unknown> | string;
/** One case: the node that sends it and the line, built from the run id and the case number (unique event.id). */
export interface Case {
  name: string;
  node: string;
  stream?: Stream;
  line: (id: string, n: number) => Line;
}

export const cs = (id: string, n: number) => ({
  "@timestamp": at(n),
  event: { id, outcome: "success" },
  observer: { id: CS, type: "municipal_cs" },
  organization: { id: "352012" },
});
export const ps = (id: string, n: number) => ({
  "@timestamp": at(n),
  event: { id, outcome: "success" },
  observer: { id: PS, type: "prefectural_server" },
  organization: { id: "352039" },
});
export const search = { query: { kind: "resident_code" }, purpose: { schedule: "jukiho", item: "jukiho-1" } };
export const withAction = (e: ReturnType<typeof cs>, action: string) => ({ ...e, event: { ...e.event, action } });
export const eve = (n: number, extra: Record<string, unknown> = {}) => ({
  timestamp: at(n)
    .replace(/:(\d\d)$/, "$1")
    .replace(/\.(\d{3})/, ".$1456"),
  flow_id: 998877000 + n,
  in_iface: "eth1",
  event_type: "alert",
  src_ip: "203.0.113.9",
  src_port: 40000 + n,
  dest_ip: "10.35.201.11",
  dest_port: 443,
  proto: "TCP",
  alert: {
    action: "allowed",
    gid: 1,
    signature_id: 2_100_000 + n,
    rev: 2,
    signature: "ET POLICY contract case",
    category: "Potentially Bad Traffic",
    severity: 3,
  },
  ...extra,
});

export const ALLOWED: Case[] = [
  {
    name: "per-resident provide carrying a batch id by the immediate channel (the contract does not tie the two)",
    node: PS,
    line: (id, n) => ({
      ...withAction(ps(id, n), "provide"),
      jukinet: {
        subject: { resident_code: "12345678903" },
        purpose: { schedule: "4", item: "4-1" },
        recipient: { id: "AG-PENSION" },
        channel: "immediate",
        batch: { id: "B-20261110-03" },
      },
    }),
  },
  {
    name: "search with only the required fields",
    node: CS,
    line: (id, n) => ({ ...withAction(cs(id, n), "search"), user: { id: "OP-352012-001" }, jukinet: search }),
  },
  {
    name: "optional fields null",
    node: CS,
    line: (id, n) => ({
      ...withAction(cs(id, n), "search"),
      user: { id: "OP-352012-001" },
      host: null,
      source: { ip: null },
      jukinet: {
        query: { kind: "four_info", wildcard: null, result_count: null },
        purpose: search.purpose,
        subject: null,
        record_count: null,
        channel: null,
        change: null,
      },
    }),
  },
  {
    name: "dotted keys only",
    node: CS,
    line: (id, n) => ({
      "@timestamp": at(n),
      "event.id": id,
      "event.action": "view",
      "event.outcome": "success",
      "observer.id": CS,
      "observer.type": "municipal_cs",
      "organization.id": "352012",
      "user.id": "OP-352012-002",
      "host.id": "TM-352012-01",
      "source.ip": "10.35.201.11",
      "jukinet.subject.resident_code": "12345678901",
      "jukinet.purpose.schedule": "jukiho",
      "jukinet.purpose.item": "jukiho-2",
    }),
  },
  {
    name: "nested and dotted keys mixed",
    node: CS,
    line: (id, n) => ({
      ...withAction(cs(id, n), "search"),
      "user.id": "OP-352012-001",
      jukinet: { purpose: search.purpose },
      "jukinet.query.kind": "name_birthdate",
      "jukinet.query.wildcard": true,
    }),
  },
  {
    name: "update by the resident-records system (no operator)",
    node: CS,
    line: (id, n) => ({
      ...withAction(cs(id, n), "update"),
      jukinet: { subject: { resident_code: "12345678902" }, change: { reason: "move_in", source_system: "住民記録システム" } },
    }),
  },
  {
    name: "update with user.id null (dotted)",
    node: CS,
    line: (id, n) => ({
      ...withAction(cs(id, n), "update"),
      "user.id": null,
      "jukinet.change.reason": "birth",
      "jukinet.change.source_system": "住民記録システム",
      "jukinet.record_count": 3,
    }),
  },
  {
    name: "nightly batch_provide by a prefectural server for a municipality of its subtree",
    node: PS,
    line: (id, n) => ({
      ...withAction(ps(id, n), "batch_provide"),
      jukinet: {
        purpose: { schedule: "4", item: "4-1" },
        recipient: { id: "AG-PENSION", name: "日本年金機構" },
        channel: "online_batch",
        record_count: 1200,
        batch: { id: "B-20261110-01" },
      },
    }),
  },
  {
    name: "per-resident provide of a media batch, no operator",
    node: PS,
    line: (id, n) => ({
      ...withAction(ps(id, n), "provide"),
      jukinet: {
        subject: { resident_code: "12345678903" },
        purpose: { schedule: "4", item: "4-1" },
        recipient: { id: "AG-PENSION" },
        channel: "media",
        batch: { id: "B-20261110-02" },
      },
    }),
  },
  {
    name: "per-resident provide of an online batch, dotted batch id (the summary's batch)",
    node: PS,
    line: (id, n) => ({
      ...withAction(ps(id, n), "provide"),
      "jukinet.subject.resident_code": "12345678907",
      "jukinet.purpose.schedule": "4",
      "jukinet.purpose.item": "4-1",
      "jukinet.recipient.id": "AG-PENSION",
      "jukinet.channel": "online_batch",
      "jukinet.batch.id": "B-20261110-01",
    }),
  },
  {
    name: "code_change by an operator, dotted previous code",
    node: CS,
    line: (id, n) => ({
      ...withAction(cs(id, n), "code_change"),
      "user.id": "OP-352012-001",
      "jukinet.subject.resident_code": "12345678908",
      "jukinet.subject.previous_resident_code": "12345678909",
    }),
  },
  { name: "notify by a system", node: CS, line: (id, n) => ({ ...withAction(cs(id, n), "notify"), jukinet: { subject: { resident_code: "12345678904" } } }) },
  {
    name: "code_change by a system",
    node: CS,
    line: (id, n) => ({
      ...withAction(cs(id, n), "code_change"),
      jukinet: { subject: { resident_code: "12345678905", previous_resident_code: "12345678906" } },
    }),
  },
  {
    name: "auth_failure with the card only",
    node: CS,
    line: (id, n) => ({
      ...withAction(cs(id, n), "auth_failure"),
      host: { id: "TM-352012-01" },
      jukinet: { auth: { method: "ic_card_password", card_id: "IC-352012-001" } },
    }),
  },
  {
    name: "fields outside the contract's table (ignored)",
    node: CS,
    line: (id, n) => ({
      ...withAction(cs(id, n), "logout"),
      user: { id: "OP-352012-001", name: "ignored" },
      labels: { site: "x" },
      "event.kind": "event",
      ecs: { version: "8.11" },
    }),
  },
  {
    name: "EVE alert with extra fields",
    node: IDS,
    stream: "ids",
    line: (_id, n) => eve(n, { app_proto: "tls", tls: { sni: "example.test" }, payload_printable: "…", metadata: { flowbits: ["a"] }, host: "sensor-1" }),
  },
  {
    name: "EVE alert with extra alert fields",
    node: IDS,
    stream: "ids",
    line: (_id, n) => eve(n, { alert: { ...(eve(n).alert as object), metadata: { signature_severity: ["Major"] } } }),
  },
];

export const FORBIDDEN: (Case & { reason: RegExp })[] = [
  {
    name: "missing @timestamp",
    node: CS,
    reason: /^@timestamp: required/,
    line: (id, n) => {
      const { "@timestamp": _, ...e } = withAction(cs(id, n), "logout");
      return { ...e, user: { id: "OP-352012-001" } };
    },
  },
  {
    name: "@timestamp null",
    node: CS,
    reason: /^@timestamp: required/,
    line: (id, n) => ({ ...withAction(cs(id, n), "logout"), "@timestamp": null, user: { id: "OP-352012-001" } }),
  },
  {
    name: "bad action",
    node: CS,
    reason: /^event\.action: invalid value "serch"/,
    line: (id, n) => ({ ...withAction(cs(id, n), "serch"), user: { id: "OP-352012-001" } }),
  },
  {
    name: "foreign observer.id",
    node: CS,
    reason: /^observer\.id "CS-352039" is not the sending node/,
    line: (id, n) => ({ ...withAction(cs(id, n), "logout"), observer: { id: "CS-352039", type: "municipal_cs" }, user: { id: "OP-352012-001" } }),
  },
  {
    name: "foreign organization.id",
    node: CS,
    reason: /^organization\.id "352039" is not the organisation/,
    line: (id, n) => ({ ...withAction(cs(id, n), "logout"), organization: { id: "352039" }, user: { id: "OP-352012-001" } }),
  },
  {
    name: "organization.id above a prefectural server's subtree",
    node: PS,
    reason: /^organization\.id "000001" is neither/,
    line: (id, n) => ({ ...withAction(ps(id, n), "notify"), organization: { id: "000001" } }),
  },
  {
    name: "__proto__ key",
    node: CS,
    reason: /key "__proto__" is not allowed \(at jukinet\.__proto__\)/,
    line: (id, n) => JSON.stringify({ ...withAction(cs(id, n), "logout"), user: { id: "OP-352012-001" } }).replace(/}$/, ',"jukinet":{"__proto__":{"x":1}}}'),
  },
  {
    name: "search without user.id",
    node: CS,
    reason: /^user\.id: required for "search"/,
    line: (id, n) => ({ ...withAction(cs(id, n), "search"), jukinet: search }),
  },
  {
    name: "search with user.id null",
    node: CS,
    reason: /^user\.id: required for "search"/,
    line: (id, n) => ({ ...withAction(cs(id, n), "search"), "user.id": null, jukinet: search }),
  },
  {
    name: "search without jukinet.query.kind",
    node: CS,
    reason: /^jukinet\.query\.kind: required for "search"/,
    line: (id, n) => ({ ...withAction(cs(id, n), "search"), user: { id: "OP-352012-001" }, jukinet: { purpose: search.purpose } }),
  },
  {
    name: "provide without recipient",
    node: PS,
    reason: /^jukinet\.recipient\.id: required for "provide"/,
    line: (id, n) => ({ ...withAction(ps(id, n), "provide"), jukinet: { purpose: { schedule: "4", item: "4-1" }, channel: "online_batch" } }),
  },
  {
    name: "code_change with a malformed previous code",
    node: CS,
    reason: /^jukinet\.subject\.previous_resident_code: expected 11 digits/,
    line: (id, n) => ({ ...withAction(cs(id, n), "code_change"), jukinet: { subject: { resident_code: "12345678905", previous_resident_code: "1234" } } }),
  },
  {
    name: "code_change without the previous code",
    node: CS,
    reason: /^jukinet\.subject\.previous_resident_code: required for "code_change"/,
    line: (id, n) => ({ ...withAction(cs(id, n), "code_change"), jukinet: { subject: { resident_code: "12345678905" } } }),
  },
  {
    name: "EVE alert without signature_id",
    node: IDS,
    stream: "ids",
    reason: /^alert\.signature_id: required/,
    line: (_id, n) => {
      const e = eve(n);
      return { ...e, alert: { ...(e.alert as object), signature_id: undefined } };
    },
  },
];

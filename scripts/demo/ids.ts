/**
 * Suricata EVE alert lines of the prefecture's IDS sensor: everyday
 * low-severity noise against addresses outside Juki-net (scans, policy hits
 * on the office LAN), plus the high-severity labelled cases.
 */
import { isoJst } from "./events";
import { HOUR_MS, type DayInfo } from "./context";
import type { Rng } from "./random";

export interface Signature {
  id: number;
  rev: number;
  name: string;
  category: string;
  severity: number;
  proto: "TCP" | "UDP" | "ICMP";
  port: number;
}

export interface IdsAlert {
  t: number;
  /** Microseconds within the millisecond (Suricata prints microseconds). */
  micros: number;
  flowId: number;
  srcIp: string;
  srcPort: number;
  destIp: string;
  destPort: number;
  signature: Signature;
}

/** Low-severity signatures seen every day on the sensor. */
export const NOISE_SIGNATURES: readonly Signature[] = [
  { id: 2010935, rev: 3, name: "ET SCAN Suspicious inbound to MSSQL port 1433", category: "Potentially Bad Traffic", severity: 2, proto: "TCP", port: 1433 },
  { id: 2001219, rev: 20, name: "ET SCAN Potential SSH Scan", category: "Attempted Information Leak", severity: 2, proto: "TCP", port: 22 },
  { id: 2009582, rev: 3, name: "ET SCAN NMAP -sS window 1024", category: "Attempted Information Leak", severity: 2, proto: "TCP", port: 80 },
  { id: 2100366, rev: 8, name: "GPL ICMP_INFO PING *NIX", category: "Misc activity", severity: 3, proto: "ICMP", port: 0 },
  { id: 2013028, rev: 7, name: "ET POLICY curl User-Agent Outbound", category: "Attempted Information Leak", severity: 2, proto: "TCP", port: 80 },
  { id: 2027758, rev: 3, name: "ET INFO Observed DNS Query to .cloud TLD", category: "Potentially Bad Traffic", severity: 2, proto: "UDP", port: 53 },
  { id: 2210045, rev: 2, name: "SURICATA STREAM Packet with invalid ack", category: "Generic Protocol Command Decode", severity: 3, proto: "TCP", port: 443 },
  { id: 2200074, rev: 2, name: "SURICATA TCPv4 invalid checksum", category: "Generic Protocol Command Decode", severity: 3, proto: "TCP", port: 443 },
  {
    id: 2260002,
    rev: 1,
    name: "SURICATA Applayer Detect protocol only one direction",
    category: "Generic Protocol Command Decode",
    severity: 3,
    proto: "TCP",
    port: 8080,
  },
];

/** High-severity signatures used by the labelled ids-alert cases. */
export const ATTACK_SIGNATURES = {
  smbExploit: {
    id: 2024218,
    rev: 3,
    name: "ET EXPLOIT Possible ETERNALBLUE MS17-010 Echo Request (set)",
    category: "Attempted Administrator Privilege Gain",
    severity: 1,
    proto: "TCP",
    port: 445,
  },
  smbProbe: {
    id: 2025649,
    rev: 2,
    name: "ET EXPLOIT Possible ETERNALBLUE Probe MS17-010 (Generic Flags)",
    category: "Attempted Administrator Privilege Gain",
    severity: 1,
    proto: "TCP",
    port: 445,
  },
  rdpBrute: {
    id: 2001972,
    rev: 21,
    name: "ET SCAN Behavioral Unusually fast Terminal Server Traffic Potential Scan or Infection (Inbound)",
    category: "Attempted Information Leak",
    severity: 1,
    proto: "TCP",
    port: 3389,
  },
  trojan: {
    id: 2027865,
    rev: 2,
    name: "ET TROJAN Cobalt Strike Beacon Observed",
    category: "A Network Trojan was detected",
    severity: 1,
    proto: "TCP",
    port: 443,
  },
} satisfies Record<string, Signature>;

function octet(rng: Rng): number {
  return rng.range(2, 254);
}

/** Addresses outside Juki-net: internet scanners (documentation ranges) and the office LAN. */
function noiseEndpoints(rng: Rng): { src: string; dest: string } {
  const outside = rng.chance(0.5) ? `198.51.100.${octet(rng)}` : `203.0.113.${octet(rng)}`;
  const office = rng.chance(0.7) ? `172.16.${rng.range(1, 40)}.${octet(rng)}` : `10.200.${rng.range(0, 15)}.${octet(rng)}`;
  return rng.chance(0.8) ? { src: outside, dest: office } : { src: office, dest: outside };
}

export function makeAlert(rng: Rng, t: number, signature: Signature, srcIp: string, destIp: string): IdsAlert {
  const ephemeral = rng.range(32768, 60999);
  return {
    t: Math.round(t),
    micros: rng.int(1000),
    flowId: 1_000_000_000_000_000 + rng.int(2 ** 30) * 1000 + rng.int(1000),
    srcIp,
    srcPort: signature.proto === "ICMP" ? 0 : ephemeral,
    destIp,
    destPort: signature.port,
    signature,
  };
}

/** 1–4 noise alerts in every hour of the day (the sensor is never silent). */
export function noiseAlerts(rng: Rng, day: DayInfo): IdsAlert[] {
  const out: IdsAlert[] = [];
  for (let h = 0; h < 24; h++) {
    const n = rng.range(1, 4);
    for (let i = 0; i < n; i++) {
      const { src, dest } = noiseEndpoints(rng);
      out.push(makeAlert(rng, day.midnight + h * HOUR_MS + rng.int(HOUR_MS), rng.pick(NOISE_SIGNATURES), src, dest));
    }
  }
  return out;
}

/** One EVE JSON line, as Suricata writes it ("+0900" offset, microseconds). */
export function serializeAlert(a: IdsAlert): string {
  const iso = isoJst(a.t); // 2026-11-03T10:15:02.123+09:00
  const timestamp = `${iso.slice(0, 23)}${String(a.micros).padStart(3, "0")}+0900`;
  const s = a.signature;
  return (
    `{"timestamp":"${timestamp}","flow_id":${a.flowId},"in_iface":"eth1","event_type":"alert",` +
    `"src_ip":"${a.srcIp}","src_port":${a.srcPort},"dest_ip":"${a.destIp}","dest_port":${a.destPort},"proto":"${s.proto}",` +
    `"alert":{"action":"allowed","gid":1,"signature_id":${s.id},"rev":${s.rev},"signature":${JSON.stringify(s.name)},"category":${JSON.stringify(s.category)},"severity":${s.severity}}}`
  );
}

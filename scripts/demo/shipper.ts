/**
 * The demo's node that ships like a server does: when Debian's rsyslog is
 * installed, a private rsyslogd (var/demo/shipper: own configuration, work
 * directory, pid file) tails an NDJSON access log of 下関市's CS with imfile
 * and forwards it with omrelp over TLS, with the node's certificate from the
 * node CA, to the demo's gateway. A few events are written at start and one
 * more every 30 s, so the node stays alive on the dashboard.
 */
import fs from "node:fs";
import path from "node:path";
import { X509Certificate } from "node:crypto";
import { systemScope } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { VAR_DIR } from "../../lib/paths";
import { issueNodeCertificate } from "../../domain/registry/node-certs";
import { hasRsyslog, relpConfig, startRsyslog, type Rsyslog } from "../rsyslog";
import { isoJst } from "./events";

export const DEMO_SHIPPING_NODE = "CS-352012";

export async function startDemoShipper(relpPort: number): Promise<{ rsyslog: Rsyslog; file: string; stop(): Promise<void> } | undefined> {
  if (!hasRsyslog()) return undefined;
  const dir = path.join(VAR_DIR, "demo", "shipper");
  fs.mkdirSync(dir, { recursive: true });
  const tlsFiles = path.join(dir, "node-tls.json");
  let tls: { ca: string; cert: string; key: string } | undefined;
  if (fs.existsSync(tlsFiles)) {
    const saved = JSON.parse(fs.readFileSync(tlsFiles, "utf8")) as { ca: string; cert: string; key: string };
    const row = fs.existsSync(saved.cert)
      ? await db().nodeCertificate.findUnique({ where: { serial: new X509Certificate(fs.readFileSync(saved.cert)).serialNumber } })
      : null;
    if (row && !row.revokedAt && row.notAfter.getTime() > Date.now() + 86_400_000) tls = saved;
  }
  if (!tls) {
    const c = await issueNodeCertificate(DEMO_SHIPPING_NODE, systemScope("demo"));
    tls = { ca: c.caFile, cert: c.certFile, key: c.keyFile };
    fs.writeFileSync(tlsFiles, JSON.stringify(tls));
  }
  const operator = await db().operator.findFirst({ where: { organizationId: "352012", kind: "person" }, orderBy: { id: "asc" } });
  const terminal = await db().terminal.findFirst({ where: { organizationId: "352012" }, orderBy: { id: "asc" } });
  const file = path.join(dir, "access.ndjson");
  let n = 0;
  const write = (count: number) => {
    const lines: string[] = [];
    for (let i = 0; i < count; i++, n++) {
      lines.push(
        JSON.stringify({
          "@timestamp": isoJst(Date.now()),
          event: { id: `rsyslog-demo-${Date.now()}-${n}`, action: "view", outcome: "success" },
          observer: { id: DEMO_SHIPPING_NODE, type: "municipal_cs" },
          organization: { id: "352012" },
          user: { id: operator?.id ?? "OP-352012-001" },
          host: { id: terminal?.id ?? "TM-352012-01" },
          ...(terminal?.ip ? { source: { ip: terminal.ip } } : {}),
          jukinet: { subject: { resident_code: String(50000000000 + n) }, purpose: { schedule: "jukiho", item: "jukiho-2" } },
        }),
      );
    }
    fs.appendFileSync(file, lines.join("\n") + "\n");
  };
  write(5);
  const rsyslog = await startRsyslog(dir, relpConfig({ file, port: relpPort, tls, workDir: dir, queueSize: 10_000 }));
  const timer = setInterval(() => write(1), 30_000);
  return {
    rsyslog,
    file,
    async stop() {
      clearInterval(timer);
      await rsyslog.stop();
    },
  };
}

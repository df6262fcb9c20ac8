/**
 * A minimal RELP client over TLS for the conformance cases (the real-shipper tests use rsyslog's omrelp):
 * open, one `syslog` command per message wrapped in RFC 5424, close; resolves with the answer to each
 * message by its transaction number (2, 3, …; 1 is the open).
 */
import fs from "node:fs";
import tls from "node:tls";
import { relpFrame, RelpParser } from "../../gateway/framing";

export interface NodeTlsFiles {
  ca: string;
  cert: string;
  key: string;
}

export function rfc5424(appName: string, msg: string): string {
  return `<134>1 ${new Date().toISOString()} test-node ${appName} - - - ${msg}`;
}

export function relpSend(port: number, files: NodeTlsFiles, messages: string[]): Promise<Map<number, string>> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({
      host: "127.0.0.1",
      port,
      servername: "localhost",
      ca: fs.readFileSync(files.ca),
      cert: fs.readFileSync(files.cert),
      key: fs.readFileSync(files.key),
    });
    const answers = new Map<number, string>();
    const parser = new RelpParser(1 << 20);
    const last = messages.length + 2;
    s.on("secureConnect", () => {
      const frames = [relpFrame(1, "open", "relp_version=0\nrelp_software=jukinet-test\ncommands=syslog")];
      messages.forEach((m, i) => frames.push(relpFrame(i + 2, "syslog", m)));
      frames.push(relpFrame(last, "close"));
      s.write(Buffer.concat(frames));
    });
    s.on("data", (chunk: Buffer) => {
      for (const f of parser.push(chunk)) if (f.command === "rsp") answers.set(f.txnr, f.data!.toString());
      if (answers.has(last)) s.end();
    });
    s.on("error", reject);
    s.on("close", () => (answers.has(last) ? resolve(answers) : reject(new Error(`RELP session closed after ${answers.size} answers`))));
  });
}

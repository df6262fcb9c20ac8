/**
 * Wire formats of the gateway, pure and incremental (fed socket chunks,
 * they keep at most one frame's bytes, and never more than the configured
 * limit: an overlong message is skipped as it arrives and reported).
 *
 * - RELP frames (librelp doc/relp.md): `TXNR SP COMMAND SP DATALEN [SP DATA] LF`,
 *   TXNR and DATALEN 1–9 digits, COMMAND 1–32 letters, DATA present only when DATALEN > 0.
 * - Octet counting (RFC 6587 §3.4.1, required by RFC 5425): `MSG-LEN SP SYSLOG-MSG`.
 * - RFC 5424 messages: the header fields up to STRUCTURED-DATA, then MSG (a UTF-8 BOM dropped).
 */

export class FramingError extends Error {}

export interface RelpFrame {
  txnr: number;
  command: string;
  /** The data, or undefined when it was longer than the limit (then `length` says how long). */
  data: Buffer | undefined;
  length: number;
}

const SP = 0x20;
const LF = 0x0a;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isAlpha = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** Incremental RELP frame parser. */
export class RelpParser {
  private state: "txnr" | "command" | "datalen" | "sp" | "data" | "trailer" = "txnr";
  private txnr = 0;
  private digits = 0;
  private command = "";
  private datalen = 0;
  private parts: Buffer[] = [];
  private got = 0;

  constructor(private readonly maxData: number) {}

  /** Frames completed by this chunk; throws FramingError on a malformed stream (the connection must be closed). */
  push(chunk: Buffer): RelpFrame[] {
    const out: RelpFrame[] = [];
    let i = 0;
    while (i < chunk.length) {
      const c = chunk[i];
      switch (this.state) {
        case "txnr":
          if (isDigit(c) && this.digits < 9) {
            this.txnr = this.txnr * 10 + (c - 0x30);
            this.digits++;
          } else if (c === SP && this.digits > 0) {
            this.state = "command";
            this.command = "";
          } else if ((c === LF || c === 0x0d) && this.digits === 0) {
            // stray line ends between frames are tolerated
          } else throw new FramingError(`invalid RELP transaction number near byte ${c}`);
          i++;
          break;
        case "command":
          if (isAlpha(c) && this.command.length < 32) this.command += String.fromCharCode(c);
          else if (c === SP && this.command.length > 0) {
            this.state = "datalen";
            this.datalen = 0;
            this.digits = 0;
          } else throw new FramingError("invalid RELP command");
          i++;
          break;
        case "datalen":
          if (isDigit(c) && this.digits < 9) {
            this.datalen = this.datalen * 10 + (c - 0x30);
            this.digits++;
            i++;
          } else if (this.digits === 0) throw new FramingError("invalid RELP data length");
          else if (this.datalen === 0) this.state = "trailer";
          else if (c === SP) {
            this.state = "data";
            this.parts = [];
            this.got = 0;
            i++;
          } else throw new FramingError("missing space before RELP data");
          break;
        case "data": {
          const take = Math.min(this.datalen - this.got, chunk.length - i);
          if (this.datalen <= this.maxData) this.parts.push(chunk.subarray(i, i + take));
          this.got += take;
          i += take;
          if (this.got === this.datalen) this.state = "trailer";
          break;
        }
        case "trailer":
          if (c !== LF) throw new FramingError("RELP frame not terminated by LF");
          i++;
          out.push({
            txnr: this.txnr,
            command: this.command,
            data: this.datalen === 0 ? Buffer.alloc(0) : this.datalen <= this.maxData ? Buffer.concat(this.parts) : undefined,
            length: this.datalen,
          });
          this.parts = [];
          this.state = "txnr";
          this.txnr = 0;
          this.digits = 0;
          break;
        default:
          throw new FramingError("unreachable");
      }
    }
    // Data parts are sub-arrays of the caller's chunk: copy what is kept past this call.
    if ((this.state === "data" || this.state === "trailer") && this.parts.length) this.parts = [Buffer.concat(this.parts)];
    return out;
  }
}

/** A RELP frame as bytes. */
export function relpFrame(txnr: number, command: string, data?: string | Buffer): Buffer {
  const body = data === undefined ? Buffer.alloc(0) : Buffer.isBuffer(data) ? data : Buffer.from(data);
  const head = `${txnr} ${command} ${body.length}`;
  return body.length ? Buffer.concat([Buffer.from(`${head} `), body, Buffer.from("\n")]) : Buffer.from(`${head}\n`);
}

export interface OctetMessage {
  data: Buffer | undefined;
  length: number;
}

/** Incremental RFC 6587 octet-counting parser. */
export class OctetCountingParser {
  private state: "len" | "data" = "len";
  private len = 0;
  private digits = 0;
  private parts: Buffer[] = [];
  private got = 0;

  constructor(private readonly maxData: number) {}

  push(chunk: Buffer): OctetMessage[] {
    const out: OctetMessage[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.state === "len") {
        const c = chunk[i++];
        if (isDigit(c) && this.digits < 10 && !(this.digits === 0 && c === 0x30)) {
          this.len = this.len * 10 + (c - 0x30);
          this.digits++;
        } else if (c === SP && this.digits > 0) {
          this.state = "data";
          this.parts = [];
          this.got = 0;
        } else if ((c === LF || c === 0x0d) && this.digits === 0) {
          // tolerated between frames
        } else throw new FramingError("not octet-counted syslog (RFC 6587: MSG-LEN SP SYSLOG-MSG)");
        continue;
      }
      const take = Math.min(this.len - this.got, chunk.length - i);
      if (this.len <= this.maxData) this.parts.push(chunk.subarray(i, i + take));
      this.got += take;
      i += take;
      if (this.got === this.len) {
        out.push({ data: this.len <= this.maxData ? Buffer.concat(this.parts) : undefined, length: this.len });
        this.state = "len";
        this.len = 0;
        this.digits = 0;
        this.parts = [];
      }
    }
    if (this.state === "data" && this.parts.length) this.parts = [Buffer.concat(this.parts)];
    return out;
  }
}

export interface Syslog5424 {
  appName: string;
  hostname: string;
  msg: string;
}

/** Splits an RFC 5424 message; throws an Error with a readable reason when it is not one. */
export function parseRfc5424(buf: Buffer): Syslog5424 {
  const s = buf.toString("utf8");
  const head = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) /.exec(s);
  if (!head || Number(head[1]) > 191) throw new Error("not an RFC 5424 message (<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG)");
  let i = head[0].length;
  if (s[i] === "-") i++;
  else if (s[i] === "[") {
    // SD-ELEMENTs: [id param="value" …]…, with \" \\ \] escaped inside values.
    while (s[i] === "[") {
      let inValue = false;
      i++;
      for (; i < s.length; i++) {
        const c = s[i];
        if (inValue && c === "\\") i++;
        else if (c === '"') inValue = !inValue;
        else if (c === "]" && !inValue) break;
      }
      if (i >= s.length) throw new Error("unterminated STRUCTURED-DATA");
      i++;
    }
  } else throw new Error("invalid STRUCTURED-DATA");
  let msg = s[i] === " " ? s.slice(i + 1) : s.slice(i);
  if (msg.charCodeAt(0) === 0xfeff) msg = msg.slice(1);
  msg = msg.replace(/[\r\n]+$/, "");
  return { hostname: head[3], appName: head[4], msg };
}

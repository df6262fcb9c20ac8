import { describe, expect, it } from "vitest";
import { FramingError, OctetCountingParser, parseRfc5424, relpFrame, RelpParser } from "./framing";

/** Feeds the bytes one at a time and all at once: the frames must be the same. */
function bothWays<T>(make: () => { push(b: Buffer): T[] }, bytes: Buffer): T[] {
  const whole = make().push(bytes);
  const p = make();
  const split: T[] = [];
  for (let i = 0; i < bytes.length; i++) split.push(...p.push(bytes.subarray(i, i + 1)));
  expect(split).toEqual(whole);
  return whole;
}

describe("RELP frames (librelp doc/relp.md)", () => {
  it("parses open, syslog with data, and close without data, across any chunking", () => {
    const bytes = Buffer.concat([
      relpFrame(1, "open", "relp_version=0\nrelp_software=librelp,1.11.0,http://librelp.adiscon.com\ncommands=syslog"),
      relpFrame(2, "syslog", '<13>1 2026-11-02T09:00:00+09:00 cs jukinet - - - {"a":1}'),
      Buffer.from("3 close 0\n"),
    ]);
    const frames = bothWays(() => new RelpParser(1024), bytes);
    expect(frames.map((f) => [f.txnr, f.command, f.length])).toEqual([
      [1, "open", 86],
      [2, "syslog", 56],
      [3, "close", 0],
    ]);
    expect(frames[1].data!.toString()).toContain('{"a":1}');
  });

  it("skips the data of an oversized frame without keeping it, and reports it", () => {
    const big = relpFrame(7, "syslog", "x".repeat(5000));
    const [f] = new RelpParser(100).push(Buffer.concat([big, relpFrame(8, "syslog", "ok")])).slice(0, 1);
    expect(f).toMatchObject({ txnr: 7, command: "syslog", data: undefined, length: 5000 });
  });

  it("refuses a malformed stream", () => {
    expect(() => new RelpParser(100).push(Buffer.from("GET / HTTP/1.1\r\n"))).toThrow(FramingError);
    expect(() => new RelpParser(100).push(Buffer.from("1 syslog 3 abcX"))).toThrow(/not terminated by LF/);
    expect(() => new RelpParser(100).push(Buffer.from("1234567890 open 0\n"))).toThrow(FramingError);
  });

  it("writes rsp frames as librelp reads them", () => {
    expect(relpFrame(5, "rsp", "200 OK").toString()).toBe("5 rsp 6 200 OK\n");
    expect(relpFrame(0, "serverclose").toString()).toBe("0 serverclose 0\n");
  });
});

describe("octet counting (RFC 6587) and RFC 5424", () => {
  it("splits octet-counted messages across any chunking, including multi-byte UTF-8", () => {
    const msgs = ['<14>1 - h app - - - {"x":"下関"}', "<14>1 - h app - - - second"];
    const bytes = Buffer.concat(msgs.map((m) => Buffer.concat([Buffer.from(`${Buffer.byteLength(m)} `), Buffer.from(m)])));
    const out = bothWays(() => new OctetCountingParser(1000), bytes);
    expect(out.map((m) => m.data!.toString())).toEqual(msgs);
  });

  it("reports an oversized message and refuses non-transparent framing", () => {
    expect(new OctetCountingParser(10).push(Buffer.from("20 aaaaaaaaaaaaaaaaaaaa"))).toEqual([{ data: undefined, length: 20 }]);
    expect(() => new OctetCountingParser(10).push(Buffer.from("<14>1 - h app - - - x\n"))).toThrow(/octet-counted/);
  });

  it("takes MSG after the header and structured data, without BOM or line end", () => {
    const m = parseRfc5424(Buffer.from('<13>1 2026-11-02T09:00:00.1+09:00 cs-01 suricata 123 - [ex@1 a="x\\]y" b="2"][z@1] \uFEFF{"event_type":"alert"}\n'));
    expect(m).toEqual({ hostname: "cs-01", appName: "suricata", msg: '{"event_type":"alert"}' });
    expect(parseRfc5424(Buffer.from('<13>1 - cs jukinet - - - {"a":1}')).msg).toBe('{"a":1}');
    expect(() => parseRfc5424(Buffer.from('<13>Nov  2 09:00:00 cs jukinet: {"a":1}'))).toThrow(/not an RFC 5424/);
    expect(() => parseRfc5424(Buffer.from("<13>1 - cs app - - [unterminated x"))).toThrow(/STRUCTURED-DATA/);
  });
});

/**
 * Streaming NDJSON line splitter: yields each line with its 1-based number
 * without holding the input in memory. Handles CRLF, a missing final newline,
 * and caps the length of one line (an overlong line is reported, not buffered).
 */
import type { Readable } from "node:stream";

export interface Line {
  /** 1-based line number in the input */
  number: number;
  /** The line without its terminator, or undefined when it exceeded the cap. */
  text: string | undefined;
}

export async function* splitLines(input: AsyncIterable<Buffer | string> | Readable, maxLineBytes: number): AsyncGenerator<Line[]> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overlong = false;
  let number = 0;
  for await (const raw of input as AsyncIterable<Buffer | string>) {
    const chunk = typeof raw === "string" ? Buffer.from(raw) : raw;
    const out: Line[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      number++;
      if (overlong || pendingBytes + (nl - start) > maxLineBytes) {
        out.push({ number, text: undefined });
      } else {
        const piece = chunk.subarray(start, nl);
        const buf = pendingBytes ? Buffer.concat([...pending, piece]) : piece;
        out.push({ number, text: stripCr(buf.toString("utf8")) });
      }
      pending = [];
      pendingBytes = 0;
      overlong = false;
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.length - start;
      if (pendingBytes + rest > maxLineBytes) {
        overlong = true;
        pending = [];
        pendingBytes = 0;
      } else if (!overlong) {
        pending.push(Buffer.from(chunk.subarray(start)));
        pendingBytes += rest;
      }
    }
    if (out.length) yield out;
  }
  if (pendingBytes || overlong) {
    number++;
    yield [{ number, text: overlong ? undefined : stripCr(Buffer.concat(pending).toString("utf8")) }];
  }
}

function stripCr(s: string): string {
  return s.endsWith("\r") ? s.slice(0, -1) : s;
}

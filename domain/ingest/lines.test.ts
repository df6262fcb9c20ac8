import { describe, expect, it } from "vitest";
import { splitLines, type Line } from "./lines";

async function collect(chunks: string[], max = 1000): Promise<Line[]> {
  const out: Line[] = [];
  for await (const batch of splitLines(
    (async function* () {
      for (const c of chunks) yield Buffer.from(c);
    })(),
    max,
  ))
    out.push(...batch);
  return out;
}

describe("splitLines", () => {
  it("numbers lines from 1 across chunk boundaries, with CRLF and no final newline", async () => {
    const lines = await collect(['{"a":', '1}\r\n\n{"b"', ":2}\n", '{"c":3}']);
    expect(lines).toEqual([
      { number: 1, text: '{"a":1}' },
      { number: 2, text: "" },
      { number: 3, text: '{"b":2}' },
      { number: 4, text: '{"c":3}' },
    ]);
  });

  it("keeps multi-byte characters split between chunks intact", async () => {
    const bytes = Buffer.from('{"name":"下関市"}\n');
    const lines: Line[] = [];
    for await (const b of splitLines(
      (async function* () {
        yield bytes.subarray(0, 11);
        yield bytes.subarray(11);
      })(),
      1000,
    ))
      lines.push(...b);
    expect(lines[0].text).toBe('{"name":"下関市"}');
  });

  it("reports an overlong line without buffering it and goes on with the next", async () => {
    const lines = await collect(["x".repeat(30), "y".repeat(30) + "\nok\n", "z".repeat(80)], 50);
    expect(lines).toEqual([
      { number: 1, text: undefined },
      { number: 2, text: "ok" },
      { number: 3, text: undefined },
    ]);
  });
});

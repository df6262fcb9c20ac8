/**
 * Buffered NDJSON file writer: lines are gathered into ~64 KB chunks and
 * written to a file stream, waiting for 'drain' whenever the stream asks for it.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";

const CHUNK_CHARS = 64 * 1024;

export class NdjsonWriter {
  private readonly stream: WriteStream;
  private parts: string[] = [];
  private size = 0;
  lines = 0;

  constructor(readonly path: string) {
    // A high-water mark above the chunk size lets disk writes overlap with generation.
    this.stream = createWriteStream(path, { encoding: "utf8", highWaterMark: 1024 * 1024 });
  }

  /** Appends one line; returns true when the caller should `await flush()`. */
  append(line: string): boolean {
    this.parts.push(line);
    this.size += line.length + 1;
    this.lines++;
    return this.size >= CHUNK_CHARS;
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    // join() builds one flat string; repeated += would build a rope that is flattened on write.
    const ok = this.stream.write(this.parts.join("\n") + "\n");
    this.parts = [];
    this.size = 0;
    if (!ok) await once(this.stream, "drain");
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.stream.once("error", reject);
      this.stream.end(() => resolve());
    });
  }
}

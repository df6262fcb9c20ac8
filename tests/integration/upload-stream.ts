/**
 * A multipart upload whose body is generated lazily: the file part streams
 * `fileBytes` bytes in 64 KiB chunks, and `pulled()` tells how many bytes the
 * reader has taken so far (to prove a refused upload was not read whole).
 * No Content-Length is sent unless `declaredLength` is given.
 */
export function streamingUpload(url: string, opts: { fileBytes: number; fileName?: string; fields?: Record<string, string>; declaredLength?: number }) {
  const boundary = "----jukinet-test-boundary";
  const head = Buffer.from(
    Object.entries(opts.fields ?? {})
      .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join("") +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${opts.fileName ?? "big.pdf"}"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const CHUNK = Buffer.alloc(64 * 1024, 0x20);
  let pulled = 0;
  let sent = 0;
  let stage: "head" | "body" | "tail" | "done" = "head";
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        let chunk: Buffer;
        if (stage === "head") {
          chunk = head;
          stage = "body";
        } else if (stage === "body") {
          chunk = CHUNK.subarray(0, Math.min(CHUNK.length, opts.fileBytes - sent));
          sent += chunk.length;
          if (sent >= opts.fileBytes) stage = "tail";
        } else if (stage === "tail") {
          chunk = tail;
          stage = "done";
        } else {
          controller.close();
          return;
        }
        pulled += chunk.length;
        controller.enqueue(new Uint8Array(chunk));
      },
    },
    { highWaterMark: 0 },
  ); // nothing is pulled before the reader asks
  const request = new Request(url, {
    method: "POST",
    body,
    headers: { "content-type": `multipart/form-data; boundary=${boundary}`, ...(opts.declaredLength ? { "content-length": String(opts.declaredLength) } : {}) },
    duplex: "half",
  } as RequestInit);
  return { request, pulled: () => pulled };
}

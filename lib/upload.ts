/**
 * Streaming multipart uploads (checklist evidence, finding attachments).
 *
 * The caller checks permission BEFORE calling `readUpload`; this then refuses
 * a declared Content-Length over the limit at once, and otherwise parses the
 * body with busboy while it streams, stopping (and cancelling the body) as
 * soon as the file passes the limit, so an over-limit or endless body is never
 * read whole nor held in memory. `Request.formData()` would buffer everything
 * first.
 */
import busboy from "busboy";

export class UploadError extends Error {
  constructor(
    readonly code: "file_too_large" | "file_empty" | "bad_request",
    message: string,
  ) {
    super(message);
  }
}

/** HTTP status of an UploadError code. */
export const uploadStatus = (code: UploadError["code"]): number => (code === "file_too_large" ? 413 : 400);

/** Multipart overhead allowed on top of the file limit (boundaries, part headers, small fields). */
export const MULTIPART_OVERHEAD = 64 * 1024;

export interface Upload {
  fields: Record<string, string>;
  /** The one file part (field `file`), or undefined when none was sent. */
  file?: { name: string; bytes: Buffer };
}

/** Refuses a declared body larger than the file limit plus the multipart overhead, before anything is read. */
export function checkDeclaredLength(req: Request, maxFileBytes: number): void {
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxFileBytes + MULTIPART_OVERHEAD) {
    throw new UploadError("file_too_large", `the request declares ${declared} bytes; files are limited to ${maxFileBytes} bytes`);
  }
}

/**
 * Reads a multipart/form-data body with one file (field `file`) and small
 * text fields, enforcing `maxFileBytes` while the body streams. With
 * `fileOptional`, a form whose file input was left empty gives its fields only.
 */
export async function readUpload(req: Request, maxFileBytes: number, opts: { fileOptional?: boolean } = {}): Promise<Upload> {
  checkDeclaredLength(req, maxFileBytes);
  const contentType = req.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data/i.test(contentType)) throw new UploadError("bad_request", "expected a multipart/form-data body");
  if (!req.body) throw new UploadError("file_empty", "empty request body");

  let bb: busboy.Busboy;
  try {
    // defParamCharset: browsers send UTF-8 file names (日本語のファイル名), not latin1.
    bb = busboy({
      headers: { "content-type": contentType },
      defParamCharset: "utf8",
      limits: { fileSize: maxFileBytes, files: 1, fields: 20, fieldSize: 16 * 1024, parts: 21 },
    });
  } catch (e) {
    throw new UploadError("bad_request", (e as Error).message);
  }

  const fields: Record<string, string> = {};
  let file: Upload["file"];
  let failure: UploadError | undefined;
  const fail = (e: UploadError) => {
    failure ??= e;
  };
  const finished = new Promise<void>((resolve) => {
    bb.on("close", resolve);
    bb.on("error", (e) => {
      fail(new UploadError("bad_request", `malformed multipart body: ${(e as Error).message}`));
      resolve();
    });
  });
  bb.on("field", (name, value) => {
    fields[name] = value;
  });
  bb.on("file", (name, stream, info) => {
    // Destroying the parser part-way (an over-limit body) ends an open file stream with an error: expected, not a crash.
    stream.on("error", () => {});
    if (name !== "file" || file) {
      stream.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on("data", (c: Buffer) => {
      size += c.length;
      chunks.push(c);
    });
    stream.on("limit", () => {
      chunks.length = 0;
      fail(new UploadError("file_too_large", `"${info.filename}" is larger than ${maxFileBytes} bytes`));
    });
    stream.on("close", () => {
      if (!failure) file = { name: info.filename ?? "", bytes: Buffer.concat(chunks, size) };
    });
  });
  bb.on("filesLimit", () => fail(new UploadError("bad_request", "send one file per request")));
  bb.on("partsLimit", () => fail(new UploadError("bad_request", "too many form parts")));
  bb.on("fieldsLimit", () => fail(new UploadError("bad_request", "too many form fields")));

  const reader = req.body.getReader();
  try {
    for (;;) {
      if (failure) break;
      const { value, done } = await reader.read();
      if (done) break;
      // Back-pressure: wait until busboy has taken the chunk before pulling the next one.
      if (!bb.write(value)) await new Promise<void>((resolve) => bb.once("drain", resolve));
    }
  } finally {
    if (failure) {
      // Stop the body where it is: nothing more is pulled from the client.
      await reader.cancel().catch(() => {});
      bb.destroy();
    }
  }
  if (!failure) {
    bb.end();
    await finished;
  }
  if (failure) throw failure;
  if (!file || !file.name) {
    if (opts.fileOptional) return { fields };
    throw new UploadError("file_empty", "no file was sent");
  }
  return { fields, file };
}

/**
 * Evidence files (checklist items, audit findings): accepted types checked by
 * extension and content, a size limit, and content-addressed storage under
 * EVIDENCE_DIR by SHA-256, re-checked when read back.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { config } from "../lib/config";

/** Accepted evidence types: extension → MIME type and the file's leading bytes. */
export const EVIDENCE_TYPES: Record<string, { mime: string; magic?: number[] }> = {
  pdf: { mime: "application/pdf", magic: [0x25, 0x50, 0x44, 0x46] },
  png: { mime: "image/png", magic: [0x89, 0x50, 0x4e, 0x47] },
  jpg: { mime: "image/jpeg", magic: [0xff, 0xd8, 0xff] },
  jpeg: { mime: "image/jpeg", magic: [0xff, 0xd8, 0xff] },
  xlsx: { mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", magic: [0x50, 0x4b, 0x03, 0x04] },
  docx: { mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", magic: [0x50, 0x4b, 0x03, 0x04] },
  csv: { mime: "text/csv" },
  txt: { mime: "text/plain" },
};

export class EvidenceError extends Error {
  constructor(
    readonly code: "file_type" | "file_empty" | "file_too_large",
    message: string,
  ) {
    super(message);
  }
}

export function evidencePath(sha256: string): string {
  return path.join(config().EVIDENCE_DIR, sha256.slice(0, 2), sha256);
}

/** Stores bytes by their SHA-256 (once; atomic rename) and returns the hash. */
export function storeBlob(bytes: Buffer): string {
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const target = evidencePath(sha256);
  if (!fs.existsSync(target)) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, bytes);
    fs.renameSync(tmp, target);
  }
  return sha256;
}

/** Reads a stored blob and checks it still has its hash. */
export function readBlob(sha256: string): Buffer {
  const bytes = fs.readFileSync(evidencePath(sha256));
  if (createHash("sha256").update(bytes).digest("hex") !== sha256) throw new Error(`stored file ${sha256} does not match its SHA-256`);
  return bytes;
}

/** Validates an uploaded file (type by extension and content, size) and stores it. */
export function storeEvidence(file: { name: string; bytes: Buffer }): { fileName: string; mimeType: string; size: number; sha256: string } {
  const fileName = path.basename(file.name).normalize("NFC").slice(0, 200);
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1].toLowerCase() ?? "";
  const type = EVIDENCE_TYPES[ext];
  if (!type) throw new EvidenceError("file_type", `"${fileName}": only ${Object.keys(EVIDENCE_TYPES).join(", ")} files are accepted`);
  if (!file.bytes.length) throw new EvidenceError("file_empty", `"${fileName}" is empty`);
  if (file.bytes.length > config().EVIDENCE_MAX_BYTES)
    throw new EvidenceError("file_too_large", `"${fileName}" is larger than ${config().EVIDENCE_MAX_BYTES} bytes`);
  if (type.magic && !type.magic.every((b, i) => file.bytes[i] === b)) throw new EvidenceError("file_type", `"${fileName}" is not a ${ext} file`);
  if (!type.magic && file.bytes.subarray(0, 4096).includes(0)) throw new EvidenceError("file_type", `"${fileName}" is not a text file`);
  return { fileName, mimeType: type.mime, size: file.bytes.length, sha256: storeBlob(file.bytes) };
}

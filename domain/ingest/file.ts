/** File import (the 磁気媒体 path): the same pipeline as HTTP, streamed from disk, gzip detected. */
import fs from "node:fs";
import { createGunzip } from "node:zlib";
import { config } from "../../lib/config";
import { db } from "../../lib/db";
import type { Stream } from "../../lib/es/indices";
import { splitLines } from "./lines";
import { ingestLines, type IngestOptions, type IngestResult } from "./pipeline";

export async function ingestFile(stream: Stream, nodeId: string, file: string, options: IngestOptions = {}): Promise<IngestResult> {
  const node = await db().node.findUnique({ where: { id: nodeId } });
  if (!node) throw new Error(`unknown node "${nodeId}": import the registry first (npm run registry:import)`);
  if (stream === "ids" && node.type !== "ids_sensor") throw new Error(`node "${nodeId}" is a ${node.type}; --ids needs an ids_sensor node`);
  if (stream === "events" && node.type === "ids_sensor") throw new Error(`node "${nodeId}" is an ids_sensor; use --ids for EVE files`);
  const fd = fs.openSync(file, "r");
  const magic = Buffer.alloc(2);
  fs.readSync(fd, magic, 0, 2, 0);
  fs.closeSync(fd);
  const raw = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  const input = magic[0] === 0x1f && magic[1] === 0x8b ? raw.pipe(createGunzip()) : raw;
  return ingestLines(
    stream,
    splitLines(input, config().INGEST_MAX_LINE_BYTES),
    { id: node.id, type: node.type, organizationId: node.organizationId },
    {
      retryBudgetMs: 120_000,
      ...options,
    },
  );
}

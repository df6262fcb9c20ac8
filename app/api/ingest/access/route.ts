import { handleIngestRequest } from "@/domain/ingest/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Access events from a node, NDJSON (INTERFACE.md §1, §3). */
export const POST = (req: Request) => handleIngestRequest(req, "events");

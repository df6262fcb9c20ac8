import { handleIngestRequest } from "@/domain/ingest/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Suricata EVE alert lines from an IDS sensor (INTERFACE.md §2, §3). */
export const POST = (req: Request) => handleIngestRequest(req, "ids");

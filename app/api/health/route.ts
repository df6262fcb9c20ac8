import { es } from "@/lib/es/client";
import { db } from "@/lib/db";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Liveness of the console's stores; reveals no data. */
export async function GET() {
  const [search, database] = await Promise.all([
    es()
      .cluster.health({ timeout: "2s" })
      .then(
        (h) => h.status,
        () => "unreachable",
      ),
    db().$queryRaw`SELECT 1`.then(
      () => "ok",
      () => "unreachable",
    ),
  ]);
  const ok = search !== "unreachable" && database === "ok";
  return Response.json({ status: ok ? "ok" : "degraded", elasticsearch: search, database }, { status: ok ? 200 : 503 });
}

import { withScope } from "@/lib/auth/route";
import { dashboardData } from "@/domain/dashboard";
import { parseRange } from "@/lib/range";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The dashboard's figures as JSON (?range=7d or ?from=&to=), within the caller's scope. */
export const GET = withScope(async (req, scope) => {
  const range = parseRange(Object.fromEntries(new URL(req.url).searchParams));
  return Response.json(await dashboardData(range, scope));
});

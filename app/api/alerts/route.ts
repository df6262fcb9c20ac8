import { z } from "zod";
import { searchAlerts } from "@/domain/alerts";
import { withScope } from "@/lib/auth/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const iso = z.string().refine((s) => !Number.isNaN(Date.parse(s)), { message: "expected an ISO 8601 date-time" });
const querySchema = z.object({
  from: iso.optional(),
  to: iso.optional(),
  rule: z.string().max(64).optional(),
  organization: z
    .string()
    .regex(/^\d{6}$/, "expected a 6-digit organisation code")
    .optional(),
  status: z.enum(["open", "acknowledged", "closed"]).optional(),
  size: z.coerce.number().int().min(1).max(10_000).optional(),
});

/** GET /api/alerts (INTERFACE.md §4), limited to the caller's organisations. */
export const GET = withScope(async (req, scope) => {
  const parsed = querySchema.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) {
    return Response.json({ error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") }, { status: 422 });
  }
  return Response.json(await searchAlerts(parsed.data, scope));
});

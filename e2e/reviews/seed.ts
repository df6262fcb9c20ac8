/** Log reviews the e2e specs need: one organisation's review task of the month `monthsAgo` back (created once, kept as it is). */
export async function ensureReviewTask(organizationId: string, monthsAgo: number): Promise<string> {
  const { db } = await import("../../lib/db");
  const { periodStartOf, periodEndOf, dueAtOf } = await import("../../domain/reviews/periods");
  let start = periodStartOf(new Date(), "monthly");
  for (let i = 0; i < monthsAgo; i++) start = periodStartOf(new Date(start.getTime() - 1), "monthly");
  const end = periodEndOf(start, "monthly");
  const r = await db().logReview.upsert({
    where: { organizationId_periodStart: { organizationId, periodStart: start } },
    create: { organizationId, frequency: "monthly", periodStart: start, periodEnd: end, dueAt: dueAtOf(end, 10) },
    update: {},
  });
  return r.id;
}

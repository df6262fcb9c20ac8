/**
 * Demo periodic log reviews (操作履歴の点検): a monthly schedule for the
 * prefecture and every municipality from five months back, the review task of
 * each ended month, most of them done and signed off (the prefecture's
 * monitoring centre or the municipality's admin signs), one finding needing
 * action, and one municipality (宇部市) that missed October, so an overdue
 * review shows on the dashboard and in the list. The last month's reviews stay
 * drafts (not yet due). Idempotent: kept when the demo schedules exist.
 */
import { ensureReviewTasks, periodStartOf } from "../../domain/reviews";
import { systemScope } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { MUNICIPALITIES } from "./prefecture";

const DEMO = "demo";
/** The municipality whose review of the month before last is missed (overdue). */
export const DEMO_MISSED_REVIEW_ORG = "352021";

export async function ensureDemoReviews(opts: { prefectureId: string; now?: Date }): Promise<boolean> {
  if (await db().logReviewSchedule.findFirst({ where: { updatedBy: DEMO } })) return false;
  const now = opts.now ?? new Date();
  // Five months back: the schedule's first month.
  let startsOn = periodStartOf(now, "monthly");
  for (let i = 0; i < 5; i++) startsOn = periodStartOf(new Date(startsOn.getTime() - 1), "monthly");
  const orgs = [opts.prefectureId, ...MUNICIPALITIES.map((m) => m.code)];
  for (const organizationId of orgs)
    await db().logReviewSchedule.upsert({
      where: { organizationId },
      create: { organizationId, frequency: "monthly", dueDays: 10, startsOn, updatedBy: DEMO },
      update: {},
    });
  const scope = systemScope("demo");
  await ensureReviewTasks(scope, now);

  const users = new Map(
    (await db().user.findMany({ where: { loginId: { in: ["admin", "monitor", "shimonoseki", "shimonoseki-admin", "yamaguchi-city"] } } })).map((u) => [
      u.loginId,
      u,
    ]),
  );
  const monitor = users.get("monitor");
  const names = new Map((await db().organization.findMany({ where: { id: { in: orgs } }, select: { id: true, name: true } })).map((o) => [o.id, o.name]));
  const reviews = await db().logReview.findMany({ where: { organizationId: { in: orgs }, periodStart: { gte: startsOn } }, orderBy: { periodStart: "asc" } });
  const lastStart = Math.max(...reviews.map((r) => r.periodStart.getTime()));
  const beforeLast = Math.max(...reviews.filter((r) => r.periodStart.getTime() < lastStart).map((r) => r.periodStart.getTime()));
  for (const r of reviews) {
    const start = r.periodStart.getTime();
    // The last ended month is not yet due: left as drafts. 宇部市 missed the month before it.
    if (start === lastStart) continue;
    if (start === beforeLast && r.organizationId === DEMO_MISSED_REVIEW_ORG) continue;
    const reviewer =
      r.organizationId === opts.prefectureId
        ? users.get("admin")
        : r.organizationId === "352012"
          ? users.get("shimonoseki")
          : r.organizationId === "352039"
            ? users.get("yamaguchi-city")
            : undefined;
    const finding = r.organizationId === "352012" && start === beforeLast;
    const doneAt = new Date(r.periodEnd.getTime() + 5 * 86_400_000);
    // The month before last at 山口市 is done but still awaits its sign-off.
    const signed = !(r.organizationId === "352039" && start === beforeLast);
    const signer = r.organizationId === "352012" ? (users.get("shimonoseki-admin") ?? monitor) : monitor;
    await db().logReview.update({
      where: { id: r.id },
      data: {
        status: signed ? "signed_off" : "done",
        reviewerId: reviewer?.id ?? `${DEMO}-${r.organizationId}`,
        reviewerName: reviewer?.name ?? `${names.get(r.organizationId) ?? r.organizationId} 住基ネット担当`,
        checks: JSON.stringify(["auth_ids", "after_hours", "authority", "sample"]),
        outcome: finding ? "action_required" : "ok",
        findings: finding
          ? "業務時間外の照会のうち1件に時間外使用承認の記録がなかった。抽出した10件は申請書と一致した。"
          : "アラートはすべて対応済み。抽出した10件は申請書等と一致した。",
        followUp: finding ? "操作者と所属長に照会し、時間外使用承認の手続を課内で再周知する（翌月の点検で確認）。" : "",
        doneAt,
        ...(signed && signer
          ? {
              signedOffById: signer.id,
              signedOffByName: signer.name,
              signedOffAt: new Date(doneAt.getTime() + 2 * 86_400_000),
              signOffComment: "確認しました。",
            }
          : {}),
      },
    });
  }
  return true;
}

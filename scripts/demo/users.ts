/** Demo console users (created once; their TOTP is enrolled at first sign-in). */
import { db } from "../../lib/db";
import { createUser } from "../../lib/auth/accounts";
import type { Role } from "../../lib/auth/principal";

export const DEMO_PASSWORD = "yamaguchi-demo-2026";

export const DEMO_USERS: { loginId: string; name: string; role: Role; organizationId: string }[] = [
  { loginId: "admin", name: "県 システム管理者", role: "admin", organizationId: "350001" },
  { loginId: "monitor", name: "県 監視センター", role: "monitor", organizationId: "350001" },
  { loginId: "shimonoseki", name: "下関市 セキュリティ責任者", role: "municipal_officer", organizationId: "352012" },
  { loginId: "yamaguchi-city", name: "山口市 セキュリティ責任者", role: "municipal_officer", organizationId: "352039" },
  { loginId: "shimonoseki-admin", name: "下関市 システム管理者", role: "admin", organizationId: "352012" },
  { loginId: "auditor", name: "監査法人 監査人（デモ）", role: "auditor", organizationId: "350001" },
];

export async function ensureDemoUsers(): Promise<string[]> {
  const created: string[] = [];
  for (const u of DEMO_USERS) {
    if (await db().user.findUnique({ where: { loginId: u.loginId } })) continue;
    await createUser({ ...u, password: DEMO_PASSWORD });
    created.push(u.loginId);
  }
  return created;
}

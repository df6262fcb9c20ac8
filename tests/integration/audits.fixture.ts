/** Shared by the external-audit integration tests: users, expected refusals, a finding's text. */
import { expect } from "vitest";
import { createUser } from "../../lib/auth/accounts";
import { AuthError, type Principal } from "../../lib/auth/principal";
import { AuditError, type FindingInput } from "../../domain/audits/workflow";

export async function user(loginId: string, role: Principal["role"], organizationId: string): Promise<Principal> {
  const u = await createUser({ loginId, name: loginId, role, organizationId, password: "audit integration password" });
  return { kind: "user" as const, id: u.id, login: u.loginId, role, organizationId };
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (x) => x,
  );

/** The step is refused with this AuditError code. */
export async function refused(p: Promise<unknown>, code: string) {
  const e = await failure(p);
  expect(e, `expected ${code}`).toBeInstanceOf(AuditError);
  expect((e as AuditError).code).toBe(code);
  return e as AuditError;
}

/** The step is refused as outside the caller's scope (403). */
export async function forbidden(p: Promise<unknown>) {
  const e = await failure(p);
  expect(e).toBeInstanceOf(AuthError);
  expect((e as AuthError).status).toBe(403);
}

export const finding = (title: string, grade: FindingInput["grade"] = "minor", more: Partial<FindingInput> = {}): FindingInput => ({
  title,
  grade,
  criterion: "基準",
  condition: "現状",
  cause: "原因",
  effect: "影響",
  recommendation: "改善提案",
  ...more,
});

/**
 * For auditors: the log search reads only the audit period (the Scope filters
 * it), so a requested range reaching outside it is clamped — this says so and
 * shows the range actually searched, instead of silently showing less.
 */
import type { Scope } from "@/lib/auth/scope";
import { formatJst, t } from "@/lib/i18n";

/** The range actually searched when the scope's audit periods cut [from, to); undefined when nothing is cut. */
export function clampedRange(scope: Scope, organization: string | undefined, from: string, to: string) {
  const orgs = organization ? [organization] : (scope.organizations ?? []);
  const periods = orgs.flatMap((o) => scope.periodsOf(o) ?? []);
  // An organisation readable at any time (or a system scope) cuts nothing.
  if (!periods.length || orgs.some((o) => !scope.periodsOf(o)?.length)) return undefined;
  const first = Math.min(...periods.map((p) => p.from.getTime()));
  const last = Math.max(...periods.map((p) => p.to.getTime()));
  const f = Date.parse(from);
  const e = Date.parse(to);
  if (f >= first && e <= last) return undefined;
  return {
    period: { from: new Date(first), to: new Date(last) },
    from: new Date(Math.max(f, first)),
    to: new Date(Math.min(e, last)),
    empty: e <= first || f >= last,
  };
}

export function AuditPeriodNotice(props: { scope: Scope; organization?: string; from: string; to: string }) {
  const c = clampedRange(props.scope, props.organization, props.from, props.to);
  if (!c) return null;
  return (
    <p className="note" role="status" data-testid="audit-period-clamp">
      {t("audit.clamp.period")}：{formatJst(c.period.from)}〜{formatJst(c.period.to)}。
      {c.empty ? t("audit.clamp.empty") : `${t("audit.clamp.shown")}：${formatJst(c.from)}〜${formatJst(c.to)}`}
    </p>
  );
}

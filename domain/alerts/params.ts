/**
 * The queue's URL parameters → a scoped query. Filters accept what a person
 * types or picks: a rule by id or by (part of) its Japanese or English name,
 * an organisation by code or name. The result also carries the options of the
 * filter selects (rules and organisations in scope).
 */
import type { Scope } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { parseRange, type TimeRange } from "../../lib/range";
import { PAGE_SIZES, resolveRules, ruleOptions, SORT_KEYS, type QueueQuery, type RuleOption, type SortDir, type SortKey } from "./queue";

export type QueueParams = Record<string, string | undefined>;

export interface OrganizationOption {
  id: string;
  name: string;
}

export interface ParsedQueue {
  query: QueueQuery;
  range: TimeRange;
  rules: RuleOption[];
  organizations: OrganizationOption[];
  /** The organisation parameter named no organisation in scope (by code or name). */
  unknownOrganization: boolean;
  /** Whether "assigned to me" is on. */
  mine: boolean;
}

const oneOf = <T extends string>(v: string | undefined, allowed: readonly T[]): T | undefined => (allowed.includes(v as T) ? (v as T) : undefined);
const norm = (s: string) => s.normalize("NFKC").trim();

export async function organizationOptions(scope: Scope): Promise<OrganizationOption[]> {
  return db().organization.findMany({ where: scope.where("id"), select: { id: true, name: true }, orderBy: { id: "asc" } });
}

/**
 * Parses the parameters. An organisation code outside the scope is kept (the
 * query's scope check answers 403); a name is looked up among those in scope.
 */
export async function parseQueueParams(params: QueueParams, scope: Scope, login: string): Promise<ParsedQueue> {
  const range = parseRange(params);
  const [rules, organizations] = await Promise.all([ruleOptions(scope), organizationOptions(scope)]);
  let organization: string | undefined;
  let unknownOrganization = false;
  const orgText = norm(params.organization ?? "");
  if (/^\d{6}$/.test(orgText)) organization = orgText;
  else if (orgText) {
    organization = organizations.find((o) => norm(o.name) === orgText)?.id ?? organizations.find((o) => norm(o.name).includes(orgText))?.id;
    unknownOrganization = !organization;
  }
  const ruleText = params.rule ?? "";
  const matched = resolveRules(ruleText, rules);
  const mine = params.mine === "1";
  const query: QueueQuery = {
    from: range.from,
    to: range.to,
    status: oneOf(params.status, ["open", "acknowledged", "closed"] as const),
    severity: oneOf(params.severity, ["critical", "high", "medium", "low"] as const),
    organization,
    // Text that names no rule matches nothing (never silently everything).
    rules: ruleText.trim() ? (matched.length ? matched : [ruleText.trim()]) : undefined,
    assignee: mine ? login : undefined,
    sort: oneOf(params.sort, SORT_KEYS) ?? ("time" satisfies SortKey),
    dir: oneOf<SortDir>(params.dir, ["asc", "desc"]) ?? "desc",
    page: Math.max(1, Number.parseInt(params.page ?? "1", 10) || 1),
    size: PAGE_SIZES.find((s) => String(s) === params.size) ?? 50,
  };
  return { query, range, rules, organizations, unknownOrganization, mine };
}

/**
 * Codes as users read them, from the message catalogue. Each function falls back to the code itself
 * for a value the catalogue does not know (a new rule's evidence key, a new audit-trail action), so a
 * page never breaks on one; the catalogue test lists the codes that must have a label.
 */
import { messages, t, type MessageKey } from "./catalogue";

/** A catalogue label when the key exists (e.g. `action.search`), else the raw value. */
export function labelOr(key: string, raw: string): string {
  return key in messages ? t(key as MessageKey) : raw;
}

/** Access-log action, e.g. search → 検索, code_change → 住民票コード変更. */
export const eventActionLabel = (action: string): string => labelOr(`action.${action}`, action);
/** Outcome of an access-log event, e.g. failure → 失敗. */
export const outcomeLabel = (outcome: string): string => labelOr(`outcome.${outcome}`, outcome);
/** Node type, e.g. municipal_cs → 市町村CS. */
export const nodeTypeLabel = (type: string): string => labelOr(`nodeType.${type}`, type);
/** Query kind of a search, e.g. four_info → 4情報. */
export const queryKindLabel = (kind: string): string => labelOr(`queryKind.${kind}`, kind);
/** Purpose schedule, e.g. 5 → 別表第5, ordinance → 条例. */
export const scheduleLabel = (schedule: string): string => labelOr(`schedule.${schedule}`, schedule);
/** Provision channel, e.g. online_batch → 電気通信回線. */
export const channelLabel = (channel: string): string => labelOr(`stats.channel.${channel}`, channel);
/** Action of the console's own audit trail, e.g. event_export → ログのCSV出力. */
export const trailActionLabel = (action: string): string => labelOr(`trailAction.${action}`, action);

/** A detector rule's Japanese name (admin.rule.*, kept in step with the catalogue by a test); an unknown id as itself. */
export const ruleLabel = (ruleId: string): string => labelOr(`admin.rule.${ruleId}`, ruleId);

/**
 * A key of an alert's evidence (counts, baseline), e.g. distinct_subjects → 照会対象者数. Per-action
 * counts read as the action (search → 検索), per-query-kind counts (kind_four_info) as the query kind.
 */
export function evidenceLabel(key: string): string {
  const own = `evidence.${key}`;
  if (own in messages) return t(own as MessageKey);
  if (key.startsWith("kind_")) return `${t("evidence.queryKindPrefix")}${queryKindLabel(key.slice(5))}`;
  return eventActionLabel(key);
}

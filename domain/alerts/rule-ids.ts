/**
 * The contract's rule ids (INTERFACE.md §4): what an alert's rule.id, a suppression or an exception can name. One file per id
 * in detectors/rules/ (detectors/rules.test.ts keeps the two in step).
 */
export const RULE_IDS = [
  "after-hours-access",
  "auth-failure-burst",
  "broad-query",
  "card-register-mismatch",
  "bulk-export",
  "concurrent-session",
  "enumeration-scan",
  "ids-alert",
  "maintenance-window-update",
  "node-silence",
  "operator-volume-spike",
  "provision-volume-anomaly",
  "purpose-not-permitted",
  "purpose-outside-authority",
  "subject-repeat-access",
  "unregistered-terminal",
  "weak-operator-auth",
] as const;
export type RuleId = (typeof RULE_IDS)[number];

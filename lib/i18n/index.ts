/**
 * The message catalogue: every Japanese string of the UI lives here, one file per area under
 * messages/ (keys are namespaced by area: "signin.title", "checklist.…"). Components call
 * t("signin.title"); a missing key fails the type check. Date and fiscal-year formatting: format.ts.
 */
import { common } from "./messages/common";
import { monitoring } from "./messages/monitoring";
import { admin } from "./messages/admin";
import { checklist } from "./messages/checklist";
import { audits } from "./messages/audits";
import { statistics } from "./messages/statistics";

export const messages = { ...common, ...monitoring, ...admin, ...checklist, ...audits, ...statistics } as const;

export type MessageKey = keyof typeof messages;

export function t(key: MessageKey): string {
  return messages[key];
}

export * from "./format";

/** The merged message catalogue (one file per area under messages/) and its lookup. */
import { common } from "./messages/common";
import { monitoring } from "./messages/monitoring";
import { admin } from "./messages/admin";
import { checklist } from "./messages/checklist";
import { audits } from "./messages/audits";
import { statistics } from "./messages/statistics";
import { labels } from "./messages/labels";
import { notifications } from "./messages/notifications";
import { incidents } from "./messages/incidents";
import { archive } from "./messages/archive";
import { reviews } from "./messages/reviews";
import { registers } from "./messages/registers";
import { systemWork } from "./messages/systemWork";
import { annual } from "./messages/annual";

/** The area files by name (lib/i18n/catalogue.test.ts checks that each key namespace lives in one of them only). */
export const AREAS = {
  common,
  monitoring,
  admin,
  checklist,
  audits,
  statistics,
  labels,
  notifications,
  incidents,
  archive,
  reviews,
  registers,
  systemWork,
  annual,
} as const;

export const messages = {
  ...common,
  ...monitoring,
  ...admin,
  ...checklist,
  ...audits,
  ...statistics,
  ...labels,
  ...notifications,
  ...incidents,
  ...archive,
  ...reviews,
  ...registers,
  ...systemWork,
  ...annual,
} as const;

export type MessageKey = keyof typeof messages;

export function t(key: MessageKey): string {
  return messages[key];
}

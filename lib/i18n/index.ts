/**
 * The message catalogue: every Japanese string of the UI lives here, one file per area under
 * messages/ (keys are namespaced by area: "signin.title", "checklist.…"). Components call
 * t("signin.title"); a missing key fails the type check. Codes as labels (actions, node types,
 * evidence keys, audit-trail actions): labels.ts. Date and fiscal-year formatting: format.ts.
 */
export { messages, t, type MessageKey } from "./catalogue";
export * from "./labels";
export * from "./format";

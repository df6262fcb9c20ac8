/**
 * Incident response (issue 15), the one import path of the incident domain.
 * access: who may, and the scope's `where`; levels: threat-level definitions
 * as versioned data; incidents: open, grade, move, record; contacts: the
 * contact chain and escalation paths; escalation: report deadlines and the
 * periodic overdue pass; investigations: the municipality loop (調査依頼);
 * summary: the annual summary; document: the report's data.
 */
export * from "./incidents/access";
export * from "./incidents/levels";
export * from "./incidents/incidents";
export * from "./incidents/contacts";
export * from "./incidents/escalation";
export * from "./incidents/investigations";
export * from "./incidents/summary";
export * from "./incidents/document";
export { kindName, levelName } from "./incidents/notifications";
export * from "./incidents/describe";

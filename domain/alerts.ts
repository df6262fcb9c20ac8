/**
 * Alerts in Elasticsearch (`<prefix>-alerts`): the one import path of the
 * alert domain. store: documents, index, scoped reads; triage: state
 * transitions, assignment, comments; queue: paging, sorting, grouping, due
 * times; assignees: who may take an alert; views: saved queue views.
 */
export * from "./alerts/store";
export * from "./alerts/triage";
export * from "./alerts/queue";
export * from "./alerts/due";
export * from "./alerts/assignees";
export * from "./alerts/views";
export * from "./alerts/groups";
export * from "./alerts/params";

/**
 * The external-audit workflow's one import path: who may do what (access.ts),
 * engagements and notices (engagements.ts), findings (findings.ts) and the
 * versioned reports (report-versions.ts).
 */
export * from "./access";
export * from "./engagements";
export * from "./findings";
export * from "./report-versions";
export * from "./evidence-links";

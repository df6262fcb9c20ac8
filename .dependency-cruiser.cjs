/**
 * Architecture check (dependency-cruiser), run by `npm run lint`: no import cycles, and imports go down
 * the layers (README "Architecture"):
 *
 *   transport   app/ (pages, route handlers, app/_actions server actions), components/; gateway/ (the ingest gateway:
 *               syslog/TLS and RELP/TLS listeners, its own process) — the two transports never import each other
 *   documents   reports/ (PDF and XLSX renderers)
 *   detection   detectors/ (engine, building blocks, one file per rule)
 *   domain      domain/ (ingest, registry, alerts, events, checklist, audits, statistics, evidence)
 *   infra       lib/ (config, db, Elasticsearch client and scoped reads, auth and scope, audit trail, i18n, time)
 *
 * Tools (scripts/, bench/, tests/, e2e/) may import anything; nothing in the product imports them.
 */
const TRANSPORT = "^(app|components|gateway)/";
const below = (name, from, forbiddenTo, comment) => ({ name, severity: "error", comment, from: { path: from }, to: { path: forbiddenTo } });

module.exports = {
  forbidden: [
    { name: "no-cycles", severity: "error", comment: "An import cycle hides a layer problem.", from: {}, to: { circular: true } },
    {
      ...below(
        "no-tools-in-product",
        "^(app|lib|domain|reports|detectors|components|gateway)/",
        "^(scripts|bench|tests|e2e)/",
        "scripts/, bench/, tests/ and e2e/ are tools; the product never imports them (its unit tests may use tests/support/).",
      ),
      from: { path: "^(app|lib|domain|reports|detectors|components|gateway)/", pathNot: "\\.test\\.tsx?$" },
    },
    below(
      "infra-is-the-bottom",
      "^lib/",
      "^(app|components|gateway|reports|detectors|domain)/",
      "lib/ is infrastructure: it knows nothing of the domain, the detectors, the documents or the app.",
    ),
    below(
      "domain-below-detection",
      "^domain/",
      "^(app|components|gateway|reports|detectors)/",
      "domain/ never imports the detectors, the documents or the app.",
    ),
    below("detection-below-documents", "^detectors/", "^(app|components|gateway|reports)/", "detectors/ never imports the documents or the app."),
    below("documents-below-transport", "^reports/", TRANSPORT, "reports/ renders what the domain loads; it never imports the app or the gateway."),
    below(
      "gateway-apart-from-app",
      "^gateway/",
      "^(app|components)/",
      "gateway/ is a transport beside app/: it feeds the domain's ingest pipeline, never the console's pages or actions.",
    ),
    below("app-apart-from-gateway", "^(app|components)/", "^gateway/", "The console never imports the gateway: it runs as its own process (npm run gateway)."),
    {
      name: "no-rule-imports-a-rule",
      severity: "error",
      comment: "Shared pieces live in detectors/*.ts, not in another rule.",
      from: { path: "^detectors/rules/[^/]+\\.ts$", pathNot: "\\.test\\.ts$" },
      to: { path: "^detectors/rules/[^/]+\\.ts$" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|lib/generated|var|\\.next)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};

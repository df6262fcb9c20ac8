/**
 * Architecture check (dependency-cruiser), run by `npm run lint`: no import cycles, and imports go down
 * the layers — app/ (transport) → reports/ (documents) and detectors/ → lib/ (domain and infrastructure);
 * tools (scripts/, bench/, tests/, e2e/) may import anything, nothing imports them.
 */
module.exports = {
  forbidden: [
    { name: "no-cycles", severity: "error", comment: "An import cycle hides a layer problem.", from: {}, to: { circular: true } },
    { name: "no-tools-in-product", severity: "error", comment: "scripts/, bench/, tests/ and e2e/ are tools; the product never imports them.", from: { path: "^(app|lib|reports|detectors|components)/" }, to: { path: "^(scripts|bench|tests|e2e)/" } },
    { name: "lib-stays-below", severity: "error", comment: "lib/ is the bottom layer: it never imports the app, the documents or the detectors.", from: { path: "^lib/", pathNot: "^lib/actions/" }, to: { path: "^(app|components|reports|detectors)/" } },
    { name: "detectors-below-app", severity: "error", from: { path: "^detectors/" }, to: { path: "^(app|components|reports)/" } },
    { name: "reports-below-app", severity: "error", from: { path: "^reports/" }, to: { path: "^(app|components)/" } },
    { name: "no-rule-imports-a-rule", severity: "error", comment: "Shared pieces live in detectors/*.ts, not in another rule.", from: { path: "^detectors/rules/[^/]+\\.ts$", pathNot: "\\.test\\.ts$" }, to: { path: "^detectors/rules/[^/]+\\.ts$" } },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|lib/generated|var|\\.next)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};

// ESLint: Next's rules (core web vitals) and typescript-eslint, through eslint-config-next.
// The architecture (layers, cycles) is checked by dependency-cruiser (.dependency-cruiser.cjs); both run in `npm test`.
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    // Elasticsearch aggregation responses are untyped JSON at the boundary; `any` is visible as a warning
    // and capped by --max-warnings in package.json (lower the cap as they are typed, never raise it).
    rules: {
      "@typescript-eslint/no-explicit-any": "warn",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      "@typescript-eslint/no-unused-expressions": "error",
    },
  },
  {
    // Links go through components/Link (prefetch on intent, not on sight: a page view must not render every page it
    // links to on the server).
    files: ["app/**", "components/**"],
    ignores: ["components/Link.tsx"],
    rules: {
      "no-restricted-imports": ["error", { paths: [{ name: "next/link", message: "Import Link from @/components/Link." }] }],
    },
  },
  {
    // Pages and layouts are server components rendered per request: reading the clock there is the point.
    files: ["app/**/page.tsx", "app/**/layout.tsx"],
    rules: { "react-hooks/purity": "off" },
  },
  {
    // Not React: tests, tools and the domain (a helper named use… is not a hook there).
    files: ["tests/**", "e2e/**", "scripts/**", "bench/**", "lib/**", "detectors/**", "reports/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  { ignores: ["lib/generated/**", "var/**", "node_modules/**", ".next/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
];

export default config;

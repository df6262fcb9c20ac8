import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

// Unit tests live beside the code (lib/**/*.test.ts, detectors/**/*.test.ts);
// integration tests under tests/integration run against a real Elasticsearch
// and SQLite started by tests/integration/global-setup.ts.
export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: [
            "lib/**/*.test.ts",
            "domain/**/*.test.ts",
            "detectors/**/*.test.ts",
            "reports/**/*.test.ts",
            "scripts/**/*.test.ts",
            "gateway/**/*.test.ts",
          ],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          globalSetup: ["tests/integration/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});

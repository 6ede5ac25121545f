import { defineConfig } from "vitest/config";

// One vitest configuration for the whole tree. Workspace packages resolve to their TypeScript sources
// through the "source" export condition, so `npm test` needs no build step for unit tests.
export default defineConfig({
  resolve: { conditions: ["source", "module", "node", "default"] },
  ssr: { resolve: { conditions: ["source", "node", "import", "default"], externalConditions: ["source"] } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    testTimeout: 20_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});

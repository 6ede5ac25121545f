import { defineConfig } from "vitest/config";

// One vitest configuration for the whole tree. Workspace packages resolve to their TypeScript sources
// through the "source" export condition, so `npm test` needs no build step for unit tests.
export default defineConfig({
  resolve: { conditions: ["source", "module", "node", "default"] },
  // No "import" here: vitest passes these to Node as --conditions for external packages, and an "import"
  // condition would make require() pick ESM entry points (pg -> pg-pool's esm wrapper breaks `extends`).
  ssr: { resolve: { conditions: ["source", "node", "default"], externalConditions: ["source"] } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    testTimeout: 20_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});

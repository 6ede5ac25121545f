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
    // A test that fails once is run once more: on this shared 2-core machine a browser or cluster test can
    // miss a deadline in a slow spell. A test that passes only on its second run is still named at the end
    // of `npm test` (scripts/test.mjs), so a flaky test is seen and fixed, not hidden.
    retry: 1,
    pool: "forks",
  },
});

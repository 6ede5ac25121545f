import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

// The demo portal: five static pages built once and served by demo/server.mjs (no dev server, no HMR
// websocket). The SDK comes from the workspace's TypeScript sources, as a web developer's bundler would
// take it from node_modules.
export default defineConfig({
  root,
  base: "/",
  // "production" spelled out: a build started from a test runner (NODE_ENV=test) would otherwise pick
  // lit's development build.
  resolve: { conditions: ["source", "module", "browser", "production"] },
  logLevel: "warn",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    rollupOptions: {
      input: {
        index: `${root}index.html`,
        chart: `${root}chart.html`,
        hub: `${root}hub.html`,
        partner: `${root}partner.html`,
        admin: `${root}admin.html`,
      },
    },
  },
});

import { fileURLToPath } from "node:url";
import { defaultClientConditions, defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

// The frame's pages: embed.html, hub.html, login.html at the root of dist/, content-hashed scripts and
// styles under dist/assets/. Asset URLs are absolute (`/assets/...`): the server answers `/assets/*` for
// every proxy, so the same build serves `/embed` and `/{P}/embed`.
export default defineConfig({
  root,
  base: "/",
  // Workspace packages build from their TypeScript sources (the "source" export condition).
  resolve: { conditions: ["source", ...defaultClientConditions] },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: {
        embed: `${root}embed.html`,
        hub: `${root}hub.html`,
        login: `${root}login.html`,
      },
    },
  },
});

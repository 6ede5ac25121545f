import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { penpalWithoutDebugLog } from "./penpal-without-debug-log.js";

/** Output settings of the published bundles; the size bench builds with the same. */
export const SDK_OUTPUT = { minify: true, comments: { annotation: false } } as const;
/** Build plugins of the published bundles; the size bench builds with the same. */
export const SDK_PLUGINS = [penpalWithoutDebugLog()];

const src = (file: string) => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

/**
 * Library build of @portico/embed (ESM only). JavaScript comes from here; `.d.ts` from
 * `tsc -b` (tsconfig.build.json) into the same `dist/`, which is why `emptyOutDir` is off and file names
 * carry no hash (each build overwrites the last).
 *
 * Entries: `index` (the SDK: `createClient`, no lit), `element` (the `PorticoEmbed` class, not registered)
 * and `define` (registers `<portico-embed>`). Everything is bundled, Lit's ReactiveElement and penpal included: `define.js`
 * is usable straight from a `<script type="module">` on any page, and the size budgets (`bench/suites/embed.ts`)
 * are what a visitor downloads. Shared code lands in chunks the entries import.
 */
export default defineConfig({
  plugins: SDK_PLUGINS,
  resolve: { conditions: ["source", "module", "browser", "default"] },
  build: {
    outDir: fileURLToPath(new URL("./dist", import.meta.url)),
    emptyOutDir: false,
    target: "es2022",
    minify: true,
    sourcemap: true,
    lib: {
      entry: { index: src("index.ts"), element: src("portico-embed.ts"), define: src("define.ts") },
      formats: ["es"],
    },
    rolldownOptions: {
      // Full minification (vite leaves whitespace in ES libraries for the next bundler; a script tag has none),
      // without `/* @__PURE__ */` comments: a bundler re-reading these files still knows `new Map()` and the
      // like are pure, and a page loading them pays for every byte. bench/suites/embed.ts uses the same output
      // settings (SDK_OUTPUT), so the size it reports is what ships.
      output: { entryFileNames: "[name].js", chunkFileNames: "chunks/[name].js", ...SDK_OUTPUT },
    },
  },
});

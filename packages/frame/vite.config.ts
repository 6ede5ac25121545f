import { fileURLToPath } from "node:url";
import { defaultClientConditions, defineConfig, type HtmlTagDescriptor, type Plugin } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

// The frame's pages: embed.html, hub.html, login.html at the root of dist/, content-hashed scripts and
// styles under dist/assets/. Asset URLs are absolute (`/assets/...`): the server answers `/assets/*` for
// every proxy, so the same build serves `/embed` and `/{P}/embed`.
/**
 * Adds `<link rel=modulepreload>` for the chunks a page's entry imports dynamically (the embed page's UI),
 * so they download in parallel with the entry instead of after it has run.
 */
function preloadDynamicImports(): Plugin {
  return {
    name: "portico-preload-dynamic-imports",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(_html, ctx) {
        const { bundle, chunk } = ctx;
        if (!bundle || !chunk) return [];
        const seen = new Set<string>([chunk.fileName, ...chunk.imports]);
        const tags: HtmlTagDescriptor[] = [];
        const visit = (fileName: string) => {
          if (seen.has(fileName)) return;
          seen.add(fileName);
          const target = bundle[fileName];
          if (target?.type !== "chunk") return;
          tags.push({
            tag: "link",
            attrs: { rel: "modulepreload", crossorigin: true, href: `/${fileName}` },
            injectTo: "head",
          });
          for (const imported of target.imports) visit(imported);
        };
        for (const dynamic of chunk.dynamicImports) visit(dynamic);
        return tags;
      },
    },
  };
}

export default defineConfig({
  root,
  plugins: [preloadDynamicImports()],
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

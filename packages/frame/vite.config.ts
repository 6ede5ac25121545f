import { fileURLToPath } from "node:url";
import {
  build,
  defineConfig,
  type HtmlTagDescriptor,
  type Plugin,
  type ResolvedConfig,
  type UserConfig,
} from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

// The frame's pages: embed.html, hub.html, login.html at the root of dist/, content-hashed scripts and
// styles under dist/assets/. Asset URLs are absolute (`/assets/...`): the server answers `/assets/*` for
// every proxy, so the same build serves `/embed` and `/{P}/embed`.
/**
 * Adds `<link rel=preload as=script crossorigin>` for the chunks a page's entry imports dynamically (the
 * embed page's UI), so they download in parallel with the entry instead of after it has run. Not
 * `modulepreload`: Chromium then also compiles the chunk on the main thread as soon as it arrives, and in a
 * framed page that lands between the handshake's messages and in front of the session (the README has the
 * traces); a preload only downloads, and the module loader takes the response from it when the entry imports
 * the chunk. The server turns it into a `modulepreload` for a top-level visit (`withEagerUiPreload`).
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
            attrs: { rel: "preload", as: "script", crossorigin: true, href: `/${fileName}` },
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

type Pages = Record<string, string>;

/**
 * V8's explicit compile hint for the embed page's UI chunk (`src/define.ts`, imported dynamically): compile
 * every function of the file while it downloads, on a background thread, instead of lazily on the main
 * thread at first call. Nearly all of that chunk runs before the first chart (lit, the components, the
 * charts, the formats), so its lazy parse and compile would sit on the main thread between the session
 * answer and the first chart (the README has the traces). Entries keep lazy
 * compilation: they must start at once, and much of an entry (error paths, RPC) never runs on a visit.
 * Browsers without the feature see a comment. Added after minification, which would drop it.
 */
function compileHint(chunk: { isEntry: boolean; isDynamicEntry: boolean }): string {
  return chunk.isDynamicEntry && !chunk.isEntry ? "//# allFunctionsCalledOnLoad" : "";
}

/**
 * Builds each page on its own, into the same `outDir`: one build per page instead of one for all. Built
 * together, the modules two pages share go into shared chunks, and the embed page loaded five files (its
 * entry, two shared chunks, the UI, the CSS); built apart it loads three (entry, UI, CSS). Each extra file
 * of a cold load is a new connection, set up while the renderer starts, and the first chart waits for it
 * (the README has the A/Bs). Pages are never loaded together, so no
 * module is ever evaluated twice on one page. The first page is built by this build, the others one by
 * one when it closes, with the same settings (`pageConfig`): whoever asks for several pages (vite's CLI,
 * `build({ configFile })` with more pages in `input`) gets all of them.
 */
function buildPagesApart(): Plugin {
  let rest: Array<[string, string]> = [];
  let resolved: ResolvedConfig | undefined;
  return {
    name: "portico-build-pages-apart",
    apply: "build",
    config(config) {
      const options = config.build?.rolldownOptions ?? config.build?.rollupOptions;
      const input = options?.input;
      if (!options || !input || typeof input !== "object" || Array.isArray(input)) return;
      const [first, ...others] = Object.entries(input as Pages);
      if (!first || others.length === 0) return;
      // Mutated, not returned: a returned config is merged into this one, and inputs would add up.
      options.input = { [first[0]]: first[1] };
      rest = others;
    },
    configResolved(config) {
      resolved = config;
    },
    async closeBundle() {
      if (!resolved) return;
      for (const [name, file] of rest) {
        const page = pageConfig({ [name]: file });
        await build({
          ...page,
          configFile: false,
          mode: resolved.mode,
          logLevel: resolved.logLevel,
          build: {
            ...page.build,
            outDir: resolved.build.outDir,
            emptyOutDir: false,
            minify: resolved.build.minify,
            sourcemap: resolved.build.sourcemap,
          },
        });
      }
    },
  };
}

/** The frame's build settings for `pages` (name -> HTML file). */
function pageConfig(pages: Pages): UserConfig {
  return {
    root,
    plugins: [preloadDynamicImports(), buildPagesApart()],
    base: "/",
    // Workspace packages build from their TypeScript sources (the "source" export condition). "production"
    // is named, not left to NODE_ENV: a build started under vitest (NODE_ENV=test) would get lit's
    // development build (larger, with dev-mode warnings), and `npm start` serves whatever dist was built last.
    resolve: { conditions: ["source", "module", "browser", "production"] },
    build: {
      outDir: "dist",
      emptyOutDir: true,
      target: "es2022",
      modulePreload: { polyfill: false },
      rollupOptions: { input: pages, output: { postBanner: compileHint } },
    },
  };
}

export default defineConfig(
  pageConfig({
    embed: `${root}embed.html`,
    hub: `${root}hub.html`,
    login: `${root}login.html`,
    qmc: `${root}qmc.html`,
  }),
);

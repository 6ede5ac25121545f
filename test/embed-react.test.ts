// The React 19 example of packages/embed/README.md (and docs/sdk.md), built as written with React 19 from
// npm and esbuild, against the demo's own configuration and the real frame in real Chromium: host page on
// http://localhost:<port>, server on http://127.0.0.1:<port>. A visitor's click in the dashboard must
// survive the re-renders it causes.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureFrameBuild, ROOT } from "./support/build-bundles.js";
import { startDemoPortico } from "./support/demo-portico.js";
import { useEmbedWorld } from "./support/embed-world.js";
import type { PorticoTestServer } from "./support/portico-server.js";

const world = useEmbedWorld(ensureFrameBuild);
let demo: PorticoTestServer;

beforeAll(async () => {
  demo = await startDemoPortico(world.host.origin, await ensureFrameBuild());
});
afterAll(async () => {
  await demo?.close();
});

/** The first `tsx` block after the "React 19" heading of a Markdown file. */
async function reactExample(file: string): Promise<string> {
  const text = await readFile(path.join(ROOT, file), "utf8");
  const section = text.slice(text.indexOf("React 19"));
  const match = /```tsx\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error(`no React example in ${file}`);
  return match[1];
}

/** The example and a mount point, bundled for the browser; the SDK is the page's `/sdk/define.js`. */
async function bundle(example: string, server: string): Promise<string> {
  const source = example.replace("https://portico.example.com", server);
  const result = await build({
    stdin: {
      contents: `${source}
import { createRoot } from "react-dom/client";
createRoot(document.getElementById("root")).render(<Spending />);`,
      loader: "tsx",
      resolveDir: path.join(ROOT, "test"),
      sourcefile: "react-example.tsx",
    },
    bundle: true,
    write: false,
    format: "esm",
    jsx: "automatic",
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "silent",
    plugins: [
      {
        name: "sdk-from-the-page",
        setup(b) {
          b.onResolve({ filter: /^@portico\/embed/ }, () => ({ path: "/sdk/define.js", external: true }));
        },
      },
    ],
  });
  return (result.outputFiles[0]?.text ?? "").replaceAll("</script", "<\\/script");
}

describe("the React 19 example", () => {
  it("is the same in the SDK README and docs/sdk.md", async () => {
    expect(await reactExample("docs/sdk.md")).toBe(await reactExample("packages/embed/README.md"));
  });

  it("keeps a visitor's click through the re-renders it causes, and applies the page's own picks", async () => {
    const code = await bundle(await reactExample("packages/embed/README.md"), demo.url);
    await world.open("/react", `<div id="root"></div><script type="module">${code}</script>`);
    await world.waitFor("portico-ready");
    const iframe = await (
      await world.page.waitForFunction(() =>
        document.querySelector("portico-embed")?.shadowRoot?.querySelector("iframe"),
      )
    ).asElement();
    const dashboard = await iframe?.contentFrame();
    if (!dashboard) throw new Error("no frame");
    const selectionsInFrame = () =>
      world.page.evaluate(() =>
        (
          document.querySelector("portico-embed") as unknown as {
            embedView: { getSelections(): Promise<unknown> };
          }
        ).embedView.getSelections(),
      );

    // The visitor picks a year in the dashboard's filter pane: the page re-renders with the summary.
    await dashboard.getByRole("option", { name: /^2022/ }).click();
    await expect.poll(() => world.page.locator("output").textContent()).toBe("Year: 2022");
    // A re-render hands the element a new `{Department: []}`; the click must stay.
    await world.page.waitForTimeout(500);
    expect(await selectionsInFrame()).toEqual({ Year: [2022] });
    expect(await world.page.locator("output").textContent()).toBe("Year: 2022");

    // The page's own button adds its department to what the visitor chose.
    await world.page.getByRole("button", { name: "Parks only" }).click();
    await expect.poll(selectionsInFrame).toEqual({ Year: [2022], Department: ["Parks and Recreation"] });
    await expect
      .poll(() => world.page.locator("output").textContent())
      .toBe("Year: 2022; Department: Parks and Recreation");
    expect((await world.events()).filter((e) => e.type === "portico-error")).toEqual([]);
  });
});

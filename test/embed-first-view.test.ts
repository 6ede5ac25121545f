// What the real frame asks the real server for on a first load, before its first chart: the embed config
// comes in the page, the app and the first view's data come with the session, so the sheet paints after
// one request beyond the page and its scripts. What it may not read still never reaches it.

import { listVisits } from "@portico/server";
import type { Frame, Request } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ensureFrameBuild } from "./support/build-bundles.js";
import { useEmbedWorld } from "./support/embed-world.js";

const world = useEmbedWorld(ensureFrameBuild);

const element = (id: string, attributes: Record<string, string>) =>
  world.embed(id, { ...attributes, style: "height:600px" });

const kpi = (frame: Frame) => frame.locator(".kpi-value").first();

/** The API requests the Portico server gets from the page's frames (`/anon/api/v1/...` paths). */
function apiRequests(): string[] {
  const seen: string[] = [];
  world.page.on("request", (request: Request) => {
    const url = new URL(request.url());
    if (url.origin === world.portico.url && url.pathname.includes("/api/v1/"))
      seen.push(`${request.method()} ${url.pathname.replace(/^.*\/api\/v1/, "")}`);
  });
  return seen;
}

/** An app's query, or its batch of queries. */
const isDataRequest = (request: string) => /\/quer(y|ies)$/.test(request);

describe("the real frame's first load", () => {
  it("asks no embed config and no query: the page carries the one, the session answer the others", async () => {
    const requests = apiRequests();
    await world.open("/first", element("a", { proxy: "anon", app: "spending", sheet: "overview" }));
    await world.waitFor("portico-ready", "a");
    const frame = await world.frameOf("a");
    await expect.poll(async () => (await kpi(frame).textContent())?.trim()).toBe("750");
    await expect.poll(() => frame.getByRole("option").count()).toBe(3);
    const fromFrame = requests.filter((r) => !r.includes("/tickets/"));
    expect(fromFrame.filter((r) => r.includes("embed-config"))).toEqual([]);
    expect(fromFrame.filter(isDataRequest)).toEqual([]);
    expect(fromFrame).toContain("POST /sessions");
  });

  it("applies the embed's initial selections to the data that comes with the session", async () => {
    const requests = apiRequests();
    await world.open(
      "/first-selected",
      element("a", { proxy: "anon", app: "spending", sheet: "overview", selections: '{"Region":["East"]}' }),
    );
    const frame = await world.frameOf("a");
    await expect.poll(async () => (await kpi(frame).textContent())?.trim()).toBe("400");
    expect(requests.filter(isDataRequest)).toEqual([]);
  });

  it("still queries what the session answer did not carry, and selections query as before", async () => {
    const requests = apiRequests();
    await world.open(
      "/first-then-select",
      element("a", { proxy: "anon", app: "spending", sheet: "overview" }),
    );
    const frame = await world.frameOf("a");
    await expect.poll(async () => (await kpi(frame).textContent())?.trim()).toBe("750");
    await frame.getByRole("option", { name: /North/ }).click();
    await expect.poll(async () => (await kpi(frame).textContent())?.trim()).toBe("100");
    expect(requests.filter(isDataRequest).length).toBeGreaterThan(0);
  });

  it("a view naming no usable object still gets its session, and the frame says what is missing", async () => {
    const refused: string[] = [];
    world.page.on("response", (response) => {
      if (response.url().includes("/api/v1/") && response.status() >= 400)
        refused.push(`${response.status()} ${response.url()}`);
    });
    for (const object of ["", "x".repeat(300)]) {
      await world.page.goto(`${world.portico.url}/anon/embed?app=spending&view=object&object=${object}`);
      await expect.poll(() => world.page.getByText("OBJECT_NOT_FOUND").count()).toBeGreaterThan(0);
    }
    expect(refused).toEqual([]);
  });

  it("is in the visit log as the server's own: session start, app open and the frame's sheet view", async () => {
    await world.open("/first-visit", element("a", { proxy: "anon", app: "spending", sheet: "overview" }));
    const frame = await world.frameOf("a");
    await expect.poll(async () => (await kpi(frame).textContent())?.trim()).toBe("750");
    const [user] = await world.readyUsers("a");
    const logged = async () =>
      (await listVisits(world.portico.storage, { proxy: "anon" })).visits
        .filter((v) => v.userId === user.userId)
        .map((v) => `${v.type} ${v.app ?? "-"} ${v.sheet ?? "-"} ${v.origin}`)
        .sort();
    const origin = world.host.origin;
    await expect
      .poll(logged)
      .toEqual([
        `appOpen spending - ${origin}`,
        `sessionStart - - ${origin}`,
        `sheetView spending overview ${origin}`,
      ]);
  });
});

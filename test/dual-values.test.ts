// Dual fields across the iframe boundary, in real Chromium with the real frame and server: a host page
// selects a month by the number behind its name ("Month" holds Jan..Dec, a calendar dual), in the
// element's initial selections and through the SDK, and the frame keeps the selection and shows March.
import type { HypercubeResult } from "@portico/protocol";
import { describe, expect, it } from "vitest";
import { useCityWorld } from "./support/a11y-fixture.js";
import { events } from "./support/host-page.js";

const { world, city } = useCityWorld();

type View = {
  embedView: {
    select(field: string, values: Array<string | number>): Promise<unknown>;
    getSelections(): Promise<unknown>;
    getData(id: string): Promise<HypercubeResult>;
  };
};

const months = (id: string) =>
  world.page.evaluate(async (elementId) => {
    const data = await (document.getElementById(elementId) as unknown as View).embedView.getData("by-month");
    return data.rows.map((r) => r.dimensions[0]!.text);
  }, id);

describe("dual values from the host page", () => {
  it("keeps an initial selection by the number behind a month's name", async () => {
    await world.open(
      "/dual-initial",
      world.embed(
        "a",
        { proxy: "anon", app: "spending", sheet: "overview", selections: '{"Month":[3]}' },
        city.server,
      ),
    );
    await world.waitFor("portico-ready", "a");
    expect(
      await world.page.evaluate(() =>
        (document.getElementById("a") as unknown as View).embedView.getSelections(),
      ),
    ).toEqual({
      Month: [3],
    });
    expect(await months("a")).toEqual(["Mar"]);
    // Not dropped as a value the field does not hold.
    expect((await events(world.page)).filter((e) => e.type.includes("warning"))).toEqual([]);
  });

  it("selects by the number through the SDK", async () => {
    await world.open(
      "/dual-select",
      world.embed("b", { proxy: "anon", app: "spending", sheet: "overview" }, city.server),
    );
    await world.waitFor("portico-ready", "b");
    expect(await months("b")).toHaveLength(12);
    await world.page.evaluate(() =>
      (document.getElementById("b") as unknown as View).embedView.select("Month", [12, 1]),
    );
    expect(await months("b")).toEqual(["Jan", "Dec"]);
  });
});

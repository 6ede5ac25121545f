// Selections the page gets wrong, with the real frame and server in real Chromium (host page on
// http://localhost:<port>, server on http://127.0.0.1:<port>): a field the app does not have, values a field
// does not hold. The page hears precisely what was dropped; the visitor keeps a working dashboard.
import type { Frame } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ensureFrameBuild } from "./support/build-bundles.js";
import { useEmbedWorld } from "./support/embed-world.js";

const world = useEmbedWorld(ensureFrameBuild);

const element = (id: string, attributes: Record<string, string>) =>
  world.embed(id, {
    proxy: "anon",
    app: "spending",
    sheet: "overview",
    style: "height:600px",
    ...attributes,
  });

const kpi = async (frame: Frame) => (await frame.locator(".kpi-value").first().textContent())?.trim();

/** Calls `embedView[method](...args)` on the element `id`; resolves `{ok}` or `{error: {code, message}}`. */
function call(id: string, method: string, ...args: unknown[]) {
  return world.page.evaluate(
    async ([elementId, m, a]) => {
      const view = (
        document.getElementById(elementId) as unknown as {
          embedView: Record<string, (...a: unknown[]) => Promise<unknown>>;
        }
      ).embedView;
      try {
        return { ok: await view[m]?.(...a) };
      } catch (e) {
        const { code, message } = e as { code: string; message: string };
        return { error: { code, message } };
      }
    },
    [id, method, args] as const,
  );
}

const errors = async () =>
  (await world.events()).filter((e) => e.type === "portico-error").map((e) => e.detail);

describe("selections on fields and values the app does not have", () => {
  it("select() on an unknown field rejects with FIELD_NOT_FOUND naming the app's fields; the sheet stays", async () => {
    await world.open("/unknown-field", element("a", {}));
    await world.waitFor("portico-ready", "a");
    const frame = await world.frameOf("a");
    await expect.poll(() => kpi(frame)).toBe("750");

    const answer = await call("a", "select", "Colour", ["Red"]);
    expect(answer.error?.code).toBe("FIELD_NOT_FOUND");
    expect(answer.error?.message).toContain('"Colour"');
    expect(answer.error?.message).toContain("Region");
    // Nothing broke: the KPI, the filter pane, and a selection that does exist.
    expect(await call("a", "getSelections")).toEqual({ ok: {} });
    await expect.poll(() => frame.getByRole("option").count()).toBe(3);
    expect(await call("a", "select", "Region", ["North"])).toEqual({ ok: { Region: ["North"] } });
    await expect.poll(() => kpi(frame)).toBe("100");
  });

  it("drops an unknown field of the selections attribute with a warning, and applies the rest", async () => {
    await world.open("/bad-attribute", element("a", { selections: '{"Colour":["Red"],"Region":["East"]}' }));
    await world.waitFor("portico-ready", "a");
    const frame = await world.frameOf("a");
    await expect.poll(() => kpi(frame)).toBe("400");
    await expect
      .poll(errors)
      .toEqual([expect.objectContaining({ code: "FIELD_NOT_FOUND", field: "Colour", level: "warning" })]);
    await expect.poll(() => frame.getByRole("option").count()).toBe(3);
    expect(await call("a", "getSelections")).toEqual({ ok: { Region: ["East"] } });
  });

  it("leaves values a field does not hold out with a warning, never emptying the sheet", async () => {
    await world.open("/bad-values", element("a", { selections: '{"Region":["Atlantis"]}' }));
    await world.waitFor("portico-ready", "a");
    const frame = await world.frameOf("a");
    await expect
      .poll(errors)
      .toEqual([expect.objectContaining({ code: "VALUE_NOT_FOUND", field: "Region", level: "warning" })]);
    await expect.poll(() => kpi(frame)).toBe("750");
    expect(await call("a", "getSelections")).toEqual({ ok: {} });

    // From select(): nothing held leaves the selections as they were; the held values are selected.
    expect(await call("a", "select", "Region", ["Atlantis"])).toEqual({ ok: {} });
    expect(await call("a", "select", "Region", ["South", "Atlantis"])).toEqual({ ok: { Region: ["South"] } });
    await expect.poll(() => kpi(frame)).toBe("250");
    const warnings = (await errors()).filter((e) => (e as { code: string }).code === "VALUE_NOT_FOUND");
    expect(warnings).toHaveLength(3);
    expect(warnings[2]).toMatchObject({ message: expect.stringContaining('"Atlantis"') });
  });

  it("a live selections change with an unknown field reports that field and applies the others", async () => {
    await world.open("/live", element("a", {}));
    await world.waitFor("portico-ready", "a");
    const frame = await world.frameOf("a");
    await expect.poll(() => kpi(frame)).toBe("750");
    await world.page.evaluate(() =>
      document.getElementById("a")?.setAttribute("selections", '{"Colour":["Red"],"Region":["North"]}'),
    );
    await expect.poll(() => kpi(frame)).toBe("100");
    await expect
      .poll(errors)
      .toEqual([expect.objectContaining({ code: "FIELD_NOT_FOUND", field: "Colour" })]);
  });
});

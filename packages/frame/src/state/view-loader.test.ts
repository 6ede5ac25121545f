import type { FrameEvent } from "@portico/protocol";
import { describe, expect, it, vi } from "vitest";
import type { VisitBeacon } from "../api/api-client.js";
import { FrameError } from "../errors/frame-error.js";
import { fakeApi } from "../testing/fake-api.js";
import { ViewLoader, type ViewLoaderOptions } from "./view-loader.js";

function loader(options: Partial<ViewLoaderOptions> = {}, api = fakeApi()) {
  const events: FrameEvent[] = [];
  const beacons: VisitBeacon[] = [];
  const painted: VisitBeacon[] = [];
  const refresh = vi.fn(async () => undefined);
  const view = new ViewLoader({
    api: api.api,
    bridge: {
      emit: (e) => events.push(e),
      beacon: (b) => b && beacons.push(b),
      beaconAfterPaint: (b) => b && painted.push(b),
    },
    refresh,
    onChange: vi.fn(),
    view: "sheet",
    app: "spending",
    ...options,
  });
  return { view, events, beacons, painted, refresh, ...api };
}

describe("ViewLoader", () => {
  it("lays out the first sheet, tells the host once, and reports the view after its data", async () => {
    const { view, events, painted, refresh, callsOf } = loader();
    expect(await view.loadLayout()).toBe(true);
    expect(view.sheetId).toBe("overview");
    expect(view.objects.map((o) => o.id)).toContain("by-department");
    expect(events).toEqual([{ type: "sheetChanged", sheet: "overview", title: "Overview" }]);
    expect(callsOf("app")).toHaveLength(1);
    await view.loadData(true);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(painted).toEqual([{ type: "sheetView", app: "spending", sheet: "overview" }]);
    // The same sheet again (a recovery): no news for the host, no second view.
    await view.loadView();
    expect(events).toHaveLength(1);
    expect(painted).toHaveLength(1);
  });

  it("uses the app that came with the session instead of asking, once", async () => {
    const { view, callsOf, app } = loader();
    expect(view.offerApp({ ...app, id: "other" })).toBe(false);
    expect(view.offerApp(app)).toBe(true);
    await view.loadLayout();
    expect(callsOf("app")).toHaveLength(0);
    await view.loadLayout();
    expect(callsOf("app")).toHaveLength(1);
  });

  it("says what is missing: the app (missing and unreadable alike), the sheet, the object", async () => {
    const missing = loader(
      {},
      fakeApi({ app: async () => Promise.reject(new FrameError("FORBIDDEN", "x", 403)) }),
    );
    await expect(missing.view.loadLayout()).rejects.toMatchObject({ code: "APP_NOT_FOUND" });
    await expect(loader({ sheet: "nope" }).view.loadLayout()).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(loader({ view: "object", object: "nope" }).view.loadLayout()).rejects.toMatchObject({
      code: "OBJECT_NOT_FOUND",
    });
    await expect(loader({ app: undefined }).view.loadLayout()).rejects.toMatchObject({
      code: "MISCONFIGURED",
    });
  });

  it("an object view shows that one object; the hub loads the hub and no data", async () => {
    const single = loader({ view: "object", object: "by-region" });
    expect(await single.view.loadLayout()).toBe(false);
    expect(single.view.objects.map((o) => o.id)).toEqual(["by-region"]);
    const hub = loader({ view: "hub", app: undefined });
    await hub.view.loadView();
    expect(hub.view.hub).toEqual({ streams: [] });
    expect(hub.refresh).not.toHaveBeenCalled();
    expect(hub.view.firstView({})).toEqual({});
  });

  it("names the first view for a new session, leaving out ids the server would refuse", () => {
    expect(loader({ sheet: "regions" }).view.firstView({ Year: [2024] })).toEqual({
      app: "spending",
      view: { sheet: "regions", selections: { Year: [2024] } },
    });
    expect(loader().view.firstView({})).toEqual({ app: "spending", view: { selections: {} } });
    expect(loader({ view: "object", object: "total" }).view.firstView({})).toEqual({
      app: "spending",
      view: { object: "total", selections: {} },
    });
    expect(loader({ view: "object", object: "x".repeat(300) }).view.firstView({})).toEqual({
      app: "spending",
    });
  });

  it("opens another sheet: tells the host and the server; a missing one is NOT_FOUND", async () => {
    const { view, events, beacons } = loader();
    await view.loadLayout();
    view.openSheet("regions");
    expect(events.at(-1)).toEqual({ type: "sheetChanged", sheet: "regions", title: "Regions" });
    expect(beacons).toEqual([{ type: "sheetView", app: "spending", sheet: "regions" }]);
    expect(view.getSheets()).toEqual([
      { id: "overview", title: "Overview" },
      { id: "regions", title: "Regions" },
    ]);
    expect(() => view.openSheet("nope")).toThrow(expect.objectContaining({ code: "NOT_FOUND" }));
  });
});

import type { FrameEvent } from "@portico/protocol";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeApi } from "../testing/fake-api.js";
import { FRAME_WAIT_MS, HostBridge } from "./host-bridge.js";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function bridge() {
  const api = fakeApi();
  const local = new EventTarget();
  const heard: FrameEvent[] = [];
  local.addEventListener("frame-event", (e) => heard.push((e as CustomEvent<FrameEvent>).detail));
  return { bridge: new HostBridge({ api: api.api, local }), heard, ...api };
}

describe("HostBridge", () => {
  it("sends events to the host and to local listeners; a host that fails does not break the frame", async () => {
    const { bridge: b, heard } = bridge();
    b.emit({ type: "sessionExpired" });
    const sent: FrameEvent[] = [];
    b.attach({ getTicket: async () => "t", emit: (e) => sent.push(e) });
    b.emit({ type: "sessionExpired" });
    expect(sent).toEqual([{ type: "sessionExpired" }]);
    expect(heard).toHaveLength(2);
    b.attach({
      getTicket: async () => "t",
      emit: () => {
        throw new Error("gone");
      },
    });
    expect(() => b.emit({ type: "sessionExpired" })).not.toThrow();
    b.attach({ getTicket: async () => "t", emit: () => Promise.reject(new Error("gone")) });
    b.emit({ type: "sessionExpired" });
    await vi.runAllTimersAsync();
    expect(heard).toHaveLength(4);
  });

  it("says ready once in the frame's life", () => {
    const { bridge: b, heard } = bridge();
    b.ready({ user: undefined, view: "sheet", app: "spending", sheet: undefined });
    b.ready({ user: undefined, view: "sheet", app: "spending", sheet: "overview" });
    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatchObject({
      type: "ready",
      view: "sheet",
      app: "spending",
      user: { userDirectory: "", userId: "", anonymous: true },
    });
    expect(heard[0]).not.toHaveProperty("sheet");
  });

  it("sends the sheet-view beacon after the data has painted, or after a while without frames", async () => {
    const { bridge: b, callsOf } = bridge();
    b.beaconAfterPaint({ type: "sheetView", app: "spending", sheet: "overview" });
    b.beaconAfterPaint(undefined);
    expect(callsOf("beacon")).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(FRAME_WAIT_MS);
    expect(callsOf("beacon").map((c) => c.args[0])).toEqual([
      { type: "sheetView", app: "spending", sheet: "overview" },
    ]);
    b.beacon(undefined);
    b.beacon({ type: "export", app: "spending", object: "detail" });
    expect(callsOf("beacon")).toHaveLength(2);
  });
});

import { describe, expect, it } from "vitest";
import { TypedEvents } from "./typed-events.js";

interface Events {
  started: { id: string };
  ended: { id: string; reason: string };
}

describe("TypedEvents", () => {
  it("calls subscribers in order, waits for each, and stops at the first failure", async () => {
    const events = new TypedEvents<Events>();
    const seen: string[] = [];
    events.on("started", async ({ id }) => {
      await new Promise((r) => setTimeout(r, 5));
      seen.push(`a:${id}`);
    });
    const off = events.on("started", ({ id }) => {
      seen.push(`b:${id}`);
    });
    events.on("ended", ({ reason }) => {
      throw new Error(reason);
    });
    await events.emit("started", { id: "1" });
    expect(seen).toEqual(["a:1", "b:1"]);
    off();
    await events.emit("started", { id: "2" });
    expect(seen).toEqual(["a:1", "b:1", "a:2"]);
    await expect(events.emit("ended", { id: "1", reason: "disk full" })).rejects.toThrow("disk full");
  });
});

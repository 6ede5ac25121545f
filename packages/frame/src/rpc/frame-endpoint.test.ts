import {
  type FrameEvent,
  type FrameMethods,
  LEGACY_TICKET_WAIT_MS,
  PROTOCOL_VERSION,
  RPC_CHANNEL,
  TICKET_HOP_MARGIN_MS,
} from "@portico/protocol";
import { connect, PortMessenger, type RemoteProxy } from "penpal";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { FrameController } from "../state/frame-controller.js";
import { createFrameEndpoint, type FrameEndpoint } from "./frame-endpoint.js";

const user = { userDirectory: "NONE", userId: "anonymous1", anonymous: true };
const ready: FrameEvent = { type: "ready", protocolVersion: "1.1", user, view: "sheet" };

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const fn of cleanup) fn();
  cleanup = [];
});

/** The endpoint over a `MessageChannel`, with a host that records what the frame emits. */
async function connected(timeoutMs = 2_000) {
  const setTicketTimeoutMs = vi.fn();
  const controller = { setTicketTimeoutMs } as unknown as FrameController;
  const channel = new MessageChannel();
  const emitted: unknown[] = [];
  const endpoint: FrameEndpoint = createFrameEndpoint({
    controller,
    parentOrigin: "https://host.example",
    parentWindow: undefined as unknown as Window,
    messenger: new PortMessenger({ port: channel.port1 }),
    timeoutMs,
    log: () => {},
  });
  const hostSide = connect<FrameMethods>({
    messenger: new PortMessenger({ port: channel.port2 }),
    channel: RPC_CHANNEL,
    methods: { getTicket: async () => "ticket", emit: (event: unknown) => void emitted.push(event) },
  });
  cleanup.push(() => {
    endpoint.destroy();
    hostSide.destroy();
    channel.port1.close();
    channel.port2.close();
  });
  const frame: RemoteProxy<FrameMethods> = await hostSide.promise;
  let hostKnown = false;
  void endpoint.host.then(() => {
    hostKnown = true;
  });
  return { frame, endpoint, emitted, setTicketTimeoutMs, hostKnown: () => hostKnown };
}

describe("hello", () => {
  it("a host of this major: the frame answers its version and methods, and waits its ticket timeout", async () => {
    const { frame, endpoint, emitted, setTicketTimeoutMs, hostKnown } = await connected();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The controller asks for no ticket before the host said how long it may take.
    expect(hostKnown()).toBe(false);
    const answer = await frame.hello(1, { protocolVersion: "1.1", ticketTimeoutMs: 30_000 });
    expect(answer).toMatchObject({ protocolVersion: PROTOCOL_VERSION, compatible: true });
    expect(answer.methods).toEqual(
      expect.arrayContaining(["hello", "authenticate", "getData", "exportData", "setLocale"]),
    );
    expect(setTicketTimeoutMs).toHaveBeenCalledWith(30_000 + TICKET_HOP_MARGIN_MS);
    const host = await endpoint.host;
    await host?.emit(ready);
    await vi.waitFor(() => expect(emitted).toEqual([ready]));
  });

  it("a newer minor of the same major is accepted", async () => {
    const { frame } = await connected();
    expect(await frame.hello(1, { protocolVersion: "1.9", ticketTimeoutMs: 500 })).toMatchObject({
      compatible: true,
    });
  });

  it("a 1.0 host (the integer 1, nothing else): the 1.0 answer and ready, and 1.0's ticket wait", async () => {
    const { frame, endpoint, emitted, setTicketTimeoutMs } = await connected();
    expect(await frame.hello(1)).toEqual({ protocolVersion: 1, compatible: true });
    expect(setTicketTimeoutMs).toHaveBeenCalledWith(LEGACY_TICKET_WAIT_MS);
    const host = await endpoint.host;
    await host?.emit(ready);
    await host?.emit({ type: "sessionExpired" });
    await vi.waitFor(() =>
      expect(emitted).toEqual([{ ...ready, protocolVersion: 1 }, { type: "sessionExpired" }]),
    );
  });

  it("refuses another major, and keeps its ticket wait", async () => {
    const { frame, setTicketTimeoutMs } = await connected();
    expect(await frame.hello(2, { protocolVersion: "2.0", ticketTimeoutMs: 500 })).toMatchObject({
      protocolVersion: PROTOCOL_VERSION,
      compatible: false,
    });
    expect(await frame.hello(2)).toEqual({ protocolVersion: 1, compatible: false });
    expect(setTicketTimeoutMs).not.toHaveBeenCalled();
  });

  it("refuses a malformed hello with BAD_REQUEST", async () => {
    const { frame, setTicketTimeoutMs } = await connected();
    const refused = (promise: Promise<unknown>) =>
      promise.then(
        () => "answered",
        (e: { code: string }) => e.code,
      );
    expect(await refused(frame.hello("1.1" as unknown as number))).toBe("BAD_REQUEST");
    expect(await refused(frame.hello(1, { protocolVersion: "1.1", ticketTimeoutMs: -1 }))).toBe(
      "BAD_REQUEST",
    );
    expect(
      await refused(frame.hello(1, { protocolVersion: "1.1", ticketTimeoutMs: 5, extra: 1 } as never)),
    ).toBe("BAD_REQUEST");
    expect(setTicketTimeoutMs).not.toHaveBeenCalled();
  });

  it("goes on with the defaults when a host never says hello", async () => {
    const { endpoint, setTicketTimeoutMs } = await connected(300);
    expect(await endpoint.host).toBeDefined();
    expect(setTicketTimeoutMs).not.toHaveBeenCalled();
  });
});

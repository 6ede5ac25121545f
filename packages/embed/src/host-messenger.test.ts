import type { Message } from "penpal";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hostMessenger } from "./host-messenger.js";

// Pure logic: the page's `message` events come from an EventTarget, the ports are Node's real
// MessageChannel. Real windows and origins are exercised in test/embed-sdk.test.ts ("untrusted messages").
const ORIGIN = "https://portico.example.com";
const base = { namespace: "penpal", channel: "portico" } as const;
const syn = { ...base, type: "SYN", participantId: "frame" } as Message;
const call = { ...base, type: "CALL", id: "1", methodPath: ["getTicket"], args: ["initial"] } as Message;
const isPenpal = (data: unknown): data is Message =>
  typeof data === "object" && data !== null && (data as { namespace?: unknown }).namespace === "penpal";

class FakeWindow {
  readonly posted: { message: unknown; targetOrigin: string; transfer: unknown[] }[] = [];
  postMessage(message: unknown, options: { targetOrigin: string; transfer: unknown[] }): void {
    this.posted.push({ message, ...options });
  }
}

let page: EventTarget;
const saved = { add: globalThis.addEventListener, remove: globalThis.removeEventListener };

beforeEach(() => {
  page = new EventTarget();
  globalThis.addEventListener = page.addEventListener.bind(page) as typeof addEventListener;
  globalThis.removeEventListener = page.removeEventListener.bind(page) as typeof removeEventListener;
});
afterEach(() => {
  globalThis.addEventListener = saved.add;
  globalThis.removeEventListener = saved.remove;
});

function post(source: unknown, origin: string, data: unknown, ports: MessagePort[] = []): void {
  page.dispatchEvent(Object.assign(new Event("message"), { source, origin, data, ports }));
}

function setUp() {
  const frame = new FakeWindow();
  const messenger = hostMessenger(frame as unknown as Window, ORIGIN);
  const received: Message[] = [];
  messenger.initialize({ validateReceivedMessage: isPenpal });
  messenger.addMessageHandler((message) => received.push(message));
  return { frame, messenger, received };
}

const nextMessage = (port: MessagePort) =>
  new Promise<unknown>((resolve) => port.addEventListener("message", (e) => resolve(e.data), { once: true }));

describe("hostMessenger", () => {
  it("takes messages only from the iframe's window at the server's exact origin", () => {
    const { frame, received } = setUp();
    post(new FakeWindow(), ORIGIN, syn); // another window on the page
    post(frame, "https://evil.example.com", syn); // the frame navigated elsewhere
    post(frame, "https://portico.example.com:8443", syn);
    post(frame, "null", syn);
    post(frame, ORIGIN, { hello: "not penpal" });
    expect(received).toEqual([]);
    post(frame, ORIGIN, syn);
    expect(received).toEqual([syn]);
  });

  it("does not speak first: no SYN before the frame's (the iframe may not have navigated yet)", () => {
    const { frame, messenger } = setUp();
    messenger.sendMessage({ ...base, type: "SYN", participantId: "host" } as Message);
    expect(frame.posted).toEqual([]);
  });

  it("addresses the handshake to the exact origin, never to *", () => {
    const { frame, messenger } = setUp();
    post(frame, ORIGIN, syn);
    messenger.sendMessage({ ...base, type: "SYN", participantId: "host" } as Message);
    messenger.sendMessage({ ...base, type: "ACK1", methodPaths: [] } as Message);
    expect(frame.posted.map((p) => p.targetOrigin)).toEqual([ORIGIN, ORIGIN]);
  });

  it("refuses to send a call before the handshake gave it a port", () => {
    const { messenger } = setUp();
    expect(() => messenger.sendMessage(call)).toThrow(
      expect.objectContaining({ code: "TRANSMISSION_FAILED" }),
    );
  });

  it("after sending ACK2, talks over the port it handed over (and checks what arrives there)", async () => {
    const { frame, messenger, received } = setUp();
    messenger.sendMessage({ ...base, type: "ACK2" } as Message);
    const [ack2] = frame.posted;
    expect(ack2?.targetOrigin).toBe(ORIGIN);
    const remote = ack2?.transfer[0] as MessagePort;
    remote.start();
    const arriving = nextMessage(remote);
    messenger.sendMessage(call);
    expect(await arriving).toEqual(call);
    remote.postMessage({ junk: true });
    remote.postMessage(call);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(received).toEqual([call]);
    messenger.destroy();
    remote.close();
  });

  it("after receiving ACK2 with a port, talks over that port; an ACK2 without one is ignored", async () => {
    const { frame, messenger, received } = setUp();
    post(frame, ORIGIN, { ...base, type: "ACK2" });
    expect(received).toEqual([]);
    const { port1, port2 } = new MessageChannel();
    post(frame, ORIGIN, { ...base, type: "ACK2" }, [port2]);
    expect(received).toHaveLength(1);
    port1.start();
    const arriving = nextMessage(port1);
    messenger.sendMessage(call);
    expect(await arriving).toEqual(call);
    // A new SYN (the frame reloaded) drops the old port.
    post(frame, ORIGIN, syn);
    expect(() => messenger.sendMessage(call)).toThrow();
    port1.close();
  });

  it("stops listening when destroyed", () => {
    const { frame, messenger, received } = setUp();
    messenger.destroy();
    post(frame, ORIGIN, syn);
    expect(received).toEqual([]);
  });
});

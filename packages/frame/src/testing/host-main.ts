import {
  type FrameEvent,
  type FrameMethods,
  type HostMethods,
  isFrameEvent,
  PROTOCOL_MAJOR,
  PROTOCOL_VERSION,
  RPC_CHANNEL,
  TICKET_TIMEOUT_MS,
  type TicketReason,
} from "@portico/protocol";
import { connect, type RemoteProxy, WindowMessenger } from "penpal";

/**
 * A minimal host page for the frame's browser tests (the real SDK is @portico/embed): it frames
 * `/{proxy}/embed`, speaks penpal with the frame's exact origin, hands over anonymous tickets and records
 * events. Query: `server`, `proxy`, `embed` (the embed query string), `ticket=fail:CODE` to refuse tickets.
 */
const query = new URLSearchParams(location.search);
const server = query.get("server") ?? "";
const proxy = query.get("proxy") ?? "anon";
const embedQuery = query.get("embed") ?? "app=spending&sheet=overview";
let ticketMode = query.get("ticket") ?? "anonymous";

const iframe = document.createElement("iframe");
iframe.title = "Portico";
iframe.style.width = "100%";
iframe.style.height = "300px";
iframe.style.border = "0";
iframe.src = `${server}/${proxy}/embed?${embedQuery}`;
document.body.append(iframe);

const events: FrameEvent[] = [];
const rejected: unknown[] = [];
const ticketReasons: TicketReason[] = [];

const methods: HostMethods = {
  async getTicket(reason) {
    ticketReasons.push(reason);
    if (ticketMode.startsWith("fail:"))
      throw { code: ticketMode.slice(5), message: "refused by the test host" };
    const response = await fetch(`${server}/${proxy}/api/v1/tickets/anonymous`, { method: "POST" });
    const body = (await response.json()) as { ticket?: string; error?: { code: string; message: string } };
    if (!body.ticket) throw body.error;
    return body.ticket;
  },
  emit(event) {
    if (!isFrameEvent(event)) {
      rejected.push(event);
      return;
    }
    events.push(event);
    if (event.type === "resize") iframe.style.height = `${event.height}px`;
  },
};

const connection = connect<FrameMethods>({
  messenger: new WindowMessenger({ remoteWindow: iframe.contentWindow as Window, allowedOrigins: [server] }),
  methods,
  channel: RPC_CHANNEL,
  timeout: 10_000,
});
// As the SDK does: the frame asks for no ticket before it knows the host's ticket timeout.
void connection.promise.then((frame) =>
  frame.hello(PROTOCOL_MAJOR, { protocolVersion: PROTOCOL_VERSION, ticketTimeoutMs: TICKET_TIMEOUT_MS }),
);

declare global {
  interface Window {
    hostTest: {
      events: FrameEvent[];
      rejected: unknown[];
      ticketReasons: TicketReason[];
      frame: Promise<RemoteProxy<FrameMethods>>;
      iframe: HTMLIFrameElement;
      /** `anonymous`, or `fail:CODE` to refuse further tickets with that code. */
      setTicketMode(mode: string): void;
    };
  }
}

window.hostTest = {
  events,
  rejected,
  ticketReasons,
  frame: connection.promise,
  iframe,
  setTicketMode: (mode) => {
    ticketMode = mode;
  },
};

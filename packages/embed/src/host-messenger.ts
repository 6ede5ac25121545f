import { type Message, type MessageHandler, type Messenger, PenpalError } from "penpal";

/**
 * penpal's `WindowMessenger` for the host side, reduced to what Portico needs (penpal's `connect` takes
 * any `Messenger`): one exact remote origin, no patterns or `"*"`, and penpal 7's protocol only
 * (`WindowMessenger` also translates penpal 6 messages, which no Portico frame speaks, and every page
 * would download that code for nothing).
 *
 * Like `WindowMessenger`, the handshake (SYN, ACK1, ACK2) goes through the window and everything after it
 * through a `MessageChannel` port handed over in ACK2; a new SYN (the frame reloaded) drops the old port.
 */
export function hostMessenger(remoteWindow: Window, remoteOrigin: string): Messenger {
  const handlers = new Set<MessageHandler>();
  let valid: (data: unknown) => boolean = () => false;
  let port: MessagePort | undefined;
  /** Whether the frame has spoken: its SYN proves it has loaded at the server's origin. */
  let heard = false;

  const deliver = (data: Message) => {
    for (const handler of handlers) handler(data);
  };
  /** A closed port delivers nothing more; setting `onmessage` starts the new one. */
  const usePort = (next?: MessagePort) => {
    port?.close();
    port = next;
    if (next)
      next.onmessage = ({ data }) => {
        if (valid(data)) deliver(data);
      };
  };
  const fromWindow = ({ source, origin, ports, data }: MessageEvent) => {
    // Only the iframe's own window, at the server's exact origin: another frame or window on the page, or
    // this frame navigated elsewhere, is ignored (it would otherwise be handed tickets).
    if (source !== remoteWindow || origin !== remoteOrigin || !valid(data)) return;
    if (data.type === "SYN") {
      heard = true;
      usePort();
    }
    if (data.type === "ACK2") {
      if (!ports[0]) return;
      usePort(ports[0]);
    }
    deliver(data);
  };

  return {
    initialize({ validateReceivedMessage }) {
      valid = validateReceivedMessage;
      addEventListener("message", fromWindow);
    },
    sendMessage(message, transfer = []) {
      // The host never speaks first. Until the frame has loaded, its window is still the host's own
      // about:blank, and a SYN addressed to the server's origin would only make the browser log a
      // target-origin warning. Nothing is lost: the frame sends SYN once it runs, and penpal answers
      // every SYN it receives with its own.
      if (message.type === "SYN" && !heard) return;
      if (message.type === "ACK2") {
        const { port1, port2 } = new MessageChannel();
        usePort(port1);
        transfer = [port2, ...transfer];
      }
      // The handshake is addressed to the exact origin too (penpal sends SYN to "*"): nothing leaves
      // for a frame that is not the server's.
      if (message.type === "SYN" || message.type.startsWith("ACK"))
        remoteWindow.postMessage(message, { targetOrigin: remoteOrigin, transfer });
      else if (port) port.postMessage(message, { transfer });
      else throw new PenpalError("TRANSMISSION_FAILED", "No MessagePort: the handshake is not complete");
    },
    addMessageHandler: (handler) => handlers.add(handler),
    removeMessageHandler: (handler) => handlers.delete(handler),
    destroy() {
      removeEventListener("message", fromWindow);
      usePort();
      handlers.clear();
    },
  };
}

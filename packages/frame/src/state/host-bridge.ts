import {
  type FrameEvent,
  PROTOCOL_VERSION,
  type SessionUser,
  type TicketReason,
  type ViewKind,
} from "@portico/protocol";
import type { ApiClient, VisitBeacon } from "../api/api-client.js";

/** The host side as the frame uses it: penpal's remote proxy of `HostMethods`. */
export type HostConnection = {
  getTicket(reason: TicketReason): Promise<unknown>;
  emit(event: FrameEvent): Promise<unknown> | unknown;
};

export interface HostBridgeOptions {
  api: Pick<ApiClient, "beacon">;
  /** Hears every event too (as `frame-event`): the page and the UI follow the frame's own events. */
  local: EventTarget;
}

/**
 * What the frame tells the world: events to the host page over the RPC (and to local listeners), and the
 * visit beacons to the server. Both are best effort: a host that went away or a lost beacon must never
 * disturb the visitor.
 */
export class HostBridge {
  readonly #api: Pick<ApiClient, "beacon">;
  readonly #local: EventTarget;
  #host: HostConnection | undefined;
  #readySent = false;

  constructor(options: HostBridgeOptions) {
    this.#api = options.api;
    this.#local = options.local;
  }

  /** The host page's methods, or `undefined` in a plain iframe or on Portico's own pages. */
  get host(): HostConnection | undefined {
    return this.#host;
  }

  attach(host: HostConnection | undefined): void {
    this.#host = host;
  }

  emit(event: FrameEvent): void {
    this.#local.dispatchEvent(new CustomEvent<FrameEvent>("frame-event", { detail: event }));
    if (!this.#host) return;
    try {
      const sent = this.#host.emit(event);
      if (sent instanceof Promise) sent.catch(() => undefined);
    } catch {
      // A host that went away must not break the frame.
    }
  }

  /** `ready`, once in the frame's life (a later reload of the view under a new session is no new start). */
  ready(view: {
    user: SessionUser | undefined;
    view: ViewKind;
    app?: string | undefined;
    sheet?: string | undefined;
    title?: string | undefined;
  }): void {
    if (this.#readySent) return;
    this.#readySent = true;
    const { user, app, sheet, title } = view;
    this.emit({
      type: "ready",
      protocolVersion: PROTOCOL_VERSION,
      user: user ?? { userDirectory: "", userId: "", anonymous: true },
      view: view.view,
      ...(app ? { app } : {}),
      ...(sheet ? { sheet } : {}),
      ...(title ? { title } : {}),
    });
  }

  /** Sends a visit beacon (none when the view has no app to report). */
  beacon(beacon: VisitBeacon | undefined): void {
    if (beacon) void this.#api.beacon(beacon);
  }

  /**
   * The sheet-view beacon of a load: after the data has painted, so its request neither competes with the
   * first chart's nor takes the main thread in the middle of the sheet's render.
   */
  beaconAfterPaint(beacon: VisitBeacon | undefined): void {
    if (beacon) afterNextFrame(() => void this.#api.beacon(beacon));
  }
}

/**
 * Longest wait for a frame before `afterNextFrame` runs its task anyway: a hidden tab or an iframe
 * scrolled out of view gets no animation frames, and a sheet view must still be reported.
 */
export const FRAME_WAIT_MS = 100;

/**
 * Runs `task` once, in a task of its own after the next frame has been rendered (the data just set is
 * then on screen), or after `FRAME_WAIT_MS` without a frame.
 */
export function afterNextFrame(task: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    task();
  };
  const timer = setTimeout(once, FRAME_WAIT_MS);
  if (typeof requestAnimationFrame !== "function") return;
  requestAnimationFrame(() =>
    setTimeout(() => {
      clearTimeout(timer);
      once();
    }, 0),
  );
}

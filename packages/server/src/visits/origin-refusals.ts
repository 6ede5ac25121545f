import type { VisitRequest, VisitTracker } from "./visit-tracker.js";

/** Distinct (proxy, origin) pairs remembered per minute; a flood of made-up origins beyond it is not logged. */
const ORIGINS_PER_MINUTE = 1000;
const MINUTE_MS = 60_000;
/** `scheme://host[:port]`, as browsers send the Origin header (`null` and anything else are not pages). */
const ORIGIN_RE = /^https?:\/\/[a-z0-9.-]{1,253}(:\d{1,5})?$|^https?:\/\/\[[0-9a-f:.]{2,45}\](:\d{1,5})?$/i;

/**
 * "Pages trying to embed you": a ticket request refused because its page's origin is not on the proxy's
 * allow list becomes an `originRefused` visit event, once per proxy, origin and minute on this node,
 * however many requests the page sends. The request is not held up by the write (it is refused anyway).
 */
export class OriginRefusals {
  private minute = -1;
  private readonly seen = new Set<string>();

  constructor(
    private readonly visits: Pick<VisitTracker, "record">,
    private readonly clock: () => number,
    private readonly onError: (error: unknown) => void,
  ) {}

  refused(proxy: string, origin: string, request: VisitRequest): void {
    const time = this.clock();
    const minute = Math.floor(time / MINUTE_MS);
    if (minute !== this.minute) {
      this.minute = minute;
      this.seen.clear();
    }
    // Only what a browser sends as an Origin (a made-up header is no page and is not logged).
    if (!ORIGIN_RE.test(origin)) return;
    const key = `${proxy}\n${origin}`;
    if (this.seen.has(key) || this.seen.size >= ORIGINS_PER_MINUTE) return;
    this.seen.add(key);
    this.visits
      .record({
        time,
        type: "originRefused",
        proxy,
        sessionId: null,
        userDirectory: "",
        userId: "",
        anonymous: true,
        ip: request.ip,
        userAgent: request.userAgent ?? null,
        origin,
        denialCode: "ORIGIN_NOT_ALLOWED",
      })
      .catch(this.onError);
  }
}

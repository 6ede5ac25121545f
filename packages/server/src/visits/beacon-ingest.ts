import { ErrorCode, type VisitBeacon } from "@portico/protocol";
import { AccessControl } from "../access/access-control.js";
import type { Requester, RequestSnapshot } from "../access/requester.js";
import { PorticoError } from "../errors/portico-error.js";
import { checkJsonBody } from "../http/read-json.js";
import { authenticateRequester } from "../http/require-requester.js";
import type { TokenBucket } from "../http/token-bucket.js";
import type { Metrics } from "../ops/metrics.js";
import type { SessionService } from "../sessions/session-service.js";
import type { SessionRecord } from "../storage/storage.js";
import { BeaconDecisions } from "./beacon-decisions.js";
import { parseBeacon } from "./beacon-schema.js";
import { eventClient } from "./event-client.js";
import type { VisitTracker } from "./visit-tracker.js";

export interface BeaconIngestOptions {
  tracker: VisitTracker;
  sessions: Pick<SessionService, "authenticate">;
  metrics?: Metrics | undefined;
  /** Beacons per session: a burst, then a sustained rate. Keyed by session id alone: beacons' own buckets. */
  bucket?: TokenBucket | undefined;
}

/**
 * `POST visits/beacon` once HTTP is read: the frame reports a sheet view or an export. Both fronts of the
 * route (the hono route and the Node listener) hand their request here, so a beacon is checked and
 * written by this code alone.
 */
export class BeaconIngest {
  private readonly decisions = new BeaconDecisions();

  constructor(private readonly o: BeaconIngestOptions) {}

  /**
   * The session (from `token`), then the rate limit, then the body (read through `body` only then, so a
   * refused request's body is never parsed; it must be sent as `contentType` application/json), then the
   * rules and the write. Resolves once the event is
   * committed; a refusal is thrown as a PorticoError.
   */
  async ingest(
    snapshot: RequestSnapshot,
    token: string | undefined,
    body: () => string | Promise<string>,
    contentType: string | undefined,
  ): Promise<void> {
    const requester = await authenticateRequester(this.o.sessions, snapshot, token);
    this.admit(requester.session);
    const read = body();
    const text = typeof read === "string" ? read : await read;
    // As every JSON body of the API: another type is what a cross-site form could send.
    checkJsonBody(contentType, text);
    await this.record(requester, parseBeacon(text));
  }

  /** Per session, not per IP: visitors behind one NAT share an address, and one session must not flood the log. */
  private admit(session: SessionRecord): void {
    const allowance = this.o.bucket?.take(session.id);
    if (allowance && !allowance.allowed)
      throw new PorticoError(ErrorCode.RATE_LIMITED, "Too many beacons; retry later", undefined, {
        "Retry-After": String(Math.max(1, Math.ceil(allowance.retryAfterMs / 1000))),
      });
  }

  /**
   * Only apps the session may read (decided like `GET apps/:id`), and sheets and objects that exist in
   * them AND that it may read, so the log cannot be filled with made-up names and a hidden sheet or object
   * answers exactly like a missing one (404 either way), so a beacon cannot confirm its id.
   */
  private async record(requester: Requester, beacon: VisitBeacon): Promise<void> {
    const scope = this.decisions.readable(
      requester,
      beacon.app,
      (state) => new AccessControl(state, this.o.metrics),
    );
    if (!scope) throw new PorticoError(ErrorCode.APP_NOT_FOUND, "App not found");
    const { app, sheets } = scope;
    const sheet = beacon.sheet === undefined ? undefined : sheets.find((s) => s.id === beacon.sheet);
    if (beacon.sheet !== undefined && !sheet)
      throw new PorticoError(ErrorCode.OBJECT_NOT_FOUND, "No such sheet in the app");
    if (
      beacon.object !== undefined &&
      !(sheet ? [sheet] : sheets).some((s) => s.objects.some((obj) => obj.id === beacon.object))
    )
      throw new PorticoError(ErrorCode.OBJECT_NOT_FOUND, "No such object in the app");
    const event = this.o.tracker.sessionEvent(requester.session, beacon.type, eventClient(requester));
    event.app = app.id;
    event.sheet = beacon.sheet ?? null;
    event.object = beacon.object ?? null;
    event.pageUrl = beacon.pageUrl ?? null;
    await this.o.tracker.record(event);
  }
}

import type { RuleUser } from "@portico/rules";
import type { ConfigState } from "../config/config-state.js";
import type { VirtualProxyConfig } from "../config/schema.js";
import type { SessionRecord } from "../storage/storage.js";
import { buildRuleUser } from "./rule-user.js";

/** What one request tells about where it comes from, read from HTTP once. */
export interface RequestSnapshot {
  proxy: VirtualProxyConfig;
  /** The configuration current when the request arrived: every decision for the request uses this one. */
  state: ConfigState;
  /** The client IP as `clientIp()` resolved it (trusted proxies honoured). */
  ip: string;
  userAgent: string | undefined;
  /** Reached us over TLS (`isSecureRequest`). */
  secure: boolean;
}

/**
 * Who asks: a live session with its request, as plain values. Services below the routes take this, never
 * an HTTP context, so the first view of a new session asks them exactly as a later request does.
 */
export interface Requester extends RequestSnapshot {
  session: SessionRecord;
  /** The session's user as hub-context rules see it (built on first use: beacons mostly need no rule). */
  readonly user: RuleUser;
}

/** The requester for `session` making the request `snapshot`. */
export function requesterOf(snapshot: RequestSnapshot, session: SessionRecord): Requester {
  let user: RuleUser | undefined;
  return {
    ...snapshot,
    session,
    get user() {
      user ??= buildRuleUser(session, snapshot.state, {
        ip: snapshot.ip,
        userAgent: snapshot.userAgent,
        secure: snapshot.secure,
        context: "hub",
      });
      return user;
    },
  };
}

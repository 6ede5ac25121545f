import type { AccessControl } from "../access/access-control.js";
import type { Requester } from "../access/requester.js";
import type { ConfigState } from "../config/config-state.js";
import type { AppConfig } from "../config/schema.js";

/** An app a beacon may report on, with the sheets the session may read in it. */
export interface BeaconScope {
  app: AppConfig;
  sheets: readonly AppConfig["sheets"][number][];
}

/** One rule decision for a beacon: its scope (undefined: app not readable) for this request environment. */
interface Decision {
  appId: string;
  ip: string;
  secure: boolean;
  userAgent: string | undefined;
  scope: BeaconScope | undefined;
}

/**
 * Decisions held per configuration, over all sessions; the cache starts over past this. Each session
 * beaconing holds one or a few (about 0.4 KB each with its user agent), so this bounds the cache to tens
 * of megabytes while a busy server's returning sessions still find theirs.
 */
const DECISION_CACHE_LIMIT = 50_000;

/**
 * Beacon rule decisions: whether a session may read the app it reports on, and which of its sheets (the
 * `App.Object` read rule, as for `GET apps/:id`). A visitor's frame sends many
 * beacons for the same app, and the decision depends only on the identity, the request environment (IP,
 * user agent, TLS) and the configuration, so it is kept under exactly those; a configuration change starts
 * a new cache, and an ended session never gets here. Looked up by session id, then by comparing the other
 * inputs, so a hit builds no key string.
 */
export class BeaconDecisions {
  private readonly byConfig = new WeakMap<ConfigState, DecisionTable>();

  /** The app and its readable sheets when `requester` may read it, as `access` decides. */
  readable(
    requester: Requester,
    appId: string,
    access: (state: ConfigState) => AccessControl,
  ): BeaconScope | undefined {
    let table = this.byConfig.get(requester.state);
    if (!table) {
      table = new DecisionTable();
      this.byConfig.set(requester.state, table);
    }
    const known = table.find(requester, appId);
    if (known) return known.scope;
    const rules = access(requester.state);
    const app = rules.readableApp(requester.user, appId);
    const scope = app && { app, sheets: rules.readableSheets(requester.user, app) };
    const { ip, userAgent, secure } = requester;
    table.add(requester.session.id, { appId, ip, secure, userAgent, scope });
    return scope;
  }
}

/** One configuration's decisions, by session id. */
class DecisionTable {
  private readonly bySession = new Map<string, Decision[]>();
  private size = 0;

  find(requester: Requester, appId: string): Decision | undefined {
    const list = this.bySession.get(requester.session.id);
    if (list === undefined) return undefined;
    const { ip, userAgent, secure } = requester;
    for (const d of list)
      if (d.appId === appId && d.ip === ip && d.secure === secure && d.userAgent === userAgent) return d;
    return undefined;
  }

  add(sessionId: string, decision: Decision): void {
    if (this.size >= DECISION_CACHE_LIMIT) {
      this.bySession.clear();
      this.size = 0;
    }
    let list = this.bySession.get(sessionId);
    if (list === undefined) {
      list = [];
      this.bySession.set(sessionId, list);
    }
    list.push(decision);
    this.size++;
  }
}

import type { FrameEvent, Selections } from "@portico/protocol";
import type { ApiClient } from "../api/api-client.js";
import type { FrameError } from "../errors/frame-error.js";
import type { SessionStore } from "../session/session-store.js";
import { HostBridge } from "./host-bridge.js";
import { OutageWatcher } from "./outage-watcher.js";
import { QueryScheduler } from "./query-scheduler.js";
import { SelectionGuard } from "./selection-guard.js";
import { SessionKeeper, type SessionKeeperOptions } from "./session-keeper.js";
import { ViewLoader, type ViewLoaderOptions } from "./view-loader.js";

export interface FramePartsOptions
  extends Pick<ViewLoaderOptions, "view" | "app" | "sheet" | "object">,
    Pick<SessionKeeperOptions, "anonymousAccess" | "hostOrigin" | "inactivityTimeoutMs"> {
  api: ApiClient;
  session: SessionStore;
  /** The page's initial selections. */
  selections?: Selections;
}

/** What the parts tell the frame's model (the controller), which tells the UI and the host. */
export interface FrameHooks {
  /** Where the host's events are dispatched locally too (`frame-event`). */
  local: EventTarget;
  /** The state changed. */
  changed: () => void;
  emit: (event: FrameEvent) => void;
  /** A data load ended (`failed`: the first failure among its objects). */
  loaded: (failed: FrameError | undefined) => void;
  /** The session could not be kept: the error screen. */
  fail: (error: FrameError) => void;
  /** The page's session request is out (the page evaluates its UI while the server answers). */
  sessionRequested: () => void;
  /** Whether the frame shows its error screen (after an outage, the whole start runs again). */
  failed: () => boolean;
  retry: () => Promise<void>;
}

/** The frame's parts, each with its own concern; `FrameController` is the one facade over them. */
export interface FrameParts {
  bridge: HostBridge;
  view: ViewLoader;
  queries: QueryScheduler;
  keeper: SessionKeeper;
  guard: SelectionGuard;
  outage: OutageWatcher;
}

/** Makes the parts and wires them to each other and to `hooks`. */
export function createFrameParts(options: FramePartsOptions, hooks: FrameHooks): FrameParts {
  const { api, selections, hostOrigin, inactivityTimeoutMs } = options;
  const bridge = new HostBridge({ api, local: hooks.local });
  const onChange = () => hooks.changed();
  // Every request of a part runs under the session: a lapsed one is recovered and the request retried.
  const run = <T>(fn: () => Promise<T>): Promise<T> => keeper.run(fn);
  const view: ViewLoader = new ViewLoader({
    ...{ api, bridge, onChange, refresh: () => queries.refresh() },
    ...{ view: options.view, app: options.app, sheet: options.sheet, object: options.object },
  });
  const queries: QueryScheduler = new QueryScheduler({
    ...{ api, view, run, onChange, onLoaded: hooks.loaded, selections },
    onSelections: (next) => {
      hooks.changed();
      hooks.emit({ type: "selectionsChanged", selections: next });
    },
  });
  const keeper: SessionKeeper = new SessionKeeper({
    ...{ api, bridge, onChange, store: options.session, anonymousAccess: options.anonymousAccess },
    firstView: () => view.firstView(queries.selections),
    // The app and the first view's results of a new session's answer are used instead of asking again.
    onSession: ({ app, results }) => queries.usePrefetched(view.offerApp(app) ? (results ?? []) : []),
    onSessionRequest: hooks.sessionRequested,
    restore: async () => {
      await view.loadView();
      const sheetId = view.sheetId;
      return { ...(sheetId ? { sheet: sheetId } : {}), selections: queries.selections };
    },
    ...{ fail: hooks.fail, hostOrigin, inactivityTimeoutMs },
  });
  const guard = new SelectionGuard({ app: () => view.app, queries, run, emit: hooks.emit });
  const outage = new OutageWatcher({
    probe: () => api.ping(),
    // After a failed start the whole start again; otherwise the view's data under the same selections.
    recover: () => (hooks.failed() ? hooks.retry() : run(() => queries.refresh())),
    onChange,
    // With a host page, the episode's one `error` event is the developer's line (the SDK logs it).
    log: (message) => {
      if (!bridge.host) console.warn(`[portico frame] ${message}`);
    },
  });
  return { bridge, view, queries, keeper, guard, outage };
}

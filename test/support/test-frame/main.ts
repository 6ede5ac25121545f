// A small but real frame for SDK end-to-end tests (built by build-bundles.ts, served by the real server
// at /{P}/embed through its `frameFiles` seam). It speaks the RPC contract against the real HTTP API:
// redeems tickets with its host's origin, mints join tickets, recovers an expired session with a ticket
// from the host. `<html data-variant>` makes it an older frame: "v0" has no `hello`, "v2" refuses v1;
// "hostile" is a current frame that sends malformed events after `ready`, then a valid sentinel.
// It shows its state as JSON in #state, so tests can read what the frame believes.
import {
  decodeSelectionsParam,
  type FrameEvent,
  type HostMethods,
  isErrorCode,
  PROTOCOL_VERSION,
  RPC_CHANNEL,
  type Selections,
  type SessionResponse,
  type SessionUser,
} from "@portico/protocol";
import { connect, type RemoteProxy, WindowMessenger } from "penpal";

const params = new URLSearchParams(location.search);
const variant = document.documentElement.dataset.variant ?? "v1";
const prefix = location.pathname.split("/").filter(Boolean).slice(0, -1).join("/");
const api = `${prefix ? `/${prefix}` : ""}/api/v1`;
const parentOrigin = location.ancestorOrigins?.[0] ?? params.get("origin") ?? "";

const state = {
  user: undefined as SessionUser | undefined,
  sheet: params.get("sheet") ?? undefined,
  selections: decodeSelectionsParam(params.get("selections")) ?? ({} as Selections),
  theme: params.get("theme") ?? "light",
  locale: params.get("locale") ?? "en",
  tokens: undefined as Record<string, string> | undefined,
  error: undefined as { code: string; message: string } | undefined,
  sessions: 0,
};
let token: string | undefined;
let host: RemoteProxy<HostMethods> | undefined;

function render(): void {
  const el = document.getElementById("state");
  if (el) el.textContent = JSON.stringify(state);
}

function emit(event: FrameEvent): void {
  void host?.emit(event);
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${api}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const parsed = (await response.json().catch(() => undefined)) as
    | { error?: { code?: unknown; message?: unknown } }
    | undefined;
  if (!response.ok) {
    const code = isErrorCode(parsed?.error?.code) ? parsed.error.code : "INTERNAL";
    throw { code, message: String(parsed?.error?.message ?? response.status) };
  }
  return parsed as T;
}

async function redeem(ticket: string): Promise<SessionUser> {
  const session = await call<SessionResponse>("POST", "/sessions", { ticket, origin: parentOrigin });
  token = session.sessionToken;
  state.user = session.user;
  state.sessions += 1;
  render();
  return session.user;
}

/** A request that needs the session; a lapsed one is renewed with a ticket from the host, then retried. */
async function withSession<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== "SESSION_EXPIRED" && code !== "UNAUTHENTICATED" && code !== "SESSION_REVOKED") throw error;
    emit({ type: "sessionExpired" });
    token = undefined;
    await redeem(await (host as RemoteProxy<HostMethods>).getTicket("expired"));
    await call("GET", `/apps/${encodeURIComponent(params.get("app") ?? "")}`);
    emit({
      type: "sessionRecovered",
      selections: state.selections,
      ...(state.sheet ? { sheet: state.sheet } : {}),
    });
    return fn();
  }
}

const touch = () => call("GET", "/hub");

async function applySelections(next: Selections): Promise<Selections> {
  await withSession(touch);
  state.selections = next;
  render();
  emit({ type: "selectionsChanged", selections: next });
  return next;
}

const methods: Record<string, (...args: never[]) => unknown> = {
  authenticate: (ticket: string) => redeem(ticket),
  createJoinTicket: async () =>
    (await call<{ ticket: string }>("POST", "/sessions/join-ticket", { origin: parentOrigin })).ticket,
  getSheets: async () => [
    { id: "overview", title: "Overview" },
    { id: "details", title: "Details" },
  ],
  openSheet: async (sheet: string) => {
    await withSession(touch);
    state.sheet = sheet;
    render();
    emit({ type: "sheetChanged", sheet, title: sheet });
  },
  select: (field: string, values: Array<string | number>) => {
    const next = { ...state.selections };
    if (values.length === 0) delete next[field];
    else next[field] = values;
    return applySelections(next);
  },
  clearSelections: (field?: string) => {
    const next = { ...state.selections };
    if (field === undefined) return applySelections({});
    delete next[field];
    return applySelections(next);
  },
  getSelections: async () => state.selections,
  setTheme: async (theme: string | { base: string; tokens?: Record<string, string> }) => {
    state.theme = typeof theme === "string" ? theme : theme.base;
    state.tokens = typeof theme === "string" ? undefined : theme.tokens;
    render();
  },
  setLocale: async (locale: string) => {
    state.locale = locale;
    render();
  },
};
if (variant === "v1" || variant === "hostile")
  methods.hello = (version: number) => ({
    protocolVersion: PROTOCOL_VERSION,
    compatible: version === PROTOCOL_VERSION,
  });
if (variant === "v2") methods.hello = () => ({ protocolVersion: 2, compatible: false });

/** What a visitor would do inside the frame: tests call it with `frame.evaluate`. */
(globalThis as { testFrame?: unknown }).testFrame = { select: methods.select, state };

const connection = connect<HostMethods>({
  messenger: new WindowMessenger({ remoteWindow: window.parent, allowedOrigins: [parentOrigin] }),
  channel: RPC_CHANNEL,
  methods: methods as never,
});

render();
host = await connection.promise;
try {
  await redeem(await host.getTicket("initial"));
  await call("GET", `/apps/${encodeURIComponent(params.get("app") ?? "")}`);
  emit({
    type: "ready",
    protocolVersion: PROTOCOL_VERSION,
    user: state.user as SessionUser,
    view: "sheet",
    ...(params.get("app") ? { app: params.get("app") as string } : {}),
    ...(state.sheet ? { sheet: state.sheet } : {}),
  });
  if (variant === "hostile") {
    const junk: unknown[] = [
      // A code has to be well-formed (the SDK lets a newer frame's unknown codes through): this one is not.
      { type: "error", code: "not a code", message: "forged" },
      { type: "error", code: "NO_ACCESS_PASS" },
      {
        type: "ready",
        protocolVersion: 1,
        user: { userDirectory: "X", userId: "y", anonymous: false, admin: true },
        view: "sheet",
      },
      JSON.parse('{"type":"selectionsChanged","selections":{"__proto__":["x"]}}'),
      { type: "selectionsChanged", selections: { Region: [{ toString: "x" }] } },
      { type: "resize", width: 10, height: -5 },
      { type: "sessionExpiring", expiresAt: "not a date" },
      { type: "sessionExpired", extra: true },
      { type: "evil" },
      "not an object",
    ];
    for (const event of junk) void host.emit(event as FrameEvent);
    emit({ type: "sheetChanged", sheet: "sentinel", title: "after the junk" });
  }
} catch (error) {
  const failure = error as { code?: string; message?: string };
  state.error = {
    code: isErrorCode(failure.code) ? failure.code : "INTERNAL",
    message: failure.message ?? "failed",
  };
  render();
  emit({ type: "error", code: state.error.code as never, message: state.error.message });
}

// A small but real frame for SDK end-to-end tests (built by build-bundles.ts, served by the real server
// at /{P}/embed through its `frameFiles` seam). It speaks the RPC contract against the real HTTP API:
// redeems tickets with its host's origin, mints join tickets, recovers an expired session with a ticket
// from the host. `<html data-variant>` makes it another version: "v1.0" is a frame of protocol 1.0 (it
// reads only an integer major, answers and sends `ready` with the integer 1, waits a fixed time for tickets),
// "v1.2" one of a newer minor (with a method this SDK does not know), "v0" one without `hello`, "v2" one of
// another major; "hostile" is a current frame that sends malformed events after `ready`, then a valid
// sentinel. It shows its state as JSON in #state, so tests can read what the frame believes.
import {
  answerHello,
  decodeSelectionsParam,
  type FrameEvent,
  frameTicketWaitMs,
  type HelloRequest,
  HOST_HANDSHAKE_TIMEOUT_MS,
  type HostMethods,
  isErrorCode,
  LEGACY_TICKET_WAIT_MS,
  PROTOCOL_MAJOR,
  PROTOCOL_VERSION,
  type ProtocolVersion,
  protocolMajor,
  RPC_CHANNEL,
  type Selections,
  type SessionResponse,
  type SessionUser,
  type TicketReason,
  withTimeout,
} from "@portico/protocol";
import { connect, type RemoteProxy, WindowMessenger } from "penpal";

const params = new URLSearchParams(location.search);
const variant = document.documentElement.dataset.variant ?? "current";
const legacy = variant === "v1.0";
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
  /** How long the frame waits for the host's `getTicket()`, as `hello` told it. */
  ticketWaitMs: LEGACY_TICKET_WAIT_MS,
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
    await redeem(await ticket("expired"));
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

/** A ticket from the host, waited for as long as its `hello` said (as long as 1.0 frames did without). */
function ticket(reason: TicketReason): Promise<string> {
  return withTimeout((host as RemoteProxy<HostMethods>).getTicket(reason), state.ticketWaitMs, () =>
    Object.assign(new Error("The host page did not provide a ticket in time"), { code: "TICKET_TIMEOUT" }),
  );
}

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
let helloSaid = () => {};
const said = new Promise<void>((resolve) => {
  helloSaid = resolve;
});
/** The version the frame gives in `ready`. */
let readyVersion: ProtocolVersion | number = PROTOCOL_VERSION;
if (variant === "current" || variant === "hostile")
  methods.hello = (major: number, request?: HelloRequest) => {
    const answer = answerHello(major, request, Object.keys(methods));
    if (answer.compatible) state.ticketWaitMs = frameTicketWaitMs(request?.ticketTimeoutMs);
    if (!request) readyVersion = PROTOCOL_MAJOR;
    render();
    helloSaid();
    return answer;
  };
if (variant === "v1.0") {
  readyVersion = 1;
  methods.hello = (version: number) => {
    if (!Number.isInteger(version)) throw { code: "BAD_REQUEST", message: "Malformed arguments for hello" };
    return { protocolVersion: 1, compatible: version === 1 };
  };
}
if (variant === "v1.2") {
  readyVersion = "1.2";
  methods.rateView = async () => undefined;
  methods.hello = (major: number, request?: HelloRequest) => {
    const compatible = protocolMajor(request?.protocolVersion ?? major) === 1;
    if (compatible) state.ticketWaitMs = frameTicketWaitMs(request?.ticketTimeoutMs);
    render();
    helloSaid();
    return { protocolVersion: "1.2", compatible, methods: Object.keys(methods) };
  };
}
if (variant === "v2") methods.hello = () => ({ protocolVersion: "2.0", compatible: false });

/** What a visitor would do inside the frame: tests call it with `frame.evaluate`. */
(globalThis as { testFrame?: unknown }).testFrame = { select: methods.select, state };

const connection = connect<HostMethods>({
  messenger: new WindowMessenger({ remoteWindow: window.parent, allowedOrigins: [parentOrigin] }),
  channel: RPC_CHANNEL,
  methods: methods as never,
});

render();
host = await connection.promise;
// Like the real frame, a frame of 1.1 or later learns the host's ticket timeout before it asks for a ticket.
if (!legacy)
  await Promise.race([said, new Promise((resolve) => setTimeout(resolve, HOST_HANDSHAKE_TIMEOUT_MS))]);
try {
  await redeem(await ticket("initial"));
  await call("GET", `/apps/${encodeURIComponent(params.get("app") ?? "")}`);
  emit({
    type: "ready",
    protocolVersion: readyVersion,
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

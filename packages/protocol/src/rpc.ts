/**
 * The postMessage RPC contract between the host page (the `@portico/embed` SDK) and the frame
 * (`@portico/frame`, inside the iframe). Transport is penpal 7 (`connect` + `WindowMessenger`, each side
 * pinning the other's exact origin). Everything that crosses this boundary is untrusted on arrival: the
 * SDK checks events with `isFrameEvent`, the frame checks arguments with the guards below.
 *
 * Sequence: the SDK creates `/{P}/embed?...` (never with a ticket in the URL), both sides `connect()`,
 * the SDK calls `hello(PROTOCOL_MAJOR, {protocolVersion, ticketTimeoutMs})` and refuses a frame whose
 * answer is not `compatible` (`PROTOCOL_MISMATCH`). The frame then asks `getTicket("initial")` unless it
 * already holds a session, and emits `ready` once the session exists and the view is loaded. A frame
 * method that fails rejects with a plain `RpcFailure` object (not an `Error`), so the `code` survives the
 * structured clone.
 */
import type { QueryResult, Selections, SelectionValue } from "./data.js";
import { type ErrorCode, isErrorCodeLike } from "./error-codes.js";
import type { SessionUser } from "./session.js";
import { MAX_TIMEOUT_MS } from "./timeouts.js";

/** Bumped on any change an older peer cannot ignore: a peer of another major is refused. */
export const PROTOCOL_MAJOR = 1;

/**
 * This contract's version, `major.minor`. A minor only adds what an older peer of the same major does
 * without: a frame method (the frame lists its methods in its `hello` answer, and the SDK checks the list
 * before it calls one) or an event (sent only to a host whose version names it). Shapes that exist stay
 * as they are within a major, `hello`'s too: every guard refuses keys it does not know, and `hello` is read
 * before either side knows the other's version. So any two minors of one major work together, and another
 * major fails with `PROTOCOL_MISMATCH`. Peers from before minors existed send the integer `1`, read as "1.0".
 */
export const PROTOCOL_VERSION = `${PROTOCOL_MAJOR}.3` as const;

/** A protocol version on the wire: `"major.minor"`. */
export type ProtocolVersion = `${number}.${number}`;

/** The penpal channel name both sides pass to `connect()`, so other penpal users on the page never cross. */
export const RPC_CHANNEL = "portico";

export const THEME_NAMES = ["light", "dark"] as const;
export type ThemeName = (typeof THEME_NAMES)[number];

/**
 * A theme: a base name, optionally with CSS custom property overrides (`--portico-*` only), since the
 * host's own CSS cannot cascade into the iframe.
 */
export type Theme = ThemeName | { base: ThemeName; tokens?: Record<string, string> };

/** Options of the modelled hub's single-object integration (`opt=` in the embed URL, comma-separated). */
export const FRAME_OPTIONS = ["noselections", "nointeraction", "currsel", "ctxmenu"] as const;
export type FrameOption = (typeof FRAME_OPTIONS)[number];

export const VIEW_KINDS = ["sheet", "object", "hub"] as const;
export type ViewKind = (typeof VIEW_KINDS)[number];

/**
 * Query parameters of `/{P}/embed`. `selections` is `encodeSelectionsParam(...)`; `origin` is the host
 * page's origin as a hint for browsers without `location.ancestorOrigins` (it is only accepted when it is
 * on the proxy's host allow list, and penpal then only talks to that exact origin).
 */
export interface EmbedUrlParams {
  app?: string;
  sheet?: string;
  object?: string;
  view?: ViewKind;
  theme?: ThemeName;
  locale?: string;
  opt?: FrameOption[];
  selections?: Selections;
  origin?: string;
}

/** Why the frame asks the host for a ticket. */
export type TicketReason = "initial" | "expired";

/** What a host of protocol 1.1 or later tells the frame in `hello`, besides its major. */
export interface HelloRequest {
  protocolVersion: ProtocolVersion;
  /** The host's `getTicket()` timeout (the SDK's `timeouts.ticketMs`): the frame waits that long, plus a margin. */
  ticketTimeoutMs: number;
}

/** Answer to `hello`: the frame's protocol version and whether it accepts the host's. */
export interface HelloResponse {
  /**
   * The frame's version. A 1.0 host (it sends no `HelloRequest`) gets the integer major, the only form its
   * guard accepts; a 1.0 frame sends that integer to every host.
   */
  protocolVersion: ProtocolVersion | number;
  compatible: boolean;
  /** The frame's methods (frames of 1.1 and later): one not listed is not there. A 1.0 frame has all of 1.0's. */
  methods?: string[];
}

/** A sheet as the host sees it (`getSheets()`). */
export interface SheetSummary {
  id: string;
  title: string;
  description?: string;
}

/** `exportData(objectId, "csv")`: the file content; the host decides how to offer it. */
export interface ExportResult {
  filename: string;
  mimeType: string;
  content: string;
}

/** The rejection value of every failing frame method. */
export interface RpcFailure {
  code: ErrorCode;
  message: string;
}

/**
 * Methods the frame exposes to the host. A type alias rather than an interface so it satisfies penpal's
 * index-signature `Methods` constraint: `connect<FrameMethods>(...)`.
 */
export type FrameMethods = {
  /**
   * Version negotiation; call it first. `hostMajor` is all a 1.0 frame reads (it refuses anything but an
   * integer there), so a host's full version travels in `request`.
   */
  hello(hostMajor: number, request?: HelloRequest): Promise<HelloResponse>;
  /** Redeems a ticket and replaces the current session (identified user, join ticket, or a new anonymous one). */
  authenticate(ticket: string): Promise<SessionUser>;
  /** A one-time join ticket for a sibling embed on the same page, so both share this session. */
  createJoinTicket(): Promise<string>;
  getSheets(): Promise<SheetSummary[]>;
  openSheet(sheetId: string): Promise<void>;
  /** Replaces the field's selection with `values` (empty clears it); resolves with all selections. */
  select(field: string, values: SelectionValue[]): Promise<Selections>;
  clearSelections(field?: string): Promise<Selections>;
  getSelections(): Promise<Selections>;
  getData(objectId: string): Promise<QueryResult>;
  exportData(objectId: string, format: "csv"): Promise<ExportResult>;
  setTheme(theme: Theme): Promise<void>;
  setLocale(locale: string): Promise<void>;
};

/** Methods the host exposes to the frame (`connect<HostMethods>(...)` on the frame side). */
export type HostMethods = {
  /** A fresh one-time ticket (anonymous, identified or join). */
  getTicket(reason: TicketReason): Promise<string>;
  /** Fire-and-forget event delivery; the host validates with `isFrameEvent`. */
  emit(event: FrameEvent): void;
};

export type FrameEvent =
  | {
      type: "ready";
      /** The frame's version (a 1.0 frame, and a newer frame talking to a 1.0 host, send the integer major). */
      protocolVersion: ProtocolVersion | number;
      user: SessionUser;
      view: ViewKind;
      app?: string;
      sheet?: string;
      /**
       * (1.3) What the view shows, in words: the object's title, the app's name, or the hub's. The SDK names
       * its iframe with it for assistive technology when the page gave no name of its own.
       */
      title?: string;
    }
  /** Every object of the current view has painted. */
  | { type: "rendered"; sheet?: string; objects: number }
  | { type: "selectionsChanged"; selections: Selections }
  | { type: "sheetChanged"; sheet: string; title: string }
  /** Content size in CSS pixels, debounced; only sent when it changed. */
  | { type: "resize"; width: number; height: number }
  /**
   * Something failed (`level` absent or `error`), or (`warning`, protocol 1.2) the frame dropped part of
   * what the host asked for and goes on without it: a selection on a field the app does not have, values
   * a field does not hold. `field` names the field concerned (1.2).
   */
  | { type: "error"; code: ErrorCode; message: string; level?: ErrorLevel; field?: string }
  /** The session ends at `expiresAt` (ISO 8601) unless the visitor interacts. */
  | { type: "sessionExpiring"; expiresAt: string }
  | { type: "sessionExpired" }
  /** A new session restored the same view and selections. */
  | { type: "sessionRecovered"; sheet?: string; selections: Selections }
  /**
   * The visitor switched identity inside the frame (its "Log in" form): the frame now holds `user`'s
   * session, and the SDK moves the page's other embeds to it with join tickets (one session per page).
   */
  | { type: "sessionChanged"; user: SessionUser };

/** How bad an `error` event is: `warning` means the view goes on, without what was dropped. */
export type ErrorLevel = "error" | "warning";

export type FrameEventType = FrameEvent["type"];
export type FrameEventOf<T extends FrameEventType> = Extract<FrameEvent, { type: T }>;

export const FRAME_EVENT_TYPES = [
  "ready",
  "rendered",
  "selectionsChanged",
  "sheetChanged",
  "resize",
  "error",
  "sessionExpiring",
  "sessionExpired",
  "sessionRecovered",
  "sessionChanged",
] as const satisfies readonly FrameEventType[];

// ---- guards: every field is checked, nothing is trusted because of its `type` alone ----

type Obj = Record<string, unknown>;
type Guard = (value: unknown) => boolean;
/** Every key an object may carry, with its guard (an absent key is checked as `undefined`). */
type Shape = Record<string, Guard>;

function isObject(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const isString = (value: unknown): value is string => typeof value === "string";
const isOptionalString = (value: unknown) => value === undefined || isString(value);
const isBoolean = (value: unknown) => typeof value === "boolean";
const isSize = (value: unknown) => Number.isFinite(value) && (value as number) >= 0;
const isCount = (value: unknown) => Number.isInteger(value) && (value as number) >= 0;

/**
 * `value` is an object with only the shape's keys, each passing its guard. Only listed keys may be present,
 * so a guard never passes an object carrying surprises; one table per shape keeps the checks in one place.
 */
function hasShape(value: unknown, shape: Shape): value is Obj {
  return (
    isObject(value) &&
    Object.keys(value).every((key) => Object.hasOwn(shape, key)) &&
    Object.entries(shape).every(([key, guard]) => guard(value[key]))
  );
}

export function isSelectionValue(value: unknown): value is SelectionValue {
  return isString(value) || Number.isFinite(value);
}

/** Selections: field name -> list of values. */
export function isSelections(value: unknown): value is Selections {
  // `__proto__` as a field name (JSON.parse makes it an own key) must never reach an object spread later.
  return (
    isObject(value) &&
    Object.entries(value).every(
      ([field, values]) =>
        field !== "" && field !== "__proto__" && Array.isArray(values) && values.every(isSelectionValue),
    )
  );
}

const SESSION_USER: Shape = {
  userDirectory: isString,
  userId: isString,
  name: isOptionalString,
  anonymous: isBoolean,
};

export function isSessionUser(value: unknown): value is SessionUser {
  return hasShape(value, SESSION_USER);
}

export function isThemeName(value: unknown): value is ThemeName {
  return (THEME_NAMES as readonly unknown[]).includes(value);
}

/** Theme token names and values: custom properties only, values without characters that end a declaration. */
const TOKEN_NAME = /^--portico-[a-z0-9-]{1,64}$/;
const TOKEN_VALUE = /^[^;{}<>\\]{0,200}$/;

const THEME: Shape = {
  base: isThemeName,
  tokens: (tokens) =>
    tokens === undefined ||
    (isObject(tokens) &&
      Object.entries(tokens).every(
        ([name, token]) => TOKEN_NAME.test(name) && isString(token) && TOKEN_VALUE.test(token),
      )),
};

export function isTheme(value: unknown): value is Theme {
  return isThemeName(value) || hasShape(value, THEME);
}

export function isViewKind(value: unknown): value is ViewKind {
  return (VIEW_KINDS as readonly unknown[]).includes(value);
}

export function isFrameOption(value: unknown): value is FrameOption {
  return (FRAME_OPTIONS as readonly unknown[]).includes(value);
}

/** A BCP 47 tag the browser's `Intl` accepts (`en`, `de-DE`, `de-CH`). */
export function isLocale(value: unknown): value is string {
  // `Intl` refuses "" too.
  if (!isString(value) || value.length > 35) return false;
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

/**
 * A failing frame method's rejection. Its code is checked for shape, not against this build's catalogue
 * (`isErrorCodeLike`): a newer frame's new code reaches the page instead of turning into `INTERNAL`.
 */
export function isRpcFailure(value: unknown): value is RpcFailure {
  return isObject(value) && isErrorCodeLike(value.code) && isString(value.message);
}

/** The major of a version on the wire (`"1.1"`, or the integer a 1.0 peer sends); `undefined` when malformed. */
export function protocolMajor(version: unknown): number | undefined {
  if (Number.isInteger(version) && (version as number) >= 0) return version as number;
  const match = isString(version) ? /^(\d{1,4})\.\d{1,4}$/.exec(version) : null;
  return match ? Number(match[1]) : undefined;
}

const isProtocolVersion = (value: unknown) => protocolMajor(value) !== undefined;
const isTimeout = (value: unknown) =>
  isSize(value) && (value as number) > 0 && (value as number) <= MAX_TIMEOUT_MS;

const HELLO_REQUEST: Shape = {
  protocolVersion: (value) => isString(value) && isProtocolVersion(value),
  ticketTimeoutMs: isTimeout,
};

export function isHelloRequest(value: unknown): value is HelloRequest {
  return hasShape(value, HELLO_REQUEST);
}

const HELLO_RESPONSE: Shape = {
  protocolVersion: isProtocolVersion,
  compatible: isBoolean,
  methods: (value) =>
    // Names are only ever looked up in the list, never called by it.
    value === undefined || (Array.isArray(value) && value.length <= 100 && value.every(isString)),
};

export function isHelloResponse(value: unknown): value is HelloResponse {
  return hasShape(value, HELLO_RESPONSE);
}

/**
 * The frame's answer to `hello(hostMajor, request)`, `methods` being the frame's own: compatible when the
 * majors match. A 1.0 host (no `request`) gets the answer in the 1.0 form, which is all its guard accepts.
 */
export function answerHello(
  hostMajor: number,
  request: HelloRequest | undefined,
  methods: string[],
): HelloResponse {
  const compatible = protocolMajor(request ? request.protocolVersion : hostMajor) === PROTOCOL_MAJOR;
  return request
    ? { protocolVersion: PROTOCOL_VERSION, compatible, methods }
    : { protocolVersion: PROTOCOL_MAJOR, compatible };
}

/**
 * The fields of each event besides `type`. An `error` event's code is checked for shape only
 * (`isErrorCodeLike`), so a code added after this build still reaches the page.
 */
const EVENT_SHAPES: { [T in FrameEventType]: Shape } = {
  ready: {
    protocolVersion: isProtocolVersion,
    user: isSessionUser,
    view: isViewKind,
    app: isOptionalString,
    sheet: isOptionalString,
    title: isOptionalString,
  },
  rendered: { sheet: isOptionalString, objects: isCount },
  selectionsChanged: { selections: isSelections },
  sheetChanged: { sheet: isString, title: isString },
  resize: { width: isSize, height: isSize },
  error: {
    code: isErrorCodeLike,
    message: isString,
    level: (value) => value === undefined || value === "error" || value === "warning",
    field: isOptionalString,
  },
  sessionExpiring: { expiresAt: (value) => isString(value) && !Number.isNaN(Date.parse(value)) },
  sessionExpired: {},
  sessionRecovered: { sheet: isOptionalString, selections: isSelections },
  sessionChanged: { user: isSessionUser },
};

export function isFrameEvent(value: unknown): value is FrameEvent {
  return (
    isObject(value) &&
    isString(value.type) &&
    Object.hasOwn(EVENT_SHAPES, value.type) &&
    hasShape(value, { ...EVENT_SHAPES[value.type as FrameEventType], type: isString })
  );
}

/** The minor of a version on the wire (0 for a 1.0 peer's integer); `undefined` when malformed. */
export function protocolMinor(version: unknown): number | undefined {
  if (protocolMajor(version) === undefined) return undefined;
  return isString(version) ? Number(version.split(".")[1]) : 0;
}

/**
 * `event` as a host of `hostVersion` can read it, or `undefined` when it has no use for it: a host before
 * 1.2 knows no `level` or `field` (its guard would drop the whole event), and would take a warning for a
 * failure, so it gets errors without them and no warnings; a host before 1.3 gets `ready` without `title`.
 */
export function eventForHost(event: FrameEvent, hostVersion: unknown): FrameEvent | undefined {
  const minor = protocolMinor(hostVersion) ?? 0;
  if (event.type === "ready" && event.title !== undefined && minor < 3) {
    const { title: _title, ...older } = event;
    return older;
  }
  if (event.type !== "error" || minor >= 2) return event;
  if (event.level === "warning") return undefined;
  const { level: _level, field: _field, ...older } = event;
  return older;
}

/** Narrowing guard for one event type, for `on("resize", ...)`-style dispatch. */
export function isFrameEventOf<T extends FrameEventType>(type: T, value: unknown): value is FrameEventOf<T> {
  return isFrameEvent(value) && value.type === type;
}

// ---- embed URL parameters (the SDK writes them, the frame reads them) ----

/** `selections` URL parameter: JSON, e.g. `{"Region":["North"],"Year":[2024]}`. */
export function encodeSelectionsParam(selections: Selections): string {
  return JSON.stringify(selections);
}

/** Parses the `selections` URL parameter; `undefined` when absent or malformed (the caller reports it). */
export function decodeSelectionsParam(param: string | null | undefined): Selections | undefined {
  if (!param) return undefined;
  try {
    const parsed: unknown = JSON.parse(param);
    return isSelections(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The parameters of `/{P}/embed`, in the order they are written. */
const EMBED_PARAM_KEYS = [
  "app",
  "sheet",
  "object",
  "view",
  "theme",
  "locale",
  "opt",
  "selections",
  "origin",
] as const satisfies readonly (keyof EmbedUrlParams)[];

/** The query string for `/{P}/embed` (without `?`). Unset and empty fields are left out; other keys are ignored. */
export function encodeEmbedParams(params: EmbedUrlParams): string {
  const { opt, selections } = params;
  const values: Record<string, string | undefined> = {
    ...(params as Record<string, string | undefined>),
    opt: opt?.join(","),
    selections: selections && Object.keys(selections).length > 0 ? encodeSelectionsParam(selections) : "",
  };
  const search = new URLSearchParams();
  for (const key of EMBED_PARAM_KEYS) {
    const value = values[key];
    if (value) search.set(key, value);
  }
  return search.toString();
}

/** Reads `/{P}/embed` query parameters, dropping what is malformed rather than trusting it. */
export function decodeEmbedParams(query: string | URLSearchParams): EmbedUrlParams {
  const search = typeof query === "string" ? new URLSearchParams(query) : query;
  const text = (key: string) => search.get(key) ?? undefined;
  const view = text("view");
  const theme = text("theme");
  const locale = text("locale");
  const opt = text("opt")
    ?.split(",")
    .map((o) => o.trim())
    .filter(isFrameOption);
  const params: EmbedUrlParams = {};
  const app = text("app");
  const sheet = text("sheet");
  const object = text("object");
  const origin = text("origin");
  if (app) params.app = app;
  if (sheet) params.sheet = sheet;
  if (object) params.object = object;
  if (isViewKind(view)) params.view = view;
  if (isThemeName(theme)) params.theme = theme;
  if (isLocale(locale)) params.locale = locale;
  if (opt && opt.length > 0) params.opt = opt;
  const selections = decodeSelectionsParam(text("selections"));
  if (selections) params.selections = selections;
  if (origin) params.origin = origin;
  return params;
}

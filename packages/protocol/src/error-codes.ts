/**
 * The stable error codes Portico speaks on every wire: HTTP error bodies
 * (`{"error": {"code", "message"}}`), RPC `error` events and SDK errors. Codes never change meaning;
 * new ones are added here so every package agrees on the catalogue.
 */
export const ErrorCode = {
  // request shape
  BAD_REQUEST: "BAD_REQUEST",
  VALIDATION_FAILED: "VALIDATION_FAILED",
  NOT_FOUND: "NOT_FOUND",
  METHOD_NOT_ALLOWED: "METHOD_NOT_ALLOWED",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  /** A JSON endpoint was sent another Content-Type (a cross-site form can send only a few, never JSON). */
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  RATE_LIMITED: "RATE_LIMITED",
  /** A proxy's anonymous session budget (per address, per network, concurrent) is spent for now. */
  ANONYMOUS_LIMIT: "ANONYMOUS_LIMIT",
  INTERNAL: "INTERNAL",
  UNAVAILABLE: "UNAVAILABLE",
  /** The database did not answer (down, restarting, frozen, locked, full): try again after `Retry-After`. */
  STORAGE_UNAVAILABLE: "STORAGE_UNAVAILABLE",
  // virtual proxies and origins
  /** No virtual proxy has this prefix (a mistyped `proxy` attribute, say). */
  PROXY_NOT_FOUND: "PROXY_NOT_FOUND",
  /**
   * The page reached the server under another address than its `server.publicUrl` (`localhost` for
   * `127.0.0.1`, say): its own pages answer only at the public URL, so the SDK's `server` must be that.
   */
  SERVER_URL_MISMATCH: "SERVER_URL_MISMATCH",
  ANONYMOUS_DISABLED: "ANONYMOUS_DISABLED",
  ORIGIN_NOT_ALLOWED: "ORIGIN_NOT_ALLOWED",
  /** An `always` proxy admits anonymous users only: no tickets or sessions for identified users. */
  ANONYMOUS_ONLY: "ANONYMOUS_ONLY",
  // tickets
  TICKET_INVALID: "TICKET_INVALID",
  TICKET_EXPIRED: "TICKET_EXPIRED",
  TICKET_USED: "TICKET_USED",
  TICKET_CLIENT_UNAUTHORIZED: "TICKET_CLIENT_UNAUTHORIZED",
  // sessions and authentication
  UNAUTHENTICATED: "UNAUTHENTICATED",
  SESSION_EXPIRED: "SESSION_EXPIRED",
  SESSION_REVOKED: "SESSION_REVOKED",
  LOGIN_FAILED: "LOGIN_FAILED",
  LOGIN_DISABLED: "LOGIN_DISABLED",
  FORBIDDEN: "FORBIDDEN",
  ADMIN_UNAUTHORIZED: "ADMIN_UNAUTHORIZED",
  // licences
  NO_ACCESS_PASS: "NO_ACCESS_PASS",
  // configuration and rules
  CONFIG_INVALID: "CONFIG_INVALID",
  /** An edit was made against a version of a configuration section that has changed since it was read. */
  VERSION_CONFLICT: "VERSION_CONFLICT",
  RULE_SYNTAX: "RULE_SYNTAX",
  RULE_CYCLE: "RULE_CYCLE",
  // data engine
  APP_NOT_FOUND: "APP_NOT_FOUND",
  OBJECT_NOT_FOUND: "OBJECT_NOT_FOUND",
  FIELD_NOT_FOUND: "FIELD_NOT_FOUND",
  /** Selected values the field does not hold (a warning: they are dropped, the rest of the selection stays). */
  VALUE_NOT_FOUND: "VALUE_NOT_FOUND",
  EXPRESSION_SYNTAX: "EXPRESSION_SYNTAX",
  DATA_LOAD_FAILED: "DATA_LOAD_FAILED",
  EXPORT_FORBIDDEN: "EXPORT_FORBIDDEN",
  /** Too many queries in the server's queue (or this session's): try again after `Retry-After`. */
  BUSY: "BUSY",
  /** A query ran past its time budget and was stopped. */
  QUERY_TIMEOUT: "QUERY_TIMEOUT",
  // embedding and RPC
  PROTOCOL_MISMATCH: "PROTOCOL_MISMATCH",
  /** The frame is of an older minor of the protocol and lacks the method called. */
  NOT_SUPPORTED: "NOT_SUPPORTED",
  HANDSHAKE_TIMEOUT: "HANDSHAKE_TIMEOUT",
  CALL_TIMEOUT: "CALL_TIMEOUT",
  TICKET_TIMEOUT: "TICKET_TIMEOUT",
  DESTROYED: "DESTROYED",
  MISCONFIGURED: "MISCONFIGURED",
  INSECURE_SERVER: "INSECURE_SERVER",
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * True when `value` is one of the catalogue's codes (for parsing untrusted error bodies). Every key names
 * itself, so an own key is a code; and no module-level set, so a bundle that never calls this (the SDK)
 * drops the catalogue object.
 */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ErrorCode, value);
}

/** The shape every code has, today's and tomorrow's: upper-case words joined by `_`, at most 64 characters. */
export const ERROR_CODE_PATTERN = /^[A-Z][A-Z0-9_]{0,63}$/;

/**
 * True when `value` has the shape of an error code, known to this build or not. For a peer that may be
 * newer than the reader (the SDK reading a frame's `error` events and a server's error bodies): a code added
 * to the catalogue after this build still reaches the page instead of the whole message being dropped, and
 * the SDK need not ship the catalogue. The `ErrorCode` union stays the documented list, so a `switch` on a
 * code received this way needs a `default` branch.
 */
export function isErrorCodeLike(value: unknown): value is ErrorCode {
  return typeof value === "string" && ERROR_CODE_PATTERN.test(value);
}

/** The JSON shape of every HTTP error body. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** The message people read for a licence denial; the modelled hub's words, with our product name. */
export const NO_ACCESS_PASS_MESSAGE = "You cannot access the hub because you have no access pass";

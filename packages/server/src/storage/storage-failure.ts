import { ErrorCode } from "@portico/protocol";
import { PorticoError } from "../errors/portico-error.js";

/** Seconds a client is asked to wait when the database does not answer. */
export const STORAGE_RETRY_AFTER_S = 2;

/**
 * PostgreSQL SQLSTATEs that say "the database, not the request": connection exceptions (class 08),
 * shutdown and start-up (57P01-57P03), too many connections, a statement cancelled by its timeout, and
 * transient conflicts a retry resolves (deadlock, serialization failure).
 */
const POSTGRES_CODES = new Set(["57P01", "57P02", "57P03", "53300", "57014", "40P01", "40001", "55P03"]);
/** Socket errors on the way to the database. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENOTFOUND",
]);
/** SQLite result codes (better-sqlite3's `code`, extended codes included) of a busy, full or broken file. */
const SQLITE_PREFIXES = [
  "SQLITE_BUSY",
  "SQLITE_LOCKED",
  "SQLITE_FULL",
  "SQLITE_IOERR",
  "SQLITE_CANTOPEN",
  "SQLITE_READONLY",
  "SQLITE_PROTOCOL",
  "SQLITE_NOMEM",
];
/** node-postgres raises these as plain errors, without a code. */
const POSTGRES_CLIENT_MESSAGES = [
  "Connection terminated",
  "timeout exceeded when trying to connect",
  "Query read timeout",
  "is not queryable",
  "Cannot use a pool after calling end",
];

/**
 * True when `error` (or its cause) says the database is unreachable, restarting, frozen, locked or full:
 * a fault of the moment that the client should retry, never a bug of the request.
 */
export function isStorageFailure(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") {
      if (code.startsWith("08") && code.length === 5) return true;
      if (POSTGRES_CODES.has(code) || NETWORK_CODES.has(code) || code === "ENOSPC") return true;
      if (SQLITE_PREFIXES.some((prefix) => code.startsWith(prefix))) return true;
    }
    if (POSTGRES_CLIENT_MESSAGES.some((message) => e instanceof Error && e.message.includes(message)))
      return true;
  }
  return false;
}

/** The answer to a storage failure: 503 STORAGE_UNAVAILABLE with `Retry-After`, nothing of its cause. */
export function storageUnavailable(): PorticoError {
  return new PorticoError(
    ErrorCode.STORAGE_UNAVAILABLE,
    "The database is not available right now; try again shortly",
    undefined,
    { "retry-after": String(STORAGE_RETRY_AFTER_S) },
  );
}

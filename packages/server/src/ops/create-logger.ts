import pino, { type DestinationStream, type Logger } from "pino";

/**
 * Paths pino censors wherever they appear. Request logging never includes headers or bodies in the first
 * place; this is the second fence, for anything logged by mistake (an error carrying a request, a
 * config object).
 */
export const REDACT_PATHS = [
  "authorization",
  "cookie",
  "password",
  "ticket",
  "sessionToken",
  "token",
  "secret",
  "keyHash",
  "passwordHash",
  "*.authorization",
  "*.cookie",
  "*.password",
  "*.ticket",
  "*.sessionToken",
  "*.token",
  "*.secret",
  "*.keyHash",
  "*.passwordHash",
  "req.headers.authorization",
  "req.headers.cookie",
  'res.headers["set-cookie"]',
  "headers.authorization",
  "headers.cookie",
];

/** The base fields of every line of `createLogger`, after `level` and `time`. */
const BASE = { service: "portico" };
/** Each logger of `createLogger` with its destination, for the request lines written without pino. */
const destinations = new WeakMap<Logger, DestinationStream>();

/** Where a `TurnBufferedDestination` hands its lines on: pino's own file-descriptor stream, or any writer. */
export interface LineSink {
  write(text: string): unknown;
}

/** A turn's lines past this many characters are written at once instead of waiting for the turn's end. */
const TURN_BUFFER_MAX_CHARS = 64 * 1024;
/** Every destination with lines not yet written: the process's `exit` writes them (one listener for all). */
const unwritten = new Set<TurnBufferedDestination>();
let exitHookInstalled = false;

/**
 * The default log destination: the lines written during one turn of the event loop go to `sink` in one
 * write when the turn ends (`setImmediate`), not in one system call each. A busy server writes a request
 * line per request, and a system call per line is a noticeable share of a small request's CPU (see
 * visits/README.md). A line waits at most until the end of the turn that wrote it, so logs stay timely;
 * the process's `exit` (a normal end, `process.exit`, an uncaught exception) writes whatever is
 * still waiting. Only a hard kill (SIGKILL, abort) between a line and its turn's end can lose it, where
 * an unbuffered line would already be out.
 */
export class TurnBufferedDestination implements DestinationStream {
  private pending = "";
  private scheduled = false;

  constructor(
    private readonly sink: LineSink,
    private readonly maxChars = TURN_BUFFER_MAX_CHARS,
  ) {}

  write(line: string): void {
    this.pending += line;
    if (this.pending.length >= this.maxChars) {
      this.flushSync();
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    unwritten.add(this);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on("exit", () => {
        for (const destination of unwritten) destination.flushSync();
      });
    }
    setImmediate(() => this.flushSync());
  }

  /** Writes the waiting lines now. */
  flushSync(): void {
    this.scheduled = false;
    unwritten.delete(this);
    if (this.pending === "") return;
    const text = this.pending;
    this.pending = "";
    this.sink.write(text);
  }

  /** pino's `logger.flush(callback)`. */
  flush(callback?: (error?: Error) => void): void {
    try {
      this.flushSync();
    } catch (error) {
      callback?.(error as Error);
      return;
    }
    callback?.();
  }
}

/**
 * pino's logger with Portico's redaction, at `info` unless told, writing to standard output through a
 * `TurnBufferedDestination` unless given a destination.
 */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const destination = options.destination ?? new TurnBufferedDestination(pino.destination(1));
  const logger = pino(
    { level: options.level ?? "info", base: BASE, redact: { paths: REDACT_PATHS, censor: "[redacted]" } },
    destination,
  );
  destinations.set(logger, destination);
  return logger;
}

/** The request line's fields: all numbers and strings picked by our own code (see `logRequest`). */
export interface RequestLine {
  method: string;
  path: string;
  status: number;
  ms: number;
  ip: string;
}

/** A number as JSON writes it (`null` for NaN and the infinities, as pino does). */
function jsonNumber(n: number): string {
  return Number.isFinite(n) ? String(n) : "null";
}

/**
 * Writes the request line at `info`: for a logger of `createLogger`, serialised here, straight to its
 * destination, in exactly the form pino gives it (`level`, `time`, the base fields, the five fields,
 * `msg`; create-logger.test.ts compares the two). In a running server pino's generic serialiser goes
 * megamorphic among all the shapes a server logs; serialising this one shape by hand keeps the request
 * line cheap (see visits/README.md). No redaction pass either: it censors by
 * key, and these five keys are never secret. The logger's level holds, also when changed later. Any
 * other logger (a child, a foreign one) gets `logger.info(line, "request")`.
 */
export function logRequest(logger: Logger, line: RequestLine): void {
  const destination = destinations.get(logger);
  if (!destination) {
    logger.info(line, "request");
    return;
  }
  if (!logger.isLevelEnabled("info")) return;
  destination.write(
    `{"level":30,"time":${Date.now()},"service":${JSON.stringify(BASE.service)},"method":${JSON.stringify(line.method)},"path":${JSON.stringify(line.path)},"status":${jsonNumber(line.status)},"ms":${jsonNumber(line.ms)},"ip":${JSON.stringify(line.ip)},"msg":"request"}\n`,
  );
}

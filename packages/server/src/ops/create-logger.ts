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

/** Each logger of `createLogger` with its sibling for fixed-shape lines (see `fixedShapeLogger`). */
const plainSiblings = new WeakMap<Logger, Logger>();

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
 * line per request; on this machine a synchronous write per line cost a visit beacon 6-9 us of its ~55 us
 * of server CPU. A line waits at most until the end of the turn that wrote it, so logs stay as timely as
 * before; the process's `exit` (a normal end, `process.exit`, an uncaught exception) writes whatever is
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
  const settings = { level: options.level ?? "info", base: { service: "portico" } };
  const logger = pino({ ...settings, redact: { paths: REDACT_PATHS, censor: "[redacted]" } }, destination);
  plainSiblings.set(logger, pino(settings, destination));
  return logger;
}

/**
 * Where lines go whose fields are all numbers and strings picked by our own code, never an object a
 * secret could hide in: the request line (method, path, status, ms, ip). It is `logger`'s sibling: the same
 * destination, the same level, lines of the same form, without the redaction pass, which found nothing to
 * censor in such a line and cost 17 us of it (the wildcard paths look into every field; 5 us without
 * them), the request log a sixth of a visit beacon's server CPU. Redaction censors by key, not by value:
 * it never guarded these fields. A logger not made by `createLogger` is returned as it is.
 */
export function fixedShapeLogger(logger: Logger): Logger {
  const plain = plainSiblings.get(logger);
  if (!plain) return logger;
  // A level set on the logger later (`logger.level = "warn"`) holds for its request lines too.
  if (plain.level !== logger.level) plain.level = logger.level;
  return plain;
}

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

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const destination = options.destination ?? pino.destination(1);
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

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

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      base: { service: "portico" },
    },
    options.destination ?? pino.destination(1),
  );
}

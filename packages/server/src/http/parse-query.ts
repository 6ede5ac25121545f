import { ErrorCode } from "@portico/protocol";
import type { z } from "zod";
import { formatPath } from "../config/format-issues.js";
import { PorticoError } from "../errors/portico-error.js";

/** Parses a request's query parameters with a zod schema; a bad one is VALIDATION_FAILED naming it. */
export function parseQuery<T extends z.ZodType>(schema: T, query: Record<string, string>): z.output<T> {
  const parsed = schema.safeParse(query);
  if (!parsed.success)
    throw new PorticoError(
      ErrorCode.VALIDATION_FAILED,
      `Invalid query: ${parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join("; ")}`,
      parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
    );
  return parsed.data;
}

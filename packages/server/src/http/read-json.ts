import { ErrorCode } from "@portico/protocol";
import type { Context } from "hono";
import type { z } from "zod";
import { formatPath } from "../config/format-issues.js";
import { PorticoError } from "../errors/portico-error.js";

/**
 * Parses an untrusted JSON body with a zod schema. A body must be sent as `application/json` (else
 * UNSUPPORTED_MEDIA_TYPE): a cross-site HTML form can only send `text/plain`, urlencoded or multipart
 * bodies, and a page can send JSON elsewhere only after a CORS preflight the proxy answers for its allow
 * list alone, so no other site can make a browser post JSON here. Bad JSON is BAD_REQUEST; a shape
 * problem is VALIDATION_FAILED naming the field. The body is never echoed back (it may hold a password).
 */
export async function readJson<T extends z.ZodType>(
  c: Context,
  schema: T,
  options: { optional?: boolean } = {},
): Promise<z.output<T>> {
  const type = c.req.header("content-type");
  if (type !== undefined && !isJsonType(type)) notJson();
  const text = await c.req.text();
  checkJsonBody(type, text);
  return parseJson(text, schema, options);
}

/**
 * Refuses a body not sent as `application/json` (UNSUPPORTED_MEDIA_TYPE), for the reason `readJson` gives.
 * Without a Content-Type only an empty body passes (an optional body left out).
 */
export function checkJsonBody(contentType: string | undefined, text: string): void {
  if (contentType === undefined ? text.trim() !== "" : !isJsonType(contentType)) notJson();
}

function isJsonType(contentType: string): boolean {
  return contentType.split(";", 1)[0]?.trim().toLowerCase() === "application/json";
}

function notJson(): never {
  throw new PorticoError(
    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    "The request body must be JSON, sent with Content-Type: application/json",
  );
}

/** `readJson` for a body already read as text. */
export function parseJson<T extends z.ZodType>(
  text: string,
  schema: T,
  { optional = false } = {},
): z.output<T> {
  let value: unknown = {};
  if (text.trim() !== "") {
    if (nestingDepth(text) > MAX_JSON_DEPTH)
      throw new PorticoError(
        ErrorCode.BAD_REQUEST,
        `The request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`,
      );
    try {
      value = JSON.parse(text);
    } catch {
      throw new PorticoError(ErrorCode.BAD_REQUEST, "The request body is not valid JSON");
    }
  } else if (!optional) {
    throw new PorticoError(ErrorCode.BAD_REQUEST, "A JSON request body is required");
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
    throw new PorticoError(
      ErrorCode.VALIDATION_FAILED,
      issues.map((i) => `${i.path}: ${i.message}`).join("; "),
      { issues },
    );
  }
  return parsed.data;
}

/**
 * Deeper than any body Portico takes (a configuration section nests a handful of levels). Checked on the
 * text before parsing: validation and everything after it walk values recursively, and a body of a few
 * megabytes of `[[[[…` would overflow the stack there (a 500) instead of being refused.
 */
export const MAX_JSON_DEPTH = 64;

/** The deepest nesting of `[` and `{` in JSON text, strings skipped; stops counting past the limit. */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // backslash: the next character is escaped
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > MAX_JSON_DEPTH) return deepest;
      }
    } else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return deepest;
}

import type { VisitRecord } from "@portico/protocol";
import type { Storage } from "../storage/storage.js";
import { iterateVisits, type VisitFilter } from "./visit-query.js";

export const CSV_COLUMNS = [
  "id",
  "time",
  "type",
  "proxy",
  "sessionId",
  "userDirectory",
  "userId",
  "anonymous",
  "ip",
  "userAgent",
  "browser",
  "os",
  "device",
  "origin",
  "pageUrl",
  "app",
  "sheet",
  "object",
  "durationMs",
  "reason",
  "denialCode",
  "denialKind",
  "denialDetail",
  "licence",
  "licenceAmount",
  "visitor",
  "visitorClient",
  "unverifiedVisitor",
] as const satisfies readonly (keyof VisitRecord)[];

/** Rows are gathered into chunks of about this many characters before being handed to the stream. */
const CHUNK_CHARS = 64 * 1024;

/**
 * One CSV field (RFC 4180 quoting). A value a spreadsheet would run as a formula (`=`, `+`, `-`, `@`,
 * tab, CR) is prefixed with `'`: user agents and page URLs come from visitors.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "object" ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value !== "number") text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(record: VisitRecord): string {
  return `${CSV_COLUMNS.map((c) => csvField(record[c])).join(",")}\r\n`;
}

/** The CSV of every matching event, header first, in chunks: constant memory whatever the log size. */
export async function* visitCsvChunks(storage: Storage, filter: VisitFilter): AsyncGenerator<string> {
  let chunk = `${CSV_COLUMNS.join(",")}\r\n`;
  for await (const record of iterateVisits(storage, filter)) {
    chunk += csvLine(record);
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk !== "") yield chunk;
}

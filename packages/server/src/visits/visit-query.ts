import { VISIT_TYPES, type VisitGroupBy, type VisitRecord, type VisitSummaryRow } from "@portico/protocol";
import { z } from "zod";
import type { Storage } from "../storage/storage.js";
import type { VisitFilter as StoredVisitFilter } from "../storage/visits-repository.js";

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/** A time as ISO 8601 or epoch milliseconds. */
const timeParam = z.string().transform((value, ctx) => {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: "custom", message: "must be an ISO 8601 time or epoch milliseconds" });
    return z.NEVER;
  }
  return ms;
});

/** Query-string filters of the admin API and the CLI (all optional, combined with AND). */
export const visitFilterSchema = z.strictObject({
  from: timeParam.optional(),
  to: timeParam.optional(),
  proxy: z.string().optional(),
  app: z.string().optional(),
  origin: z.string().optional(),
  /** `DIR\\userId`, or a bare user id in any directory. */
  user: z.string().optional(),
  ip: z.string().optional(),
  type: z.enum(VISIT_TYPES).optional(),
});
export type VisitFilter = z.output<typeof visitFilterSchema>;
// Fails to compile when the schema's output and the repository's filter drift apart.
const filterFits: VisitFilter extends StoredVisitFilter ? true : never = true;
void filterFits;

/** A page of events, newest first. `cursor` is the `nextCursor` of the previous page. */
export async function listVisits(
  storage: Storage,
  filter: VisitFilter,
  page: { cursor?: string | undefined; limit?: number | undefined } = {},
): Promise<{ visits: VisitRecord[]; nextCursor?: string }> {
  const limit = Math.max(1, Math.min(page.limit ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE));
  const before = page.cursor !== undefined ? decodeCursor(page.cursor) : undefined;
  const rows = await storage.visits.listNewest(filter, limit + 1, before);
  const visits = rows.slice(0, limit);
  const last = visits[visits.length - 1];
  return rows.length > limit && last ? { visits, nextCursor: encodeCursor(last.id) } : { visits };
}

/**
 * Every matching event, oldest first, read in pages by id (keyset paging): memory stays at one page
 * whatever the size of the log, and rows added meanwhile do not shift the pages.
 */
export async function* iterateVisits(
  storage: Storage,
  filter: VisitFilter,
  pageSize = 500,
  afterId = 0,
): AsyncGenerator<VisitRecord> {
  let after = afterId;
  for (;;) {
    const rows = await storage.visits.listAfter(filter, after, pageSize);
    yield* rows;
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1]?.id);
  }
}

/**
 * Per day / app / origin / proxy / ip: visits (sessions with a matching event), unique visitors (by the
 * visitor key of each session's start) and the average duration of the sessions that ended.
 */
export function summarizeVisits(
  storage: Storage,
  groupBy: VisitGroupBy,
  filter: VisitFilter,
): Promise<VisitSummaryRow[]> {
  return storage.visits.summarize(groupBy, filter);
}

function encodeCursor(id: number): string {
  return Buffer.from(`v1:${id}`).toString("base64url");
}

function decodeCursor(cursor: string): number {
  const match = /^v1:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) throw new TypeError("invalid cursor");
  return Number(match[1]);
}

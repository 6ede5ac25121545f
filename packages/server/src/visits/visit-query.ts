import {
  VISIT_TYPES,
  type VisitEndReason,
  type VisitGroupBy,
  type VisitRecord,
  type VisitSummaryRow,
  type VisitType,
} from "@portico/protocol";
import { type Expression, type Selectable, type SqlBool, sql } from "kysely";
import { z } from "zod";
import type { Storage } from "../storage/storage.js";
import type { VisitsTable } from "./visits-table.js";

const DAY_MS = 86_400_000;
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

type VisitRow = Selectable<VisitsTable>;

/** The WHERE of a filter, as one boolean expression (`from` inclusive, `to` exclusive). */
function where(f: VisitFilter): Expression<SqlBool> {
  const parts = [sql<SqlBool>`1 = 1`];
  if (f.from !== undefined) parts.push(sql<SqlBool>`${sql.ref("time")} >= ${f.from}`);
  if (f.to !== undefined) parts.push(sql<SqlBool>`${sql.ref("time")} < ${f.to}`);
  if (f.proxy !== undefined) parts.push(sql<SqlBool>`proxy = ${f.proxy}`);
  if (f.app !== undefined) parts.push(sql<SqlBool>`app = ${f.app}`);
  if (f.origin !== undefined) parts.push(sql<SqlBool>`origin = ${f.origin}`);
  if (f.ip !== undefined) parts.push(sql<SqlBool>`ip = ${f.ip}`);
  if (f.type !== undefined) parts.push(sql<SqlBool>`type = ${f.type}`);
  if (f.user !== undefined) {
    const at = f.user.indexOf("\\");
    parts.push(
      at > 0
        ? sql<SqlBool>`user_directory = ${f.user.slice(0, at)} and user_id = ${f.user.slice(at + 1)}`
        : sql<SqlBool>`user_id = ${f.user}`,
    );
  }
  return sql<SqlBool>`${sql.join(parts, sql` and `)}`;
}

/** A page of events, newest first. `cursor` is the `nextCursor` of the previous page. */
export async function listVisits(
  storage: Storage,
  filter: VisitFilter,
  page: { cursor?: string | undefined; limit?: number | undefined } = {},
): Promise<{ visits: VisitRecord[]; nextCursor?: string }> {
  const limit = Math.max(1, Math.min(page.limit ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE));
  let q = storage.db.selectFrom("visits").selectAll().where(where(filter));
  if (page.cursor !== undefined) q = q.where("id", "<", decodeCursor(page.cursor));
  const rows = await q
    .orderBy("id", "desc")
    .limit(limit + 1)
    .execute();
  const visits = rows.slice(0, limit).map(toRecord);
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
    const rows = await storage.db
      .selectFrom("visits")
      .selectAll()
      .where(where(filter))
      .where("id", ">", after)
      .orderBy("id")
      .limit(pageSize)
      .execute();
    for (const row of rows) yield toRecord(row);
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1]?.id);
  }
}

/**
 * Per day / app / origin / proxy / ip: visits (sessions with a matching event), unique visitors (by the
 * visitor key of each session's start) and the average duration of the sessions that ended.
 */
export async function summarizeVisits(
  storage: Storage,
  groupBy: VisitGroupBy,
  filter: VisitFilter,
): Promise<VisitSummaryRow[]> {
  const key =
    groupBy === "day"
      ? sql`cast(${sql.ref("time")} / ${sql.lit(DAY_MS)} as bigint)`
      : sql.ref(groupBy === "ip" ? "ip" : groupBy);
  const result = await sql<{
    key: string | number | null;
    visits: number | string;
    unique_visitors: number | string;
    avg_ms: number | string | null;
  }>`
    with g as (
      select ${key} as key, session_id
      from visits
      where ${where(filter)} and session_id is not null
      group by ${key}, session_id
    )
    select g.key as key,
      count(*) as visits,
      count(distinct coalesce(s.visitor_key, g.session_id)) as unique_visitors,
      avg(e.duration_ms) as avg_ms
    from g
    left join visits s on s.session_id = g.session_id and s.type = 'sessionStart'
    left join visits e on e.session_id = g.session_id and e.type = 'sessionEnd'
    group by g.key
    order by g.key
  `.execute(storage.db);
  return result.rows.map((r) => ({
    key:
      r.key === null
        ? null
        : groupBy === "day"
          ? new Date(Number(r.key) * DAY_MS).toISOString().slice(0, 10)
          : String(r.key),
    visits: Number(r.visits),
    uniqueVisitors: Number(r.unique_visitors),
    averageSessionMs: r.avg_ms === null ? null : Math.round(Number(r.avg_ms)),
  }));
}

function encodeCursor(id: number): string {
  return Buffer.from(`v1:${id}`).toString("base64url");
}

function decodeCursor(cursor: string): number {
  const match = /^v1:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) throw new TypeError("invalid cursor");
  return Number(match[1]);
}

function parseJson(text: string | null): Record<string, string | string[]> | null {
  return text === null ? null : (JSON.parse(text) as Record<string, string | string[]>);
}

export function toRecord(r: VisitRow): VisitRecord {
  return {
    id: Number(r.id),
    time: new Date(Number(r.time)).toISOString(),
    type: r.type as VisitType,
    proxy: r.proxy,
    sessionId: r.session_id,
    userDirectory: r.user_directory,
    userId: r.user_id,
    anonymous: Number(r.anonymous) === 1,
    ip: r.ip,
    userAgent: r.user_agent,
    browser: r.browser,
    os: r.os,
    device: r.device,
    origin: r.origin,
    pageUrl: r.page_url,
    app: r.app,
    sheet: r.sheet,
    object: r.object,
    durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
    reason: r.reason as VisitEndReason | null,
    denialCode: r.denial_code,
    denialKind: r.denial_kind as "rule" | "licence" | null,
    visitor: parseJson(r.visitor),
    visitorClient: r.visitor_client,
    unverifiedVisitor: parseJson(r.visitor_hint),
  };
}

/** The id below the newest `count` matching events (0 when there are fewer): where to start reading them. */
export async function idBeforeNewest(storage: Storage, filter: VisitFilter, count: number): Promise<number> {
  const row = await storage.db
    .selectFrom("visits")
    .select("id")
    .where(where(filter))
    .orderBy("id", "desc")
    .offset(count)
    .limit(1)
    .executeTakeFirst();
  return row ? Number(row.id) : 0;
}

import type { VisitGroupBy, VisitRecord, VisitSummaryRow, VisitType } from "@portico/protocol";
import { type Expression, type Kysely, type Selectable, type SqlBool, sql } from "kysely";
import type { Database, VisitsTable } from "./database.js";
import { kyselyRowInserter, type RowInserter } from "./row-inserter.js";
import { VISIT_COLUMNS, visitValues } from "./visit-columns.js";
import type { SessionActivity, VisitFilter, VisitRow, VisitsRepository } from "./visits-repository.js";

const DAY_MS = 86_400_000;
/** Sessions per `IN (...)` list: far below the bound parameters either database allows in one statement. */
const SESSION_BATCH = 500;
/**
 * The newest events the sessions list reads for each session's latest page and app: a bound on the work
 * of one admin request however busy the log is (on a site logging 20,000 events a second, a window from
 * the oldest live session's start could hold millions of rows). Older activity shows as the start's.
 */
export const ACTIVITY_SCAN_ROWS = 100_000;
/** Sessions per read of that window: the admin list's most (a bound parameter each, far below the limits). */
const WINDOW_SESSIONS = 5_000;

/** The visit log over any Kysely dialect; `insertRows` writes the batches (SQLite passes its native one). */
export class KyselyVisits implements VisitsRepository {
  private readonly db: Kysely<Database>;
  private readonly insertRows: RowInserter;
  private readonly kind: "sqlite" | "postgres";

  constructor(db: Kysely<Database>, kind: "sqlite" | "postgres", insertRows?: RowInserter) {
    this.db = db;
    this.kind = kind;
    this.insertRows = insertRows ?? kyselyRowInserter(db, kind);
  }

  append(rows: readonly VisitRow[]): Promise<void> {
    return this.insertRows("visits", VISIT_COLUMNS, rows.map(visitValues));
  }

  async sessionStart(
    sessionId: string,
  ): Promise<{ ip: string | null; userAgent: string | null; pageUrl: string | null } | undefined> {
    const row = await this.db
      .selectFrom("visits")
      .select(["ip", "user_agent", "page_url"])
      .where("session_id", "=", sessionId)
      // A literal, so that SQLite can use the partial index on session starts.
      .where("type", "=", sql.lit("sessionStart"))
      .executeTakeFirst();
    return row ? { ip: row.ip, userAgent: row.user_agent, pageUrl: row.page_url } : undefined;
  }

  async sessionActivity(
    sessions: ReadonlyArray<{ id: string; createdAt: number }>,
    scanRows = ACTIVITY_SCAN_ROWS,
  ): Promise<Map<string, SessionActivity>> {
    const activity = new Map<string, SessionActivity>();
    if (sessions.length === 0) return activity;
    const newest = await this.db
      .selectFrom("visits")
      .select((eb) => eb.fn.max("id").as("id"))
      .executeTakeFirst();
    const afterId = Number(newest?.id ?? 0) - scanRows;
    for (let at = 0; at < sessions.length; at += SESSION_BATCH) {
      const ids = sessions.slice(at, at + SESSION_BATCH).map((s) => s.id);
      const starts = await this.db
        .selectFrom("visits")
        .select(["session_id", "ip", "page_url"])
        .where("session_id", "in", ids)
        .where("type", "=", sql.lit("sessionStart"))
        .execute();
      for (const row of starts)
        if (row.session_id !== null)
          activity.set(row.session_id, { ip: row.ip, pageUrl: row.page_url, app: null });
    }
    // One read of the newest `scanRows` events of the log for up to WINDOW_SESSIONS sessions at a time (the
    // admin list holds at most that many, so one read), the id range being what the database scans; latest
    // first by time, since several nodes write their batches at different moments and ids alone do not
    // order events across nodes. Events from before a session's start are not its own activity.
    const startOf = new Map(sessions.map((s) => [s.id, s.createdAt]));
    const seen = { app: new Set<string>(), page: new Set<string>() };
    for (let at = 0; at < sessions.length; at += WINDOW_SESSIONS) {
      const ids = sessions.slice(at, at + WINDOW_SESSIONS).map((s) => s.id);
      const latest = await this.db
        .selectFrom("visits")
        .select(["session_id", "page_url", "app", "time"])
        .where("id", ">", afterId)
        .where("session_id", "in", ids)
        .where((eb) => eb.or([eb("app", "is not", null), eb("page_url", "is not", null)]))
        .where("type", "!=", sql.lit("sessionStart"))
        .orderBy("time", "desc")
        .orderBy("id", "desc")
        .execute();
      for (const row of latest) {
        const start = row.session_id === null ? undefined : startOf.get(row.session_id);
        if (row.session_id === null || start === undefined || Number(row.time) < start) continue;
        const entry = activity.get(row.session_id) ?? { ip: null, pageUrl: null, app: null };
        if (row.app !== null && !seen.app.has(row.session_id)) {
          seen.app.add(row.session_id);
          entry.app = row.app;
        }
        if (row.page_url !== null && !seen.page.has(row.session_id)) {
          seen.page.add(row.session_id);
          entry.pageUrl = row.page_url;
        }
        activity.set(row.session_id, entry);
      }
    }
    return activity;
  }

  async purgeBefore(time: number, limit: number): Promise<number> {
    const result = await this.db
      .deleteFrom("visits")
      .where("id", "in", (eb) => {
        const batch = eb.selectFrom("visits").select("id").where("time", "<", time).limit(limit);
        // Rows another node's purge holds are left to it: no waiting, and no lock-order deadlock.
        return this.kind === "postgres" ? batch.forUpdate().skipLocked() : batch;
      })
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async listNewest(filter: VisitFilter, limit: number, beforeId?: number): Promise<VisitRecord[]> {
    let q = this.db.selectFrom("visits").selectAll().where(where(filter));
    if (beforeId !== undefined) q = q.where("id", "<", beforeId);
    const rows = await q.orderBy("id", "desc").limit(limit).execute();
    return rows.map(toRecord);
  }

  async listAfter(filter: VisitFilter, afterId: number, limit: number): Promise<VisitRecord[]> {
    const rows = await this.db
      .selectFrom("visits")
      .selectAll()
      .where(where(filter))
      .where("id", ">", afterId)
      .orderBy("id")
      .limit(limit)
      .execute();
    return rows.map(toRecord);
  }

  async idBeforeNewest(filter: VisitFilter, count: number): Promise<number> {
    const row = await this.db
      .selectFrom("visits")
      .select("id")
      .where(where(filter))
      .orderBy("id", "desc")
      .offset(count)
      .limit(1)
      .executeTakeFirst();
    return row ? Number(row.id) : 0;
  }

  async summarize(groupBy: VisitGroupBy, filter: VisitFilter): Promise<VisitSummaryRow[]> {
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
        where ${where(filter)} and session_id is not null${
          // Only some events carry an app (a session's start and end do not): a session is counted under
          // each app it opened, never under a null app.
          groupBy === "app" ? sql` and app is not null` : sql``
        }
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
    `.execute(this.db);
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

  async hashKey(day: string, candidate: string, createdAt: number): Promise<string> {
    await this.db
      .insertInto("visit_hash_keys")
      .values({ day, key: candidate, created_at: createdAt })
      .onConflict((oc) => oc.column("day").doNothing())
      .execute();
    const row = await this.db
      .selectFrom("visit_hash_keys")
      .select("key")
      .where("day", "=", day)
      .executeTakeFirstOrThrow();
    return row.key;
  }

  async purgeHashKeysBefore(day: string): Promise<number> {
    const result = await this.db.deleteFrom("visit_hash_keys").where("day", "<", day).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

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

function parseJson(text: string | null): Record<string, string | string[]> | null {
  return text === null ? null : (JSON.parse(text) as Record<string, string | string[]>);
}

function toRecord(r: Selectable<VisitsTable>): VisitRecord {
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
    reason: r.reason as VisitRecord["reason"],
    denialCode: r.denial_code,
    denialKind: r.denial_kind as VisitRecord["denialKind"],
    denialDetail: r.denial_detail ?? null,
    licence: r.licence ?? null,
    licenceAmount:
      r.licence_amount === null || r.licence_amount === undefined ? null : Number(r.licence_amount),
    visitor: parseJson(r.visitor),
    visitorClient: r.visitor_client,
    unverifiedVisitor: parseJson(r.visitor_hint),
  };
}

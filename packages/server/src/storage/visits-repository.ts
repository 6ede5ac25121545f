import type { VisitGroupBy, VisitRecord, VisitSummaryRow, VisitType } from "@portico/protocol";

/**
 * One event as the visit log stores it: the privacy mode already applied, booleans as 0/1 and JSON as
 * text. Field names are the log's column names, so a batch is written without renaming every field.
 */
export interface VisitRow {
  time: number;
  type: string;
  proxy: string;
  session_id?: string | null;
  user_directory: string;
  user_id: string;
  anonymous: number;
  ip?: string | null;
  user_agent?: string | null;
  browser?: string | null;
  os?: string | null;
  device?: string | null;
  origin?: string | null;
  page_url?: string | null;
  app?: string | null;
  sheet?: string | null;
  object?: string | null;
  duration_ms?: number | null;
  reason?: string | null;
  denial_code?: string | null;
  denial_kind?: string | null;
  denial_detail?: string | null;
  licence?: string | null;
  licence_amount?: number | null;
  visitor?: string | null;
  visitor_client?: string | null;
  visitor_hint?: string | null;
  /** Who counts as one unique visitor (user, verified visitor id, or privacy-mode IP). */
  visitor_key: string;
}

/** Filters of the admin API and the CLI (all optional, combined with AND; `from` inclusive, `to` exclusive). */
export interface VisitFilter {
  from?: number | undefined;
  to?: number | undefined;
  proxy?: string | undefined;
  app?: string | undefined;
  origin?: string | undefined;
  /** `DIR\\userId`, or a bare user id in any directory. */
  user?: string | undefined;
  ip?: string | undefined;
  type?: VisitType | undefined;
}

/** What the visit log says a live session is doing, for the sessions list. */
export interface SessionActivity {
  /** The address its start recorded, as the privacy mode stored it. */
  ip: string | null;
  /** The page of its latest event that names one (else its start's). */
  pageUrl: string | null;
  /** The app of its latest event that names one. */
  app: string | null;
}

/** The visit log and the daily keys of its `hash` privacy mode. */
export interface VisitsRepository {
  /** Inserts a batch in one transaction: every row commits or none does. */
  append(rows: readonly VisitRow[]): Promise<void>;
  /** The address and browser recorded at a session's start, as the privacy mode stored them. */
  sessionStart(
    sessionId: string,
  ): Promise<{ ip: string | null; userAgent: string | null; pageUrl: string | null } | undefined>;
  /**
   * Per session (each with its start time, which bounds the events read to those since), what its start
   * and its latest events say: address, page, app. Sessions without events are absent. Only the newest
   * events of the log are read for the latest page and app (a bound on the work of one call).
   */
  sessionActivity(
    sessions: ReadonlyArray<{ id: string; createdAt: number }>,
    /** How many of the newest events to read at most (default `ACTIVITY_SCAN_ROWS`, 100,000). */
    scanRows?: number,
  ): Promise<Map<string, SessionActivity>>;
  /**
   * Deletes at most `limit` events before `time`, in one statement; returns how many. Callers repeat it
   * until it returns fewer than `limit`. On PostgreSQL it skips rows another node is deleting instead of
   * waiting for them, so several nodes purging at once share the work.
   */
  purgeBefore(time: number, limit: number): Promise<number>;
  /** Up to `limit` matching events newest first, below the id `beforeId` when given. */
  listNewest(filter: VisitFilter, limit: number, beforeId?: number): Promise<VisitRecord[]>;
  /** Up to `limit` matching events oldest first, above the id `afterId`. */
  listAfter(filter: VisitFilter, afterId: number, limit: number): Promise<VisitRecord[]>;
  /** The id below the newest `count` matching events (0 when there are fewer). */
  idBeforeNewest(filter: VisitFilter, count: number): Promise<number>;
  /**
   * Per group: visits (sessions with a matching event), unique visitors (by the visitor key of each
   * session's start) and the average duration of the sessions that ended.
   */
  summarize(groupBy: VisitGroupBy, filter: VisitFilter): Promise<VisitSummaryRow[]>;
  /**
   * The `hash` mode's key for a UTC day (`YYYY-MM-DD`): the stored one, else `candidate` stored first
   * (whichever node stores first wins, so every node hashes alike).
   */
  hashKey(day: string, candidate: string, createdAt: number): Promise<string>;
  /** Deletes the hash keys of days before `day`; returns how many. */
  purgeHashKeysBefore(day: string): Promise<number>;
}

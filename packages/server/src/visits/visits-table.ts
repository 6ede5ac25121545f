/** Row shapes of the visit log's tables as Kysely sees them (times in epoch ms, booleans 0/1, JSON text). */
export interface VisitsTable {
  id: number | undefined;
  time: number;
  type: string;
  proxy: string;
  session_id: string | null;
  user_directory: string;
  user_id: string;
  anonymous: number;
  ip: string | null;
  user_agent: string | null;
  browser: string | null;
  os: string | null;
  device: string | null;
  origin: string | null;
  page_url: string | null;
  app: string | null;
  sheet: string | null;
  object: string | null;
  duration_ms: number | null;
  reason: string | null;
  denial_code: string | null;
  denial_kind: string | null;
  visitor: string | null;
  visitor_client: string | null;
  visitor_hint: string | null;
  /** Who counts as one unique visitor (user, verified visitor id, or privacy-mode IP). */
  visitor_key: string;
}

/** The daily keys of the `hash` privacy mode, shared through storage so every node hashes alike. */
export interface VisitHashKeysTable {
  day: string;
  key: string;
  created_at: number;
}

import type { VisitsTable } from "./database.js";
import type { VisitRow } from "./visits-repository.js";

/** Every column of `visits` but the id, in insert order. */
export const VISIT_COLUMNS = [
  "time",
  "type",
  "proxy",
  "session_id",
  "user_directory",
  "user_id",
  "anonymous",
  "ip",
  "user_agent",
  "browser",
  "os",
  "device",
  "origin",
  "page_url",
  "app",
  "sheet",
  "object",
  "duration_ms",
  "reason",
  "denial_code",
  "denial_kind",
  "denial_detail",
  "licence",
  "licence_amount",
  "visitor",
  "visitor_client",
  "visitor_hint",
  "visitor_key",
] as const satisfies readonly (keyof VisitsTable)[];
// Fails to compile when a column is added to the table but not to the list above.
type MissingColumn = Exclude<keyof VisitsTable, "id" | (typeof VISIT_COLUMNS)[number]>;
const complete: [MissingColumn] extends [never] ? true : MissingColumn = true;
void complete;
// Fails to compile when the row type and the table disagree on a column's name.
type RowColumn = Exclude<keyof VisitsTable, "id">;
type Mismatch = Exclude<RowColumn, keyof VisitRow> | Exclude<keyof VisitRow, RowColumn>;
const sameColumns: [Mismatch] extends [never] ? true : Mismatch = true;
void sameColumns;

/**
 * A row's values in `VISIT_COLUMNS` order (the test checks the two agree); an absent optional column is
 * NULL. Spelled out: looking each column up by name in a loop would cost a megamorphic property load per
 * value.
 */
export function visitValues(r: VisitRow): unknown[] {
  return [
    r.time,
    r.type,
    r.proxy,
    r.session_id ?? null,
    r.user_directory,
    r.user_id,
    r.anonymous,
    r.ip ?? null,
    r.user_agent ?? null,
    r.browser ?? null,
    r.os ?? null,
    r.device ?? null,
    r.origin ?? null,
    r.page_url ?? null,
    r.app ?? null,
    r.sheet ?? null,
    r.object ?? null,
    r.duration_ms ?? null,
    r.reason ?? null,
    r.denial_code ?? null,
    r.denial_kind ?? null,
    r.denial_detail ?? null,
    r.licence ?? null,
    r.licence_amount ?? null,
    r.visitor ?? null,
    r.visitor_client ?? null,
    r.visitor_hint ?? null,
    r.visitor_key,
  ];
}

import type { QueryRequest, QueryResult, Selections, SheetObjectDef, SortRequest } from "./data.js";

/** Rows of a table object's page. */
export const TABLE_PAGE_SIZE = 25;
/** Values a filter pane's list box asks for. */
export const FIELD_PAGE_SIZE = 200;

/** A table object's sorting and paging, as the visitor left it. */
export interface TableView {
  offset: number;
  sort?: SortRequest;
}

/**
 * The query that shows one object (`field`: one list box of a filter pane) under `selections`. The frame
 * asks exactly this, and the server answers exactly this in a session's `results`, so the two match.
 */
export function objectQuery(
  object: SheetObjectDef,
  field: string | undefined,
  selections: Selections,
  table?: TableView,
): QueryRequest {
  if (object.type === "filterpane")
    return {
      field: field ?? object.fields?.[0] ?? "",
      selections,
      page: { offset: 0, limit: FIELD_PAGE_SIZE },
    };
  return {
    object: object.id,
    selections,
    ...(object.type === "table" ? { page: { offset: table?.offset ?? 0, limit: TABLE_PAGE_SIZE } } : {}),
    ...(table?.sort ? { sort: table.sort } : {}),
  };
}

/** Every query that shows `objects` as they first appear (text boxes have none; a filter pane one per field). */
export function firstQueries(objects: readonly SheetObjectDef[], selections: Selections): QueryRequest[] {
  return objects.flatMap((object) =>
    object.type === "text"
      ? []
      : (object.type === "filterpane" ? (object.fields ?? []) : [undefined]).map((field) =>
          objectQuery(object, field, selections),
        ),
  );
}

/** A query answered ahead of time (a new session's first view): the request as asked, and its result. */
export interface PrefetchedResult {
  request: QueryRequest;
  result: QueryResult;
}

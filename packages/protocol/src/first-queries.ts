import type {
  QueryRequest,
  QueryResult,
  Selections,
  SelectionValue,
  SheetObjectDef,
  SortRequest,
} from "./data.js";

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

/**
 * The field-state query that tells which of `values` `field` holds: just them selected, so the first page
 * lists exactly the held ones first. The frame checks the selections a page asks for with it.
 */
export function valuesCheck(field: string, values: readonly SelectionValue[]): QueryRequest {
  return { field, selections: { [field]: [...values] }, page: { offset: 0, limit: values.length } };
}

/**
 * Every query that shows `objects` as they first appear (text boxes have none; a filter pane one per field),
 * then the `valuesCheck` of each selected field: the frame checks the page's initial selections with
 * them, and a session's answer carries them too, so that check costs no request of its own.
 */
export function firstQueries(objects: readonly SheetObjectDef[], selections: Selections): QueryRequest[] {
  const shown = objects.flatMap((object) =>
    object.type === "text"
      ? []
      : (object.type === "filterpane" ? (object.fields ?? []) : [undefined]).map((field) =>
          objectQuery(object, field, selections),
        ),
  );
  const checks = Object.entries(selections)
    .filter(([, values]) => values.length > 0)
    .map(([field, values]) => valuesCheck(field, values));
  return [...shown, ...checks];
}

/** A query answered ahead of time (a new session's first view): the request as asked, and its result. */
export interface PrefetchedResult {
  request: QueryRequest;
  result: QueryResult;
}

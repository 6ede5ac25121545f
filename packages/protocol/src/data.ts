/**
 * Data contracts shared by the engine, the server's data API and the frame: apps, sheets, objects,
 * selections, hypercube and field-state results. Plain JSON shapes: they cross HTTP and postMessage.
 */

/** A value as it crosses the wire: numbers stay numbers, dates are ISO `YYYY-MM-DD` strings, text is text. */
export type SelectionValue = string | number;

/** Current selections: OR within a field, AND across fields. A field with an empty list is not selected. */
export type Selections = Record<string, SelectionValue[]>;

export const OBJECT_TYPES = ["kpi", "bar", "line", "pie", "table", "filterpane", "text"] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

/** Where an object sits on a sheet's 24-column grid (row units are grid rows). */
export interface GridPosition {
  col: number;
  row: number;
  width: number;
  height: number;
}

/** A measure: an expression such as `Sum(Amount)` with an optional label and number format. */
export interface MeasureDef {
  expression: string;
  label?: string;
  /** d3-format specifier, e.g. `,.0f` or `$.2s`; the frame picks one from the locale when absent. */
  format?: string;
}

/** How a dimension's values are ordered: as loaded, alphabetically, by their number, or by a measure. */
export const DIMENSION_SORTS = ["load", "text", "number", "measure"] as const;
export type DimensionSortBy = (typeof DIMENSION_SORTS)[number];

export interface DimensionSort {
  by: DimensionSortBy;
  /** Largest (or last) first. */
  descending?: boolean;
  /** With `by: measure`: the expression or label of one of the object's measures (the first by default). */
  measure?: string;
}

/** A dimension with options; a plain field name is a dimension with none. */
export interface DimensionDef {
  field: string;
  /**
   * Without one: numbers, dates, month and weekday names in their own order, other text in load order (bar
   * and pie charts rank by their first measure instead).
   */
  sort?: DimensionSortBy | DimensionSort;
}

/** The field of a dimension as the config gives it. */
export function dimensionField(dimension: string | DimensionDef): string {
  return typeof dimension === "string" ? dimension : dimension.field;
}

/** A dimension's configured sort, in its long form; undefined when it has none. */
export function dimensionSort(dimension: string | DimensionDef): DimensionSort | undefined {
  if (typeof dimension === "string" || dimension.sort === undefined) return undefined;
  return typeof dimension.sort === "string" ? { by: dimension.sort } : dimension.sort;
}

export interface SheetObjectDef {
  id: string;
  type: ObjectType;
  title?: string;
  /** Dimensions (up to two) for charts and tables: field names, or fields with a sort. */
  dimensions?: Array<string | DimensionDef>;
  measures?: Array<string | MeasureDef>;
  /** Fields shown by a filter pane. */
  fields?: string[];
  /** Markdown-free plain text for `text` objects. */
  text?: string;
  /** Keep the N largest dimension values and fold the rest into an "Others" row. */
  topN?: number;
  position: GridPosition;
}

export interface SheetDef {
  id: string;
  title: string;
  description?: string;
  objects: SheetObjectDef[];
}

export type FieldType = "number" | "date" | "text";

export interface FieldInfo {
  name: string;
  type: FieldType;
  /** Number of distinct values. */
  cardinality: number;
  /** Tables holding the field (more than one: the field associates them). */
  tables: string[];
  /**
   * Text shown, with a number behind it that orders the values and selects them (month, weekday and
   * quarter names; a table's `sortBy` column). Absent for other fields.
   */
  dual?: boolean;
}

export interface AppSummary {
  id: string;
  name: string;
  description?: string;
  published: boolean;
}

export interface StreamSummary {
  id: string;
  name: string;
  apps: AppSummary[];
}

/** `GET /{P}/api/v1/hub`: the streams the user may read, each with the apps the user may read. */
export interface HubResponse {
  streams: StreamSummary[];
}

/** `GET /{P}/api/v1/apps/{id}`. */
export interface AppDetail extends AppSummary {
  stream: { id: string; name: string };
  sheets: SheetDef[];
  fields: FieldInfo[];
}

export interface PageRequest {
  offset: number;
  limit: number;
}

export interface SortRequest {
  /** Column index: dimensions first, then measures. */
  column: number;
  descending?: boolean;
}

/** `POST /{P}/api/v1/apps/{id}/query` body: an object's hypercube, or one field's states. */
export type QueryRequest =
  | { object: string; selections?: Selections; page?: PageRequest; sort?: SortRequest }
  | { field: string; selections?: Selections; search?: string; page?: PageRequest };

/**
 * `POST /{P}/api/v1/apps/{id}/queries` body: every query a view needs, under one set of selections, in one
 * request. A request's own `selections` win over the batch's.
 */
export interface QueriesRequest {
  selections?: Selections;
  requests: QueryRequest[];
}

/** One answer of a batch: the result, or why that one request failed (the others still answer). */
export type QueryOutcome = { result: QueryResult } | { error: { code: string; message: string } };

/** `POST /{P}/api/v1/apps/{id}/queries` answer: one outcome per request, in the requests' order. */
export interface QueriesResponse {
  results: QueryOutcome[];
}

/** The most queries one batch may carry (a sheet's objects and filter-pane fields fit well within it). */
export const MAX_BATCH_QUERIES = 64;

/** A dimension cell: the display text, plus the raw value used to select it. */
export interface DimensionCell {
  text: string;
  value: SelectionValue | null;
}

export interface HypercubeRow {
  dimensions: DimensionCell[];
  /** One per measure; `null` where the aggregation has no value (no rows, division by zero). */
  measures: Array<number | null>;
  /** True for the folded "Others" row of a top-N. */
  others?: boolean;
}

export interface HypercubeResult {
  kind: "hypercube";
  object: string;
  dimensions: Array<{ field: string; label: string; type: FieldType }>;
  measures: Array<{ expression: string; label: string; format?: string }>;
  rows: HypercubeRow[];
  /** Rows before paging. */
  totalRows: number;
  /** Measure totals over every row in the current selection. */
  totals: Array<number | null>;
  page: PageRequest;
}

export type FieldValueState = "selected" | "possible" | "excluded" | "alternative";

export interface FieldValueInfo {
  text: string;
  value: SelectionValue | null;
  /** A dual field's number behind the text (see `FieldInfo.dual`); selecting it selects this value. */
  num?: number;
  state: FieldValueState;
  /** Rows carrying the value under the current selections (0 for excluded values). */
  frequency: number;
}

export interface FieldStatesResult {
  kind: "field";
  field: string;
  type: FieldType;
  values: FieldValueInfo[];
  totalValues: number;
  page: PageRequest;
}

export type QueryResult = HypercubeResult | FieldStatesResult;

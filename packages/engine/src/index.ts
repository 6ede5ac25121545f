export {
  DataModel,
  type DataModelOptions,
  DEFAULT_PAGE_LIMIT,
  type ExportCell,
  type FieldScope,
  MAX_PAGE_LIMIT,
  type TableInfo,
} from "./data-model.js";
export { EngineError, EngineErrorCode, ExpressionSyntaxError } from "./engine-error.js";
export { NULL_TEXT, OTHERS_TEXT } from "./hypercube.js";
export { inferType } from "./infer-type.js";
export { type LoadOptions, loadTables, readTableFields, type TableDef } from "./load-tables.js";
export { LruCache } from "./lru-cache.js";
export type { ModelSnapshot } from "./model-snapshot.js";
export {
  AGGREGATIONS,
  type AggregationName,
  type AggregationNode,
  aggregationsOf,
  type BinaryNode,
  type MeasureNode,
  type NegateNode,
  type NumberNode,
  parseMeasure,
} from "./parse-measure.js";
export { type CsvOptions, csvLine, toCsv } from "./to-csv.js";
export { type ObjectIssue, validateObject } from "./validate-object.js";

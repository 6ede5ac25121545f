import type {
  FieldInfo,
  FieldStatesResult,
  HypercubeResult,
  PageRequest,
  QueryRequest,
  QueryResult,
  Selections,
  SheetObjectDef,
  SortRequest,
} from "@portico/protocol";
import { Association } from "./association.js";
import { type CompiledObject, compileObject } from "./compile-object.js";
import { EngineError, EngineErrorCode } from "./engine-error.js";
import { exportNumber } from "./export-precision.js";
import type { Field, Table } from "./field.js";
import { fieldStates } from "./field-states.js";
import { type Cube, computeHypercube, cubeWeight, pageOf, rowsOf } from "./hypercube.js";
import { LruCache } from "./lru-cache.js";
import { type ModelSnapshot, snapshotOf, tablesOf } from "./model-snapshot.js";
import { countAll, type ResolvedSelections, resolveSelections, SelectionState } from "./selection-state.js";

export interface DataModelOptions {
  /** Query results kept per model (least recently used go first). Default 500; 0 disables the cache. */
  resultCacheSize?: number;
  /** Most result rows and field values held by the result cache, all entries together. Default 200,000. */
  resultCacheRows?: number;
  /** Selection states kept per model (included rows per table). Default 8; 0 disables the cache. */
  selectionCacheSize?: number;
}

/**
 * The field names a request may use (query, select on, search). Any other name is answered exactly as a
 * name the model does not have (FIELD_NOT_FOUND at the same step), so a caller scoping a requester's data
 * leaves no trace of the fields outside it. Undefined: every field.
 */
export type FieldScope = ReadonlySet<string> | undefined;

export const DEFAULT_PAGE_LIMIT = 1000;
export const MAX_PAGE_LIMIT = 10_000;

/** A cell of exported data: numbers stay numbers, dates are ISO strings, null is an empty cell. */
export type ExportCell = string | number | null;

export interface TableInfo {
  name: string;
  rowCount: number;
  fields: string[];
}

/**
 * The loaded data of one app: immutable once built. Reloading data means building a new model with
 * `loadTables` and swapping it in; the result caches belong to the model, so they go with it.
 */
export class DataModel {
  private readonly association: Association;
  private readonly fieldByName = new Map<string, Field>();
  private readonly allCounts = new Map<Field, Uint32Array>();
  private readonly states: LruCache<string, SelectionState>;
  private readonly results: LruCache<string, QueryResult | Cube>;
  private readonly compiled = new WeakMap<SheetObjectDef, CompiledObject>();
  private readonly defSerial = new WeakMap<SheetObjectDef, number>();
  private nextSerial = 1;
  private snapshotCache: ModelSnapshot | undefined;

  constructor(tables: Table[], options: DataModelOptions = {}) {
    const fields = [...new Set(tables.flatMap((t) => t.fields))].sort((a, b) => a.index - b.index);
    for (const field of fields) this.fieldByName.set(field.name, field);
    this.association = new Association(tables, fields);
    for (const field of fields) this.allCounts.set(field, countAll(this.association, field));
    this.states = new LruCache(options.selectionCacheSize ?? 8);
    this.results = new LruCache(options.resultCacheSize ?? 500, options.resultCacheRows ?? 200_000);
  }

  /** A model over the same columns as the one `snapshot` was taken of (in a worker thread, say). */
  static fromSnapshot(snapshot: ModelSnapshot, options: DataModelOptions = {}): DataModel {
    return new DataModel(tablesOf(snapshot), options);
  }

  /** This model's data for `fromSnapshot`: the columns are shared, not copied. */
  snapshot(): ModelSnapshot {
    this.snapshotCache ??= snapshotOf(this.association.tables, [...this.fieldByName.values()]);
    return this.snapshotCache;
  }

  /** Every field with its type, number of distinct values and the tables holding it. */
  fields(): FieldInfo[] {
    return [...this.fieldByName.values()].map((f) => ({
      name: f.name,
      type: f.type,
      cardinality: f.cardinality,
      tables: f.tables.map((t) => this.association.tables[t]!.name),
      ...(f.type === "text" && f.dual() ? { dual: true } : {}),
    }));
  }

  tables(): TableInfo[] {
    return this.association.tables.map((t) => ({
      name: t.name,
      rowCount: t.rowCount,
      fields: t.fields.map((f) => f.name),
    }));
  }

  hasField(name: string): boolean {
    return this.fieldByName.has(name);
  }

  /**
   * Answers a data API request: `{object}` computes that object's hypercube (looked up by id in
   * `objects`), `{field}` computes that field's states. Throws `EngineError` (OBJECT_NOT_FOUND,
   * FIELD_NOT_FOUND, EXPRESSION_SYNTAX, BAD_REQUEST).
   */
  query(
    request: QueryRequest,
    objects: Iterable<SheetObjectDef> | ReadonlyMap<string, SheetObjectDef>,
  ): QueryResult {
    if (request === null || typeof request !== "object") {
      throw new EngineError(EngineErrorCode.BAD_REQUEST, "a query needs an object or a field");
    }
    if ("object" in request && typeof request.object === "string") {
      const def = findObject(objects, request.object);
      if (!def) {
        throw new EngineError(EngineErrorCode.OBJECT_NOT_FOUND, `object "${request.object}" does not exist`, {
          object: request.object,
        });
      }
      const { selections, page, sort } = request;
      return this.hypercube(def, { selections, page, sort });
    }
    if ("field" in request && typeof request.field === "string") {
      const { selections, search, page } = request;
      return this.fieldStates(request.field, { selections, search, page });
    }
    throw new EngineError(EngineErrorCode.BAD_REQUEST, "a query needs an object or a field");
  }

  /** An object's hypercube under the given selections (page defaults to the first 1000 rows). */
  hypercube(
    def: SheetObjectDef,
    options: {
      selections?: Selections | undefined;
      page?: PageRequest | undefined;
      sort?: SortRequest | undefined;
      fields?: FieldScope;
    } = {},
  ): HypercubeResult {
    const compiled = this.compile(def);
    const selections = this.resolve(options.selections, options.fields);
    const page = normalisePage(options.page);
    const sort = options.sort;
    // One cube per (object, selections, sort): every page of it is a slice of the cached cube.
    const key = `o${this.serialOf(def)}|${selections.key}|${sort ? `${sort.column}${sort.descending ? "d" : "a"}` : ""}`;
    let cube = this.results.get(key) as Cube | undefined;
    if (!cube) {
      cube = computeHypercube(compiled, this.association, this.state(selections), { sort });
      this.results.set(key, cube, cubeWeight(cube));
    }
    return pageOf(cube, page);
  }

  /** The states of one field's values under the given selections, optionally filtered by a search text. */
  fieldStates(
    name: string,
    options: {
      selections?: Selections | undefined;
      search?: string | undefined;
      page?: PageRequest | undefined;
      fields?: FieldScope;
    } = {},
  ): FieldStatesResult {
    const field = this.field(name, options.fields);
    const selections = this.resolve(options.selections, options.fields);
    const page = normalisePage(options.page);
    if (options.search !== undefined && typeof options.search !== "string") {
      throw new EngineError(EngineErrorCode.BAD_REQUEST, "search must be a string");
    }
    const key = `f${field.index}|${selections.key}|${page.offset},${page.limit}|${options.search ?? ""}`;
    const cached = this.results.get(key);
    if (cached) return cached as FieldStatesResult;
    let withoutOwn: SelectionState | undefined;
    if (selections.masks.has(field)) {
      const masks = new Map(selections.masks);
      masks.delete(field);
      withoutOwn = this.state({ masks, key: keyWithout(selections.key, field) }, true);
    }
    const result = fieldStates(field, this.state(selections), withoutOwn, options.search, page);
    this.results.set(key, result, result.values.length + 1);
    return result;
  }

  /**
   * Every row of an object's data under the selections, for export: a header row of labels first, then
   * one row per dimension combination (no paging, no top-N folding), in the object's default order, each
   * measure at its format's precision (`exportNumber`).
   */
  *exportRows(def: SheetObjectDef, selections?: Selections, fields?: FieldScope): Generator<ExportCell[]> {
    const { topN: _topN, ...unfolded } = def;
    const compiled = this.compile(unfolded);
    const cube = computeHypercube(compiled, this.association, this.state(this.resolve(selections, fields)));
    yield [...compiled.dimensions.map((d) => d.name), ...compiled.measures.map((m) => m.label)];
    const formats = compiled.measures.map((m) => m.format);
    for (const row of rowsOf(cube))
      yield [
        ...row.dimensions.map((c) => c.value),
        ...row.measures.map((v, i) => (v === null ? null : exportNumber(v, formats[i]))),
      ];
  }

  private field(name: string, scope: FieldScope): Field {
    const field = typeof name === "string" ? this.fieldNamed(name, scope) : undefined;
    if (!field)
      throw new EngineError(EngineErrorCode.FIELD_NOT_FOUND, `field "${name}" does not exist`, {
        field: name,
      });
    return field;
  }

  private compile(def: SheetObjectDef): CompiledObject {
    let compiled = this.compiled.get(def);
    if (!compiled) {
      compiled = compileObject(
        def,
        this.fieldByName,
        this.association.tables.map((t) => t.rowCount),
      );
      this.compiled.set(def, compiled);
    }
    return compiled;
  }

  private serialOf(def: SheetObjectDef): number {
    let serial = this.defSerial.get(def);
    if (serial === undefined) {
      serial = this.nextSerial++;
      this.defSerial.set(def, serial);
    }
    return serial;
  }

  private resolve(selections: Selections | undefined, scope: FieldScope): ResolvedSelections {
    return resolveSelections(selections, (name) => this.fieldNamed(name, scope));
  }

  private fieldNamed(name: string, scope: FieldScope): Field | undefined {
    return scope === undefined || scope.has(name) ? this.fieldByName.get(name) : undefined;
  }

  private state(selections: ResolvedSelections, countsOnly = false): SelectionState {
    let state = this.states.get(selections.key);
    if (!state) {
      state = new SelectionState(this.association, selections, this.allCounts, countsOnly);
      this.states.set(selections.key, state);
    }
    return state;
  }
}

function keyWithout(key: string, field: Field): string {
  return key
    .split("|")
    .filter((part) => part !== "" && !part.startsWith(`${field.index}:`))
    .join("|");
}

function findObject(
  objects: Iterable<SheetObjectDef> | ReadonlyMap<string, SheetObjectDef>,
  id: string,
): SheetObjectDef | undefined {
  if (objects instanceof Map) return (objects as ReadonlyMap<string, SheetObjectDef>).get(id);
  for (const def of objects as Iterable<SheetObjectDef>) if (def.id === id) return def;
  return undefined;
}

function normalisePage(page: PageRequest | undefined): PageRequest {
  if (page === undefined || page === null) return { offset: 0, limit: DEFAULT_PAGE_LIMIT };
  const { offset, limit } = page;
  if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 1) {
    throw new EngineError(
      EngineErrorCode.BAD_REQUEST,
      "page needs an integer offset >= 0 and an integer limit >= 1",
    );
  }
  return { offset, limit: Math.min(limit, MAX_PAGE_LIMIT) };
}

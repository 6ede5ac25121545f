import type { DataModelOptions, ModelSnapshot } from "@portico/engine";
import type {
  FieldStatesResult,
  HypercubeResult,
  PageRequest,
  Selections,
  SheetObjectDef,
  SortRequest,
} from "@portico/protocol";

/**
 * One piece of engine work, as plain data for a query worker. `fields` is the requester's data scope
 * (`readableFields`): any other field is answered exactly like a missing one.
 */
export type QueryJob =
  | {
      kind: "hypercube";
      def: SheetObjectDef;
      selections?: Selections | undefined;
      page?: PageRequest | undefined;
      sort?: SortRequest | undefined;
      fields: string[];
    }
  | {
      kind: "field";
      field: string;
      selections?: Selections | undefined;
      search?: string | undefined;
      page?: PageRequest | undefined;
      fields: string[];
    }
  | { kind: "export"; def: SheetObjectDef; selections?: Selections | undefined; fields: string[] };

/** What a job answers: a hypercube page, a field's states, or an export as CSV bytes (UTF-8). */
export type JobResult<J extends QueryJob> = J extends { kind: "hypercube" }
  ? HypercubeResult
  : J extends { kind: "field" }
    ? FieldStatesResult
    : Uint8Array<ArrayBuffer>;

/** Messages to a worker. Models are loaded once per worker and dropped when the server lets go of them. */
export type ToWorker =
  | { type: "load"; model: number; snapshot: ModelSnapshot; options: DataModelOptions }
  | { type: "drop"; model: number }
  | { type: "run"; task: number; model: number; job: QueryJob };

/**
 * A worker's word on one `run`: that it started (its model is loaded: the time budget counts from here),
 * then its answer; the engine's refusals keep their code (FIELD_NOT_FOUND...).
 */
export type FromWorker =
  | { task: number; started: true }
  | { task: number; ok: true; value: unknown }
  | { task: number; ok: false; code: string; message: string };

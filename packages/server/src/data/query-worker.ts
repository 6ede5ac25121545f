import { parentPort } from "node:worker_threads";
import { csvLine, DataModel, EngineError } from "@portico/engine";
import type { SheetObjectDef } from "@portico/protocol";
import type { FromWorker, QueryJob, ToWorker } from "./query-job.js";

/**
 * A query worker: runs engine work off the server's event loop. Each model is rebuilt here from its
 * snapshot on the shared columns; its result caches live here, so a cube computed for one page serves the
 * next page sent to this worker. Object definitions arrive as copies, so they are interned by content:
 * the engine caches by definition identity.
 */
const models = new Map<number, DataModel>();
const defs = new Map<string, SheetObjectDef>();
const MAX_DEFS = 2000;
const encoder = new TextEncoder();

function intern(def: SheetObjectDef): SheetObjectDef {
  const key = JSON.stringify(def);
  let known = defs.get(key);
  if (!known) {
    if (defs.size >= MAX_DEFS) defs.delete(defs.keys().next().value as string);
    known = def;
    defs.set(key, known);
  }
  return known;
}

function run(model: DataModel, job: QueryJob): unknown {
  const fields = new Set(job.fields);
  if (job.kind === "hypercube") {
    const { selections, page, sort } = job;
    return model.hypercube(intern(job.def), { selections, page, sort, fields });
  }
  if (job.kind === "field") {
    const { selections, search, page } = job;
    return model.fieldStates(job.field, { selections, search, page, fields });
  }
  let csv = "";
  for (const row of model.exportRows(job.def, job.selections, fields)) csv += csvLine(row);
  return encoder.encode(csv);
}

const port = parentPort;
if (!port) throw new Error("query-worker.ts runs as a worker thread");
port.on("message", (message: ToWorker) => {
  if (message.type === "load") {
    models.set(message.model, DataModel.fromSnapshot(message.snapshot, message.options));
    return;
  }
  if (message.type === "drop") {
    models.delete(message.model);
    return;
  }
  const model = models.get(message.model);
  port.postMessage({ task: message.task, started: true } satisfies FromWorker);
  let answer: FromWorker;
  try {
    if (!model) throw new Error(`model ${message.model} is not loaded in this worker`);
    const value = run(model, message.job);
    answer = { task: message.task, ok: true, value };
  } catch (error) {
    answer =
      error instanceof EngineError
        ? { task: message.task, ok: false, code: error.code, message: error.message }
        : {
            task: message.task,
            ok: false,
            code: "INTERNAL",
            message: String((error as Error)?.stack ?? error),
          };
  }
  const value = answer.ok ? answer.value : undefined;
  port.postMessage(answer, value instanceof Uint8Array ? [value.buffer as ArrayBuffer] : []);
});

import { loadTables } from "@portico/engine";
import { engineSuite } from "./suites/engine.js";

void engineSuite;
const model = await loadTables([{ name: "transactions", source: "/tmp/sample/t.csv" }], {
  resultCacheSize: 0,
  selectionCacheSize: 2,
});
const pos = { col: 0, row: 0, width: 1, height: 1 };
const objs = [
  { id: "a", type: "bar", dimensions: ["Region"], measures: ["Sum(Amount)"], position: pos },
  {
    id: "b",
    type: "line",
    dimensions: ["Month"],
    measures: ["Sum(Amount)", "Count(distinct Store)"],
    position: pos,
  },
  { id: "c", type: "bar", dimensions: ["Product"], measures: ["Sum(Amount)"], topN: 10, position: pos },
  {
    id: "d",
    type: "table",
    dimensions: ["Region", "Category"],
    measures: ["Sum(Amount)", "Sum(Quantity)", "Avg(Amount)"],
    position: pos,
  },
  { id: "e", type: "pie", dimensions: ["Channel"], measures: ["Count(Amount)"], position: pos },
  {
    id: "f",
    type: "kpi",
    measures: ["Sum(Amount)", "Sum(Amount)/Sum(Quantity)", "Count(distinct Product)"],
    position: pos,
  },
] as const;
const fields = model.fields().map((f) => f.name);
const times: Record<string, number> = {};
for (let k = 0; k < 45; k++) {
  if (k === 5) for (const key of Object.keys(times)) times[key] = 0;
  const selections = { Year: [2024 + (k % 2)] };
  let s = performance.now();
  for (const f of fields) {
    model.fieldStates(f, { selections });
    times.states = (times.states ?? 0) + performance.now() - s;
    s = performance.now();
  }
  for (const o of objs) {
    model.hypercube(o as never, { selections });
    times[o.id] = (times[o.id] ?? 0) + performance.now() - s;
    s = performance.now();
  }
}
console.log(
  Object.entries(times)
    .map(([k, v]) => `${k} ${(v / 40).toFixed(1)}`)
    .join("  "),
  "total",
  (Object.values(times).reduce((a, b) => a + b) / 40).toFixed(1),
);

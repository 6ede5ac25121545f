import type { SelectionValue } from "@portico/protocol";
import type { DataModel } from "../data-model.js";
import { tablesOf } from "../model-snapshot.js";

/** Every row of a model's table as its values (null for an empty cell), read back from the codes. */
export function tableRows(model: DataModel, table = 0): Array<Array<SelectionValue | null>> {
  const loaded = tablesOf(model.snapshot())[table]!;
  return Array.from({ length: loaded.rowCount }, (_, r) =>
    loaded.fields.map((field, c) => {
      const code = loaded.columns[c]![r]!;
      return code === 0 ? null : field.values[code]!;
    }),
  );
}

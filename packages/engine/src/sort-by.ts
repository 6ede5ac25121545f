import { EngineError, EngineErrorCode } from "./engine-error.js";
import { columnOf, NULL_CODE, type Table } from "./field.js";

/**
 * Puts a number behind the text of each `sortBy` field, read from the named number (or date) column of the
 * same table: the first row that holds a text gives its number, as the modelled hub's `Dual()` keeps the
 * first number a text was loaded with. A field held by several tables takes its numbers from every table
 * that names a `sortBy` for it, in load order, each filling what the earlier ones left empty.
 */
export function applySortBy(
  tables: readonly Table[],
  sortBys: ReadonlyArray<Record<string, string> | undefined>,
) {
  const duals = new Map<Table["fields"][number], Float64Array>();
  tables.forEach((table, t) => {
    for (const [textName, numberName] of Object.entries(sortBys[t] ?? {})) {
      const text = table.fields.find((f) => f.name === textName);
      const by = table.fields.find((f) => f.name === numberName);
      if (!text)
        throw sortByError(table.name, `sortBy names field "${textName}", which the table does not hold`);
      if (!by)
        throw sortByError(
          table.name,
          `sortBy for "${textName}" names field "${numberName}", which the table does not hold`,
        );
      if (text.type !== "text")
        throw sortByError(
          table.name,
          `sortBy field "${textName}" is a ${text.type} field: it orders by its own value`,
        );
      if (by.type === "text")
        throw sortByError(
          table.name,
          `sortBy for "${textName}" names "${numberName}", a text field: it must hold numbers or dates`,
        );
      let nums = duals.get(text);
      if (!nums) {
        nums = new Float64Array(new SharedArrayBuffer(text.values.length * Float64Array.BYTES_PER_ELEMENT));
        nums.fill(Number.NaN);
        duals.set(text, nums);
      }
      const textCodes = columnOf(table, text)!;
      const byCodes = columnOf(table, by)!;
      const byNums = by.nums;
      for (let r = 0; r < table.rowCount; r++) {
        const code = textCodes[r]!;
        if (code === NULL_CODE || !Number.isNaN(nums[code]!)) continue;
        nums[code] = byNums[byCodes[r]!]!;
      }
    }
  });
  for (const [field, nums] of duals) field.setDual(nums);
}

function sortByError(table: string, message: string): EngineError {
  return new EngineError(EngineErrorCode.DATA_LOAD_FAILED, `table "${table}": ${message}`, { table });
}

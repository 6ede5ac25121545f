import type { FieldType, Selections } from "@portico/protocol";
import type { Formatters } from "../format/formatters.js";
import type { Translate } from "../i18n/strings.js";

/**
 * What a screen reader hears after the selections changed from `before` to `after`: each field whose values
 * changed, with its values as the selections bar shows them, or that it was cleared; "All selections
 * cleared" when several went at once. `undefined` when nothing changed.
 */
export function selectionAnnouncement(
  t: Translate,
  fmt: Formatters,
  fieldTypes: Record<string, FieldType>,
  before: Selections,
  after: Selections,
): string | undefined {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const changed = fields.filter(
    (field) => JSON.stringify(before[field] ?? []) !== JSON.stringify(after[field] ?? []),
  );
  if (changed.length === 0) return undefined;
  const cleared = changed.filter((field) => (after[field] ?? []).length === 0);
  if (cleared.length > 1 && cleared.length === changed.length && Object.values(after).every((v) => !v.length))
    return t("announceAllCleared");
  return changed
    .map((field) => {
      const values = after[field] ?? [];
      if (values.length === 0) return t("announceCleared", { field });
      const type = fieldTypes[field] ?? "text";
      return t("announceSelected", {
        field,
        values: values.map((v) => fmt.dimension(String(v), type)).join(", "),
      });
    })
    .join(". ");
}

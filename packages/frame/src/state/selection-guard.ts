import type { AppDetail, FrameEvent, Selections, SelectionValue } from "@portico/protocol";
import type { QueryScheduler } from "./query-scheduler.js";
import { checkSelections, type DroppedSelection, missingValues, unknownField } from "./selection-check.js";

export interface SelectionGuardOptions {
  /** The app on screen (undefined before it is loaded: nothing can be checked then). */
  app: () => AppDetail | undefined;
  queries: Pick<QueryScheduler, "selections" | "select" | "selectChecked" | "query" | "replace">;
  /** Runs a request under the session (recovering a lapsed one). */
  run: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Tells the host (and local listeners). */
  emit: (event: FrameEvent) => void;
}

/**
 * The host's selections checked against the app, as the hub's own API refuses what it cannot apply: a
 * field the app does not have is refused or dropped (FIELD_NOT_FOUND, naming the app's fields); values a
 * field does not hold are left out with a `warning` event (VALUE_NOT_FOUND), and the rest stays. Selections
 * that would exclude every row because of a typo never reach the visitor.
 */
export class SelectionGuard {
  readonly #o: SelectionGuardOptions;
  /** The page's initial selections are checked once, on the first start. */
  #initialChecked = false;

  constructor(options: SelectionGuardOptions) {
    this.#o = options;
  }

  /**
   * The host's `select`: an unknown field throws; when none of the values is held, the field's selection
   * stays as it was instead of excluding every row. The check rides in the load's own request.
   */
  async select(field: string, values: SelectionValue[]): Promise<Selections> {
    const { queries } = this.#o;
    const app = this.#o.app();
    if (!app || values.length === 0) return queries.select(field, values);
    if (!app.fields.some((f) => f.name === field)) throw unknownField(field, app.id, app.fields);
    const before = queries.selections[field] ?? [];
    const { selections, held } = await queries.selectChecked(field, values);
    const missing = missingValues(field, values, held);
    if (!missing) return selections;
    this.#warn([missing]);
    return queries.select(field, held.length > 0 ? held : before);
  }

  /**
   * The page's initial selections, once: a field the app does not have is dropped at once (every query
   * naming it would fail), values a field does not hold after a check that runs beside the first load.
   * Call it before that load starts: the unknown fields are gone before its first request.
   */
  async checkInitial(): Promise<void> {
    const { queries, run } = this.#o;
    const app = this.#o.app();
    if (this.#initialChecked || !app) return;
    this.#initialChecked = true;
    const initial = queries.selections;
    let known: Selections = {};
    const unknown: DroppedSelection[] = [];
    for (const [field, values] of Object.entries(initial)) {
      if (values.length === 0) continue;
      if (app.fields.some((f) => f.name === field)) known[field] = values;
      else
        unknown.push({
          code: "FIELD_NOT_FOUND",
          field,
          message: unknownField(field, app.id, app.fields).message,
        });
    }
    // Before the first await: the load that starts next runs under these.
    if (unknown.length === 0) known = initial;
    else {
      queries.selections = known;
      this.#warn(unknown);
      this.#o.emit({ type: "selectionsChanged", selections: known });
    }
    if (Object.keys(known).length === 0) return;
    // The checks take what the session's answer carried for them (`query` has them), else ask.
    const { selections, dropped } = await run(() =>
      checkSelections(known, app, (request) => queries.query(request)),
    );
    // The visitor (or the host) changed the selections meanwhile: theirs stand.
    if (dropped.length === 0 || queries.selections !== known) return;
    this.#warn(dropped);
    await run(() => queries.replace(selections));
  }

  #warn(dropped: readonly DroppedSelection[]): void {
    for (const { code, field, message } of dropped)
      this.#o.emit({ type: "error", level: "warning", code, field, message });
  }
}

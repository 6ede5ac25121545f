import type { QueryResult, SheetObjectDef } from "@portico/protocol";
import { FrameError } from "../errors/frame-error.js";
import { errorWords, type Translate } from "../i18n/strings.js";

/**
 * What a screen reader hears about objects that failed to load: one sentence per failed result not yet in
 * `heard` ("Spend by month could not be loaded: Server busy"). `heard` is updated: a failure is said once,
 * and said again only after its object has loaded in between.
 */
export function loadErrorAnnouncements(
  t: Translate,
  objects: readonly SheetObjectDef[],
  results: ReadonlyMap<string, QueryResult | FrameError>,
  heard: Set<string>,
): string[] {
  const said: string[] = [];
  for (const [key, result] of results) {
    if (!(result instanceof FrameError)) {
      heard.delete(key);
      continue;
    }
    if (heard.has(key)) continue;
    heard.add(key);
    // A filter pane's results are keyed by object and field (`resultKey`).
    const object = objects.find((o) => key === o.id || key.startsWith(`${o.id}\u0000`));
    const message = errorWords(t, result.code).title;
    said.push(t("announceLoadError", { object: object?.title ?? object?.id ?? key, message }));
  }
  return said;
}

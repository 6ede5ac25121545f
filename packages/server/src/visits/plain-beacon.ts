import type { VisitBeacon } from "@portico/protocol";

/** The keys of the beacon every frame sends; `pageUrl` (a URL to check) is left to the schema. */
const PLAIN_BEACON_KEYS = new Set(["type", "app", "sheet", "object"]);

function isIdText(value: unknown): value is string {
  return typeof value === "string" && value.length >= 1 && value.length <= 256;
}

/**
 * The beacon in `value` when it is of the plain shape every frame sends (`type`, `app`, and `sheet` or
 * `object`, nothing else) and `beaconSchema` accepts it; otherwise undefined, and the schema decides (and
 * words the error). It accepts nothing the schema refuses and returns what the schema would
 * (beacon-schema.test.ts checks both on generated bodies). It exists because zod's generic parser goes
 * megamorphic among the many schemas a server parses with, on the server's busiest request (see
 * visits/README.md); `parseBeacon` uses it only with the app's `fastPaths`.
 */
export function plainBeacon(value: unknown): VisitBeacon | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  if (Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  const fields = value as Record<string, unknown>;
  for (const key of Object.keys(fields)) if (!PLAIN_BEACON_KEYS.has(key)) return undefined;
  const { type, app, sheet, object } = fields;
  if (type !== "sheetView" && type !== "export") return undefined;
  if (!isIdText(app)) return undefined;
  const beacon: VisitBeacon = { type, app };
  if ("sheet" in fields) {
    if (!isIdText(sheet)) return undefined;
    beacon.sheet = sheet;
  }
  if ("object" in fields) {
    if (!isIdText(object)) return undefined;
    beacon.object = object;
  }
  return beacon;
}

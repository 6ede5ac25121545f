import type { VisitBeacon } from "@portico/protocol";
import { z } from "zod";
import { parseJson } from "../http/read-json.js";
import { plainBeacon } from "./plain-beacon.js";

const idText = z.string().min(1).max(256);

/** `POST visits/beacon`: what the frame reports (`VisitBeacon` of @portico/protocol); unknown keys are refused. */
export const beaconSchema = z.strictObject({
  type: z.enum(["sheetView", "export"]),
  app: idText,
  sheet: idText.optional(),
  object: idText.optional(),
  pageUrl: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional(),
}) satisfies z.ZodType<VisitBeacon>;

/**
 * A beacon's body, parsed by `beaconSchema`: BAD_REQUEST for bad JSON, VALIDATION_FAILED naming the field
 * otherwise. With `fastPaths`, the plain shape every frame sends is checked by hand first (`plainBeacon`),
 * with the same outcome.
 */
export function parseBeacon(text: string, fastPaths = false): VisitBeacon {
  if (!fastPaths) return parseJson(text, beaconSchema);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return parseJson(text, beaconSchema); // words the error
  }
  return plainBeacon(value) ?? parseJson(text, beaconSchema);
}

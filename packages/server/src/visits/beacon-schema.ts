import type { VisitBeacon } from "@portico/protocol";
import { z } from "zod";
import { parseJson } from "../http/read-json.js";

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

/** A beacon's body, parsed by `beaconSchema`: BAD_REQUEST for bad JSON, VALIDATION_FAILED naming the field otherwise. */
export function parseBeacon(text: string): VisitBeacon {
  return parseJson(text, beaconSchema);
}

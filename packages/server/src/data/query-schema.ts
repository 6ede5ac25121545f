import { MAX_BATCH_QUERIES } from "@portico/protocol";
import { z } from "zod";

/** Selection values cross the wire as strings or numbers (dates are ISO `YYYY-MM-DD` strings). */
const selectionValue = z.union([z.string().max(1_000), z.number().finite()]);

/** `{field: values[]}`: OR within a field, AND across fields. Bounded, since it comes from anyone. */
export const selectionsSchema = z
  .record(z.string().min(1).max(200), z.array(selectionValue).max(10_000))
  .refine((s) => Object.keys(s).length <= 100, { message: "at most 100 fields may be selected" });

const pageSchema = z.strictObject({
  offset: z.number().int().min(0),
  limit: z.number().int().min(1),
});

const objectQuerySchema = z.strictObject({
  object: z.string().min(1).max(200),
  selections: selectionsSchema.optional(),
  page: pageSchema.optional(),
  sort: z.strictObject({ column: z.number().int().min(0), descending: z.boolean().optional() }).optional(),
});

const fieldQuerySchema = z.strictObject({
  field: z.string().min(1).max(200),
  selections: selectionsSchema.optional(),
  search: z.string().max(200).optional(),
  page: pageSchema.optional(),
});

/**
 * `POST /{P}/api/v1/apps/{id}/query`: exactly one of `object` (its hypercube) or `field` (its value
 * states), matching `QueryRequest` of @portico/protocol. The key present picks the shape, so errors name
 * the offending member (`selections.Year[0]`) rather than "no union member matched". Unknown keys are
 * refused: a typo such as `selection` fails loudly instead of querying without selections.
 */
export const queryRequestSchema = z.record(z.string(), z.unknown()).transform((body, ctx) => {
  const hasObject = "object" in body;
  const hasField = "field" in body;
  if (hasObject === hasField) {
    ctx.addIssue({
      code: "custom",
      message: hasObject
        ? "give either object or field, not both"
        : "expected {object, selections?, page?, sort?} or {field, selections?, search?, page?}",
    });
    return z.NEVER;
  }
  const parsed = (hasObject ? objectQuerySchema : fieldQuerySchema).safeParse(body);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues)
    ctx.addIssue({ code: "custom", message: issue.message, path: issue.path as PropertyKey[] });
  return z.NEVER;
});

/**
 * `POST /{P}/api/v1/apps/{id}/queries`: `QueriesRequest` of @portico/protocol. Between one and
 * `MAX_BATCH_QUERIES` requests, each checked as `POST .../query` checks its body (errors name the request:
 * `requests[2].selections.Year[0]`).
 */
export const queriesRequestSchema = z.strictObject({
  selections: selectionsSchema.optional(),
  requests: z.array(queryRequestSchema).min(1).max(MAX_BATCH_QUERIES),
});

/** `POST .../objects/{objectId}/export`: the body is optional; it carries the selections. */
export const exportBodySchema = z.strictObject({ selections: selectionsSchema.optional() });

export const EXPORT_FORMATS = ["csv"] as const;

import { ErrorCode, VISIT_GROUP_BY, type VisitPage } from "@portico/protocol";
import { Hono } from "hono";
import { stream } from "hono/streaming";
import { z } from "zod";
import { PorticoError } from "../errors/portico-error.js";
import type { AppEnv } from "../http/app-env.js";
import { parseQuery } from "../http/parse-query.js";
import type { Storage } from "../storage/storage.js";
import { visitCsvChunks } from "./visit-csv.js";
import { listVisits, MAX_PAGE_SIZE, summarizeVisits, visitFilterSchema } from "./visit-query.js";

const listSchema = visitFilterSchema.extend({
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
});
const summarySchema = visitFilterSchema.extend({ groupBy: z.enum(VISIT_GROUP_BY).default("day") });
const exportSchema = visitFilterSchema.extend({ format: z.literal("csv").default("csv") });

export interface VisitAdminRoutesOptions {
  storage: Storage;
}

/** `/admin/api/v1/visits`: the log (filtered, cursor-paged), the summary and the streamed CSV. */
export function visitAdminRoutes(o: VisitAdminRoutesOptions) {
  const routes = new Hono<AppEnv>();

  routes.get("/visits", async (c) => {
    const { cursor, limit, ...filter } = parseQuery(listSchema, c.req.query());
    let page: VisitPage;
    try {
      page = await listVisits(o.storage, filter, { cursor, limit });
    } catch (error) {
      if (error instanceof TypeError)
        throw new PorticoError(ErrorCode.VALIDATION_FAILED, "cursor: invalid cursor");
      throw error;
    }
    return c.json(page);
  });

  routes.get("/visits/summary", async (c) => {
    const { groupBy, ...filter } = parseQuery(summarySchema, c.req.query());
    return c.json({ groupBy, rows: await summarizeVisits(o.storage, groupBy, filter) });
  });

  routes.get("/visits/export", (c) => {
    const { format: _format, ...filter } = parseQuery(exportSchema, c.req.query());
    c.header("Content-Type", "text/csv; charset=utf-8");
    c.header("Content-Disposition", 'attachment; filename="portico-visits.csv"');
    c.header("Cache-Control", "no-store");
    return stream(c, async (s) => {
      // Each chunk is written only when the client has taken the previous one: constant memory.
      for await (const chunk of visitCsvChunks(o.storage, filter)) {
        if (s.aborted) return;
        await s.write(chunk);
      }
    });
  });

  return routes;
}
